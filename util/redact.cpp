// Redaction by value and by JSON pointer.
#include "util/redact.hpp"

#include <algorithm>

#include "util/strings.hpp"

namespace util {

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  std::vector<const std::string*> sorted;
  for (const auto& s : secrets)
    if (s.size() >= 4) sorted.push_back(&s);
  // Longest first, so a secret that contains another is masked whole.
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->size() > b->size(); });
  for (const auto* s : sorted) {
    std::size_t pos = 0;
    while ((pos = text.find(*s, pos)) != std::string::npos) {
      text.replace(pos, s->size(), kMask);
      pos += 3;
    }
  }
  return text;
}

namespace {

void remember(std::vector<std::string>& list, std::string v) {
  if (v.empty() || std::find(list.begin(), list.end(), v) != list.end()) return;
  list.push_back(std::move(v));
}

bool visit(Json& node, const std::vector<std::string>& segments, std::size_t i, const std::function<void(Json&)>& fn) {
  if (i == segments.size()) {
    fn(node);
    return true;
  }
  if (node.is_string()) {
    // A string holding a JSON document (a Signal parameter with the context data): the pointer
    // goes on inside it, and the string is rewritten if anything in it was visited.
    const std::string& s = node.get_ref<const std::string&>();
    if (s.empty() || (s.front() != '{' && s.front() != '[')) return false;
    Json inner = util::parse_json_lenient(s);
    if (inner.is_discarded() || !visit(inner, segments, i, fn)) return false;
    node = dump_line(inner);
    return true;
  }
  bool any = false;
  const std::string& seg = segments[i];
  if (seg == "*") {
    if (node.is_array() || node.is_object())
      for (auto& child : node) any = visit(child, segments, i + 1, fn) || any;
    return any;
  }
  if (node.is_object()) {
    auto it = node.find(seg);
    if (it != node.end()) any = visit(*it, segments, i + 1, fn);
  } else if (node.is_array() && !seg.empty() && std::all_of(seg.begin(), seg.end(), ::isdigit) && seg.size() < 9) {
    std::size_t idx = std::stoul(seg);
    if (idx < node.size()) any = visit(node[idx], segments, i + 1, fn);
  }
  return any;
}

void mask_strings(Json& node, const std::vector<std::string>& secrets) {
  if (node.is_string()) {
    const std::string& s = node.get_ref<const std::string&>();
    std::string masked = redact(s, secrets);
    if (masked != s) node = masked;
  } else if (node.is_array() || node.is_object()) {
    for (auto& child : node) mask_strings(child, secrets);
  }
}

}  // namespace

void Redactor::add_secret(std::string_view value) {
  if (value.empty()) return;
  remember(secrets_, std::string(value));
  remember(secrets_, url_encode(value));
  std::string escaped = dump_line(Json(std::string(value)));
  remember(secrets_, escaped.substr(1, escaped.size() - 2));
}

void Redactor::add_pointer(std::string pointer) {
  if (pointer.empty() || pointer == "/") return;
  remember(pointers_, std::move(pointer));
}

void for_each_at(Json& doc, std::string_view pointer, const std::function<void(Json&)>& fn) {
  std::vector<std::string> segments;
  for (const auto& raw : split(pointer.substr(pointer.starts_with('/') ? 1 : 0), '/'))
    segments.push_back(pointer_token(raw));
  visit(doc, segments, 0, fn);
}

void Redactor::mask_pointers(Json& doc, std::vector<std::string>* learned) const {
  for (const auto& p : pointers_) {
    for_each_at(doc, p, [&](Json& node) {
      matched_.insert(p);
      if (learned && node.is_string()) remember(*learned, node.get<std::string>());
      if (learned && (node.is_number() || node.is_boolean())) remember(*learned, dump_line(node));
      node = kMask;
    });
  }
}

bool is_credential_header(std::string_view name) {
  std::string n = to_lower(name);
  for (const char* part : {"authorization", "token", "api-key", "apikey", "secret", "cookie", "password"})
    if (n.find(part) != std::string::npos) return true;
  return false;
}

bool is_credential_field(std::string_view name) {
  std::string n = to_lower(name);
  for (const char* exact : {"client_secret", "password", "username", "refresh_token", "assertion", "access_token",
                            "id_token", "code_verifier"})
    if (n == exact) return true;
  return n.find("secret") != std::string::npos || n.find("password") != std::string::npos;
}

bool is_json_pointer(std::string_view pointer) {
  if (pointer.empty()) return true;
  if (pointer.front() != '/') return false;
  for (std::size_t i = 0; i < pointer.size(); ++i)
    if (pointer[i] == '~' && (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')))
      return false;
  return true;
}

void Redactor::json(Json& doc) {
  std::vector<std::string> learned;
  mask_pointers(doc, &learned);
  for (const auto& v : learned) add_secret(v);
  mask_strings(doc, secrets_);
}

void Redactor::json_const(Json& doc) const {
  mask_pointers(doc, nullptr);
  mask_strings(doc, secrets_);
}

}  // namespace util
