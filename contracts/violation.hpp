// A payload violation: one thing wrong with a handover body, with where and how to fix it.
#pragma once

#include <cstddef>
#include <string>

namespace contracts {

struct Violation {
  std::string code;     // SCHEMA_REQUIRED, UNRESOLVED_TEMPLATE, ... (SPEC §2)
  std::string pointer;  // RFC 6901 pointer into the payload
  std::string message;
  std::string hint;
  std::string contract;  // which contract (or lint set) reported it
  // Position in the payload text when the violation is about the text itself (INVALID_JSON).
  std::size_t line = 0;
  std::size_t column = 0;
};

}  // namespace contracts
