// Redaction by value.
#include "util/redact.hpp"

#include <algorithm>

namespace util {

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  std::vector<std::string> sorted = secrets;
  // Longest first, so a secret that contains another is masked whole.
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& s : sorted) {
    if (s.size() < 4) continue;
    std::size_t pos = 0;
    while ((pos = text.find(s, pos)) != std::string::npos) {
      text.replace(pos, s.size(), kMask);
      pos += 3;
    }
  }
  return text;
}

}  // namespace util
