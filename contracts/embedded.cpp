// Look-up over the embedded data files.
#include "contracts/embedded.hpp"

namespace contracts {

std::optional<std::string_view> embedded_file(std::string_view path) {
  for (const auto& f : embedded_files()) {
    if (f.path == path) return f.content;
  }
  return std::nullopt;
}

}  // namespace contracts
