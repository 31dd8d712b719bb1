// JSON parsing with line/column errors, a depth guard, and pointer-to-position lookup.
#include "util/json_text.hpp"

#include <tuple>
#include <vector>

namespace util {

TextPosition position_of_offset(std::string_view text, std::size_t offset) {
  TextPosition pos;
  if (offset > text.size()) offset = text.size();
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

namespace {

// Deepest nesting of [ and { outside strings, and the offset where max_depth was first passed.
std::optional<std::size_t> depth_violation(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::string reason_of(const nlohmann::json::parse_error& e) {
  // nlohmann's what() is "[json.exception.parse_error.101] parse error at line 1, column 2: syntax
  // error while parsing value - invalid literal; last read: 'x'"; keep the part after "- ".
  std::string what = e.what();
  auto dash = what.find(" - ");
  return dash == std::string::npos ? what : what.substr(dash + 3);
}

}  // namespace

std::optional<JsonSyntaxError> parse_json_into(std::string_view text, Json& out, std::size_t max_depth) {
  // nlohmann's lexer takes a NUL for the end of input: "{}\0garbage" would parse. JSON text
  // never holds a raw NUL (in strings it must be escaped), so the first one is the error.
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    // An error before the NUL comes first (the prefix parses to its end otherwise).
    Json ignored;
    auto at = position_of_offset(text, nul);
    auto before = parse_json_into(text.substr(0, nul), ignored, max_depth);
    if (before && std::tie(before->position.line, before->position.column) < std::tie(at.line, at.column))
      return before;
    return JsonSyntaxError{at, "NUL byte (U+0000) in the text: JSON never holds one raw"};
  }
  if (auto at = depth_violation(text, max_depth))
    return JsonSyntaxError{position_of_offset(text, *at),
                           "nested deeper than " + std::to_string(max_depth) + " levels"};
  try {
    out = Json::parse(text.begin(), text.end());
    return std::nullopt;
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    std::size_t off = e.byte > 0 ? e.byte - 1 : 0;
    return JsonSyntaxError{position_of_offset(text, off), reason_of(e)};
  } catch (const nlohmann::json::exception& e) {
    // A number beyond a double ("1e999999"): out_of_range 406, "number overflow parsing 'X'",
    // without a position; the number's first occurrence is where it is.
    std::string what = e.what();
    std::size_t off = 0;
    if (auto q = what.find('\''); q != std::string::npos) {
      auto token = what.substr(q + 1, what.rfind('\'') - q - 1);
      if (auto at = text.find(token); !token.empty() && at != std::string_view::npos) off = at;
    }
    auto bracket = what.find("] ");
    return JsonSyntaxError{position_of_offset(text, off),
                           bracket == std::string::npos ? what : what.substr(bracket + 2)};
  }
}

Json parse_json_lenient(std::string_view text, std::size_t max_depth) {
  if (depth_violation(text, max_depth)) return Json(Json::value_t::discarded);
  return Json::parse(text.begin(), text.end(), nullptr, false);
}

Result<Json> parse_json(std::string_view text, std::string_view source, std::size_t max_depth) {
  Json out;
  if (auto err = parse_json_into(text, out, max_depth))
    return make_error(std::string(source) + ":" + std::to_string(err->position.line) + ":" +
                      std::to_string(err->position.column) + ": invalid JSON: " + err->reason);
  return out;
}

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string pointer_append(std::string_view pointer, std::string_view token) {
  return std::string(pointer) + "/" + escape_pointer_token(token);
}

std::string pointer_append(std::string_view pointer, std::size_t index) {
  return std::string(pointer) + "/" + std::to_string(index);
}

namespace {

// A minimal scanner over valid JSON that walks values in order and reports the
// offset of the one whose pointer equals the target.
bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Past one JSON value starting at i (valid JSON assumed), without recursion.
std::size_t skip_value(std::string_view t, std::size_t i) {
  std::size_t depth = 0;
  bool in_string = false;
  for (; i < t.size(); ++i) {
    char c = t[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"') {
        in_string = false;
        if (depth == 0) return i + 1;
      }
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{')
      ++depth;
    else if (c == ']' || c == '}') {
      if (depth == 0) return i;  // the end of the enclosing container
      if (--depth == 0) return i + 1;
    } else if (depth == 0 && (c == ',' || is_ws(c))) {
      return i;
    }
  }
  return i;
}

// The offset where a pointer's value (or its key) starts: only the members on the pointer's path
// are entered; every other value is skipped over without building anything.
class Locator {
 public:
  Locator(std::string_view text, std::string_view target) : t_(text), target_(target) {}

  std::optional<std::size_t> run() {
    skip_ws();
    if (target_.empty()) return i_;
    value("");
    return found_;
  }

 private:
  // Whether the target lies inside the value at child.
  bool on_path(const std::string& child) const {
    return target_.size() > child.size() && target_[child.size()] == '/' &&
           target_.compare(0, child.size(), child) == 0;
  }

  void skip_ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
  }

  std::string string_token() {
    std::string out;
    ++i_;  // opening quote
    while (i_ < t_.size() && t_[i_] != '"') {
      if (t_[i_] == '\\' && i_ + 1 < t_.size()) {
        char e = t_[i_ + 1];
        // Keys with \u escapes are rare in fixtures; keep them raw, enough for locating.
        out += (e == 'n') ? '\n' : (e == 't') ? '\t' : (e == 'u') ? '?' : e;
        i_ += 2;
        if (e == 'u') i_ += 4;
        continue;
      }
      out += t_[i_++];
    }
    ++i_;  // closing quote
    return out;
  }

  void value(const std::string& ptr) {
    if (found_ || i_ >= t_.size()) return;
    char c = t_[i_];
    if (c == '{') {
      ++i_;
      skip_ws();
      if (i_ < t_.size() && t_[i_] == '}') {
        ++i_;
        return;
      }
      while (i_ < t_.size() && !found_) {
        skip_ws();
        std::size_t key_at = i_;
        std::string child = pointer_append(ptr, string_token());
        if (child == target_) {
          found_ = key_at;
          return;
        }
        skip_ws();
        ++i_;  // colon
        skip_ws();
        if (on_path(child))
          value(child);
        else
          i_ = skip_value(t_, i_);
        skip_ws();
        if (i_ < t_.size() && t_[i_] == ',') {
          ++i_;
          continue;
        }
        ++i_;  // closing brace
        return;
      }
    } else if (c == '[') {
      ++i_;
      skip_ws();
      if (i_ < t_.size() && t_[i_] == ']') {
        ++i_;
        return;
      }
      for (std::size_t idx = 0; i_ < t_.size() && !found_; ++idx) {
        skip_ws();
        std::string child = pointer_append(ptr, idx);
        if (child == target_) {
          found_ = i_;
          return;
        }
        if (on_path(child))
          value(child);
        else
          i_ = skip_value(t_, i_);
        skip_ws();
        if (i_ < t_.size() && t_[i_] == ',') {
          ++i_;
          continue;
        }
        ++i_;
        return;
      }
    } else if (c == '"') {
      string_token();
    } else {
      while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '}' && t_[i_] != ']' && t_[i_] != ' ' && t_[i_] != '\n' &&
             t_[i_] != '\r' && t_[i_] != '\t')
        ++i_;
    }
  }

  std::string_view t_;
  std::string target_;
  std::size_t i_ = 0;
  std::optional<std::size_t> found_;
};

}  // namespace

std::optional<TextPosition> locate_pointer(std::string_view text, std::string_view pointer) {
  auto off = Locator(text, pointer).run();
  if (!off) return std::nullopt;
  return position_of_offset(text, *off);
}

namespace {}  // namespace

std::vector<TextPosition> locate_elements(std::string_view text, std::string_view array_pointer) {
  std::vector<TextPosition> out;
  auto at = Locator(text, array_pointer).run();
  if (!at) return out;
  std::size_t i = *at;
  if (!array_pointer.empty() && i < text.size() && text[i] == '"') {  // a member: past its key and colon
    i = skip_value(text, i);
    while (i < text.size() && (is_ws(text[i]) || text[i] == ':')) ++i;
  }
  if (i >= text.size() || text[i] != '[') return out;
  std::vector<std::size_t> offsets;
  ++i;
  while (i < text.size()) {
    while (i < text.size() && (is_ws(text[i]) || text[i] == ',')) ++i;
    if (i >= text.size() || text[i] == ']') break;
    offsets.push_back(i);
    i = skip_value(text, i);
  }
  // Offsets grow: one pass turns them into lines and columns.
  TextPosition pos;
  std::size_t scanned = 0;
  for (std::size_t off : offsets) {
    for (; scanned < off; ++scanned) {
      if (text[scanned] == '\n') {
        ++pos.line;
        pos.column = 1;
      } else {
        ++pos.column;
      }
    }
    out.push_back(pos);
  }
  return out;
}

std::vector<std::string> string_list(const Json& j) {
  std::vector<std::string> out;
  if (j.is_string())
    out.push_back(j.get<std::string>());
  else if (j.is_array())
    for (const auto& e : j)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

std::string where(std::string_view source, std::string_view text, std::string_view pointer) {
  auto pos = locate_pointer(text, pointer);
  if (!pos) return std::string(source);
  return std::string(source) + ":" + std::to_string(pos->line) + ":" + std::to_string(pos->column);
}

std::string pointer_token(std::string_view raw) {
  std::string name;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '~' && i + 1 < raw.size()) {
      name += raw[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      name += raw[i];
    }
  }
  return name;
}

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : s)
    if (c >= 0x80) {  // UTF-8 (valid or not): nlohmann decides, so the bytes match its dump
      out += dump_line(Json(std::string(s)));
      return;
    }
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied: copied in one append up to an escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

const Json* at_pointer(const Json& doc, const std::string& pointer) {
  if (pointer.empty()) return &doc;
  try {
    return &doc.at(Json::json_pointer(pointer));
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace util
