// A small XML well-formedness check for reports (JUnit): one root, balanced and properly nested
// tags, quoted attributes, known entities. Returns an empty string when well-formed.
#pragma once

#include <string>
#include <vector>

namespace e2e {

inline std::string xml_problem(const std::string& x) {
  std::vector<std::string> stack;
  std::size_t i = 0, roots = 0;
  if (x.starts_with("<?xml")) i = x.find("?>") + 2;
  while (i < x.size()) {
    if (x[i] == '&') {
      auto semi = x.find(';', i);
      std::string ent = semi == std::string::npos ? "" : x.substr(i, semi - i + 1);
      if (ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;" && ent != "&apos;")
        return "bad entity at " + std::to_string(i);
      i = semi + 1;
      continue;
    }
    if (x[i] != '<') {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(x[i]))) return "text outside the root";
      ++i;
      continue;
    }
    auto close = x.find('>', i);
    if (close == std::string::npos) return "unterminated tag";
    std::string tag = x.substr(i + 1, close - i - 1);
    bool in_quote = false;
    for (char c : tag) {
      if (c == '"')
        in_quote = !in_quote;
      else if (c == '<' && !in_quote)
        return "'<' inside a tag";
    }
    if (in_quote) return "unbalanced quote in <" + tag + ">";
    if (tag.starts_with("/")) {
      if (stack.empty() || stack.back() != tag.substr(1)) return "mismatched </" + tag.substr(1) + ">";
      stack.pop_back();
    } else {
      std::string name = tag.substr(0, tag.find_first_of(" /"));
      if (stack.empty()) ++roots;
      if (!tag.ends_with("/")) stack.push_back(name);
    }
    i = close + 1;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (roots != 1) return "expected one root element";
  return "";
}

}  // namespace e2e
