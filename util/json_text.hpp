// JSON text with positions: parse errors as "source:line:column: what", and the position of
// any JSON pointer in the original text (computed only on the error path).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.hpp"

namespace util {

using Json = nlohmann::json;

struct TextPosition {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in bytes
};

TextPosition position_of_offset(std::string_view text, std::size_t offset);

struct JsonSyntaxError {
  TextPosition position;
  std::string reason;  // "invalid literal; last read: '{b'", "nested deeper than 512 levels"
};

// The value at an RFC 6901 pointer ("" is the document), or null when there is none or the
// pointer is malformed.
const Json* at_pointer(const Json& doc, const std::string& pointer);

// Parses text into out; on failure returns where and why, without any source name.
std::optional<JsonSyntaxError> parse_json_into(std::string_view text, Json& out, std::size_t max_depth = 512);

// Parses text; on failure the error reads "<source>:<line>:<col>: invalid JSON: <reason>".
// Nesting deeper than max_depth is refused (no stack exhaustion on hostile input).
Result<Json> parse_json(std::string_view text, std::string_view source, std::size_t max_depth = 512);

// Parses text from outside where a non-JSON value is not an error (a request or answer body):
// the value, or a discarded value (is_discarded()) when the text is not JSON or nests deeper
// than max_depth. Every later walk over the value (match, redact, dump) is bounded by it.
Json parse_json_lenient(std::string_view text, std::size_t max_depth = 512);

// For every dump(): bytes that are not UTF-8 become U+FFFD instead of an exception. Strings from
// outside (a request path with %FF, a raw body, a header) are not checked on the way in, and
// one such byte in a near-miss 404 used to take the whole mock down (found by fuzz_matcher).
inline constexpr auto kInvalidUtf8Replaced = Json::error_handler_t::replace;

// Members in the order they were added: documents people read (reports, scenarios).
using OrderedJson = nlohmann::ordered_json;

// The two dumps every output uses: one line, or indented by two; invalid UTF-8 replaced.
template <class J>
std::string dump_line(const J& j) {
  return j.dump(-1, ' ', false, kInvalidUtf8Replaced);
}
template <class J>
std::string dump_pretty(const J& j) {
  return j.dump(2, ' ', false, kInvalidUtf8Replaced);
}

// Where the value (or, for an object member, its key) named by pointer starts in text.
// text must be valid JSON. Returns nullopt when the pointer names nothing.
std::optional<TextPosition> locate_pointer(std::string_view text, std::string_view pointer);

// Where each element of the array named by array_pointer starts in text, in one pass (for
// loaders that name every element's position: linear, not a scan per element). text must be
// valid JSON; empty when the pointer names no array.
std::vector<TextPosition> locate_elements(std::string_view text, std::string_view array_pointer);

// RFC 6901 escaping of one reference token, and appending it to a pointer.
std::string escape_pointer_token(std::string_view token);
std::string pointer_append(std::string_view pointer, std::string_view token);
// One reference token of a pointer with its escapes undone ("a~1b" -> "a/b", "~0" -> "~").
std::string pointer_token(std::string_view raw);
std::string pointer_append(std::string_view pointer, std::size_t index);

// The strings of j: j itself when a string, its string elements when an array, else none.
std::vector<std::string> string_list(const Json& j);

// "source:line:col" for pointer in text, or "source" when it cannot be located.
std::string where(std::string_view source, std::string_view text, std::string_view pointer);

// Appends s as a JSON string literal, byte for byte what Json(s).dump() with
// kInvalidUtf8Replaced writes (ensure_ascii off), for writers that stream a document piece by
// piece instead of building it: plain ASCII is copied, control characters escaped, anything
// beyond ASCII goes through nlohmann's own escaping.
void append_json_string(std::string& out, std::string_view s);

}  // namespace util
