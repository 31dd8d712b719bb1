// YAML documents are read by a module (harness-yaml.so beside the binaries, or in the installed
// modules folder) loaded on the first .yaml/.yml: yaml-cpp costs ~1 ms of every start of every
// program otherwise (its relocations against libstdc++ and its static initialisers), a validate
// of one payload included. The interface is C: the module walks the YAML and calls back with
// JSON events (document.cpp builds the value); no C++ object crosses it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace contracts {
inline constexpr const char* kYamlModuleName = "harness-yaml.so";
}  // namespace contracts

extern "C" {

enum HarnessYamlEvent : int {
  kHarnessYamlBeginObject,  // then, per member, a key event and the member's value
  kHarnessYamlBeginArray,
  kHarnessYamlEnd,  // closes the innermost object or array
  kHarnessYamlKey,  // text, size
  kHarnessYamlNull,
  kHarnessYamlBool,     // integer: 0 or 1
  kHarnessYamlInteger,  // integer
  kHarnessYamlDouble,   // real (infinities included: YAML has them, JSON text has not)
  kHarnessYamlString,   // text, size
};

// One event of the document's value, in document order; non-zero stops the walk.
using HarnessYamlOnEvent = int (*)(void* ctx, int event, const char* text, std::size_t size, std::int64_t integer,
                                   double real);

// Reads the YAML text as one JSON value (mappings as objects with their keys as text, plain
// scalars as YAML 1.2's core schema reads them, quoted ones as strings), in events. Returns 0;
// 1 with one line in error ("source:line:col: reason", NUL-terminated, cut to error_size) for a
// syntax error, nesting deeper than max_depth or more than max_nodes values once aliases are
// expanded; 2 when on_event stopped the walk.
int harness_yaml_to_json(const char* text, std::size_t text_size, const char* source, std::size_t max_depth,
                         std::size_t max_nodes, HarnessYamlOnEvent on_event, void* ctx, char* error,
                         std::size_t error_size);
}
