// CognigyScript templates: found, checked, evaluated and rendered (see cognigy_script.hpp).
#include "client/flows/cognigy_script.hpp"

#include <cctype>

namespace client::flows {

namespace {

constexpr std::size_t kMaxSteps = 64;  // path steps in one expression

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }
bool ident_char(char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The object a root names (input, ci, context, cc, profile, cp), else empty.
std::string_view root_object(std::string_view ident) {
  if (ident == "input" || ident == "ci") return "input";
  if (ident == "context" || ident == "cc") return "context";
  if (ident == "profile" || ident == "cp") return "profile";
  return "";
}

// Brackets and quotes inside one expression: the first problem, or empty.
std::string balance_problem(std::string_view code) {
  std::string stack;
  char quote = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`')
      quote = c;
    else if (c == '(' || c == '[' || c == '{')
      stack.push_back(c);
    else if (c == ')' || c == ']' || c == '}') {
      char open = c == ')' ? '(' : c == ']' ? '[' : '{';
      if (stack.empty() || stack.back() != open) return std::string("unbalanced \"") + c + "\"";
      stack.pop_back();
    }
  }
  if (quote) return std::string("unterminated ") + quote + "string";
  if (!stack.empty()) return std::string("unclosed \"") + stack.back() + "\"";
  return "";
}

// One step of a path: a member name or an index.
struct Step {
  std::string name;
  std::optional<std::size_t> index;
};

// A path such as context.customer["name"][0] into root and steps; nullopt when code is not one.
struct Path {
  std::string root;
  std::vector<Step> steps;
};

std::optional<Path> parse_path(std::string_view code) {
  std::size_t i = 0;
  while (i < code.size() && ident_char(code[i])) ++i;
  Path out{std::string(root_object(code.substr(0, i))), {}};
  if (out.root.empty()) return std::nullopt;
  while (i < code.size()) {
    if (out.steps.size() == kMaxSteps) return std::nullopt;
    if (code[i] == '.' && i + 1 < code.size() && ident_start(code[i + 1])) {
      std::size_t start = ++i;
      while (i < code.size() && ident_char(code[i])) ++i;
      out.steps.push_back({std::string(code.substr(start, i - start)), std::nullopt});
    } else if (code[i] == '[') {
      std::size_t close = code.find(']', i);
      if (close == std::string_view::npos) return std::nullopt;
      std::string_view inner = trim(code.substr(i + 1, close - i - 1));
      if (inner.size() >= 2 && (inner.front() == '"' || inner.front() == '\'') && inner.back() == inner.front()) {
        out.steps.push_back({std::string(inner.substr(1, inner.size() - 2)), std::nullopt});
      } else if (!inner.empty() && inner.size() < 10 &&
                 inner.find_first_not_of("0123456789") == std::string_view::npos) {
        out.steps.push_back({"", static_cast<std::size_t>(std::stoul(std::string(inner)))});
      } else {
        return std::nullopt;
      }
      i = close + 1;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::optional<util::Json> lookup(const Path& path, const CognigyObjects& objects) {
  const util::Json* node = path.root == "input"     ? &objects.input
                           : path.root == "context" ? &objects.context
                                                    : &objects.profile;
  for (const auto& step : path.steps) {
    if (step.index) {
      if (!node->is_array() || *step.index >= node->size()) return std::nullopt;
      node = &(*node)[*step.index];
    } else if (node->is_object() && node->contains(step.name)) {
      node = &(*node)[step.name];
    } else if (node->is_array() && step.name == "length") {
      return util::Json(node->size());
    } else if (node->is_string() && step.name == "length") {
      return util::Json(node->get_ref<const std::string&>().size());
    } else {
      return std::nullopt;
    }
  }
  return *node;
}

std::string as_text(const util::Json& v) { return v.is_string() ? v.get<std::string>() : util::dump_line(v); }

// Moves i past the next root object identifier of code (input, ci, context, cc, profile, cp that
// is not a member of something else and not inside a string literal) and returns the object's
// name; empty at the end of code.
std::string_view next_root(std::string_view code, std::size_t& i) {
  while (i < code.size()) {
    if (code[i] == '\'' || code[i] == '"' || code[i] == '`') {  // skip string literals
      char q = code[i++];
      while (i < code.size() && code[i] != q) i += code[i] == '\\' ? 2 : 1;
      ++i;
      continue;
    }
    if (!ident_start(code[i]) || (i > 0 && (ident_char(code[i - 1]) || code[i - 1] == '.'))) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < code.size() && ident_char(code[i])) ++i;
    if (auto root = root_object(code.substr(start, i - start)); !root.empty()) return root;
  }
  return "";
}

}  // namespace

std::vector<TemplateExpression> find_expressions(std::string_view text, std::vector<TemplateError>* errors) {
  std::vector<TemplateExpression> out;
  for (std::size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", at)) {
    std::size_t close = text.find("}}", at + 2);
    if (close == std::string_view::npos) {
      if (errors) errors->push_back({at, "\"{{\" is never closed by \"}}\""});
      break;
    }
    // "}}}" closes an object literal inside the expression first: take the last brace pair.
    while (close + 2 < text.size() && text[close + 2] == '}') ++close;
    std::string_view code = text.substr(at + 2, close - at - 2);
    std::string_view inner = trim(code);
    if (errors) {
      if (inner.empty())
        errors->push_back({at, "an empty expression \"{{}}\""});
      else if (inner.find("{{") != std::string_view::npos)
        errors->push_back({at, "\"{{\" inside an expression: an earlier \"{{\" is not closed"});
      else if (auto problem = balance_problem(inner); !problem.empty())
        errors->push_back({at, "expression \"" + std::string(inner) + "\": " + problem});
    }
    out.push_back({at, close + 2, std::string(inner)});
    at = close + 2;
  }
  return out;
}

Evaluated evaluate(std::string_view code, const CognigyObjects& objects) {
  Evaluated out;
  code = trim(code);
  constexpr std::string_view kPreserve = ".preserveType()";
  if (code.ends_with(kPreserve)) {
    out.preserve_type = true;
    code = trim(code.substr(0, code.size() - kPreserve.size()));
  }
  bool stringify = false;
  constexpr std::string_view kStringify = "JSON.stringify(";
  if (code.starts_with(kStringify) && code.ends_with(")")) {
    stringify = true;
    code = trim(code.substr(kStringify.size(), code.size() - kStringify.size() - 1));
  }
  auto path = parse_path(code);
  if (!path) {
    out.supported = false;
    return out;
  }
  out.value = lookup(*path, objects);
  if (stringify && out.value) out.value = util::dump_line(*out.value);
  return out;
}

std::vector<std::string> paths_read(std::string_view code) {
  std::vector<std::string> out;
  std::size_t i = 0;
  for (std::string_view root = next_root(code, i); !root.empty(); root = next_root(code, i)) {
    std::string path(root);
    std::size_t steps = 0;
    while (i + 1 < code.size() && code[i] == '.' && ident_start(code[i + 1]) && steps++ < kMaxSteps) {
      std::size_t s = ++i;
      while (i < code.size() && ident_char(code[i])) ++i;
      std::string_view name = code.substr(s, i - s);
      if (i < code.size() && code[i] == '(') break;  // a method call (toUpperCase(), preserveType())
      path.append(".").append(name);
    }
    if (path.find('.') != std::string::npos) out.push_back(std::move(path));
  }
  return out;
}

std::vector<std::string> paths_assigned(std::string_view code) {
  std::vector<std::string> out;
  std::size_t i = 0;
  for (std::string_view root = next_root(code, i); !root.empty(); root = next_root(code, i)) {
    std::string path(root);
    for (std::size_t steps = 0; i < code.size() && steps < kMaxSteps; ++steps) {
      if (code[i] == '.' && i + 1 < code.size() && ident_start(code[i + 1])) {
        std::size_t s = ++i;
        while (i < code.size() && ident_char(code[i])) ++i;
        path.append(".").append(code.substr(s, i - s));
      } else if (code[i] == '[' && i + 1 < code.size() && (code[i + 1] == '\'' || code[i + 1] == '"')) {
        std::size_t close = code.find(code[i + 1], i + 2);
        if (close == std::string_view::npos || close + 1 >= code.size() || code[close + 1] != ']') break;
        path.append(".").append(code.substr(i + 2, close - i - 2));
        i = close + 2;
      } else {
        break;
      }
    }
    std::size_t j = i;
    while (j < code.size() && (code[j] == ' ' || code[j] == '\t')) ++j;
    if (j < code.size() && std::string_view("+-*/|&?").find(code[j]) != std::string_view::npos && j + 1 < code.size() &&
        code[j + 1] == '=')
      ++j;
    bool assigns = j < code.size() && code[j] == '=' && (j + 1 >= code.size() || code[j + 1] != '=');
    if (assigns && path.find('.') != std::string::npos) out.push_back(std::move(path));
  }
  return out;
}

std::string render_text(std::string_view text, const CognigyObjects& objects, int* unsupported) {
  std::string out;
  std::size_t last = 0;
  for (const auto& e : find_expressions(text)) {
    out.append(text.substr(last, e.begin - last));
    Evaluated v = evaluate(e.code, objects);
    if (!v.supported && unsupported) ++*unsupported;
    if (v.value) out += as_text(*v.value);
    last = e.end;
  }
  out.append(text.substr(last));
  return out;
}

std::optional<util::Json> render_json(const util::Json& value, const CognigyObjects& objects, int* unsupported) {
  if (value.is_object() && value.size() == 1 && value.contains("$cs") && value["$cs"].is_object()) {
    const util::Json& cs = value["$cs"];
    Evaluated v = evaluate(cs.value("script", ""), objects);
    if (!v.supported && unsupported) ++*unsupported;
    if (!v.value) return std::nullopt;
    std::string type = cs.contains("type") && cs["type"].is_string() ? cs["type"].get<std::string>() : "";
    if (type == "string") return as_text(*v.value);
    return v.value;
  }
  if (value.is_object()) {
    util::Json out = util::Json::object();
    for (const auto& [k, v] : value.items())
      if (auto r = render_json(v, objects, unsupported)) out[k] = std::move(*r);
    return out;
  }
  if (value.is_array()) {
    util::Json out = util::Json::array();
    for (const auto& v : value) out.push_back(render_json(v, objects, unsupported).value_or(nullptr));
    return out;
  }
  if (!value.is_string()) return value;
  const auto& s = value.get_ref<const std::string&>();
  auto exprs = find_expressions(s);
  if (exprs.size() == 1 && exprs[0].begin == 0 && exprs[0].end == s.size()) {
    Evaluated v = evaluate(exprs[0].code, objects);
    if (!v.supported && unsupported) ++*unsupported;
    if (!v.value) return std::nullopt;  // the key is skipped
    return v.preserve_type ? *v.value : util::Json(as_text(*v.value));
  }
  return util::Json(render_text(s, objects, unsupported));
}

}  // namespace client::flows
