// CognigyScript as a released flow's fields carry it, rendered the way Cognigy renders it
// (Cognigy/Documentation docs/ai/build/cognigyscript.md): {{expr}} in a text field becomes the
// value as text, and an expression that does not resolve becomes the empty string; in a JSON
// field a string that is one expression takes the value, and a key whose expression is undefined
// is dropped, as is one written {"$cs": {"script": "...", "type": "..."}}. What is evaluated: the
// paths of input, context and profile (and their shortcuts ci, cc, cp) with .name and [index]
// steps, JSON.stringify(path) and a trailing .preserveType(); anything else is reported as not
// evaluated rather than guessed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json_text.hpp"

namespace client::flows {

// One {{ }} in a text: its byte range (braces included) and the code inside.
struct TemplateExpression {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string code;
};

// What is wrong with a template, and at which byte of the text.
struct TemplateError {
  std::size_t offset = 0;
  std::string message;
};

// The expressions of a text; errors (when given) collect an unclosed "{{", an empty expression,
// unbalanced brackets or quotes inside one.
std::vector<TemplateExpression> find_expressions(std::string_view text, std::vector<TemplateError>* errors = nullptr);

// The objects an expression reads.
struct CognigyObjects {
  util::Json input = util::Json::object();
  util::Json context = util::Json::object();
  util::Json profile = util::Json::object();
};

struct Evaluated {
  std::optional<util::Json> value;  // nullopt: undefined
  bool supported = true;            // false: an expression this renderer does not evaluate
  bool preserve_type = false;       // ended in .preserveType()
};

Evaluated evaluate(std::string_view code, const CognigyObjects& objects);

// The object paths an expression reads, written in full ("context.customer.name", shortcuts
// expanded), in order of appearance; also for expressions that are not evaluated.
std::vector<std::string> paths_read(std::string_view code);

// The object paths a Code node assigns ("context.customer = {...}", "cc['skill'] = 1"), shortcuts
// expanded; compound assignments (+=) included, comparisons (==) not.
std::vector<std::string> paths_assigned(std::string_view code);

// A text field rendered: each expression replaced by its value as text (a string as it is, other
// values as JSON), an undefined or not evaluated one by "". unsupported (when given) counts the
// expressions that were not evaluated.
std::string render_text(std::string_view text, const CognigyObjects& objects, int* unsupported = nullptr);

// A JSON field rendered (see the opening comment); nullopt when the whole value is undefined.
std::optional<util::Json> render_json(const util::Json& value, const CognigyObjects& objects,
                                      int* unsupported = nullptr);

}  // namespace client::flows
