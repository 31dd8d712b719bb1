// Shared by the libFuzzer targets: the source tree (bundled fixtures and contracts) and a
// splitter for inputs that carry several parts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

inline std::filesystem::path source_dir() { return HARNESS_SOURCE_DIR; }

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits at the first occurrence of sep; the second part is empty when sep is absent.
inline std::pair<std::string_view, std::string_view> cut(std::string_view text, std::string_view sep) {
  auto at = text.find(sep);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + sep.size())};
}

// Every part between separators.
inline std::vector<std::string_view> split_all(std::string_view text, std::string_view sep) {
  std::vector<std::string_view> out;
  while (true) {
    auto [head, tail] = cut(text, sep);
    out.push_back(head);
    if (head.size() == text.size()) return out;
    text = tail;
  }
}

}  // namespace fuzz
