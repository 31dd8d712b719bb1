// What the programs' modules with a C interface (zip, YAML) share: an error
// handed back as one NUL-terminated line in the caller's buffer. Header only: a module links
// nothing of util.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>

namespace util {

// Copies message into error (cut to error_size, NUL-terminated); returns 1, a module's "failed".
inline int module_error(const std::string& message, char* error, std::size_t error_size) {
  if (error_size) {
    const std::size_t n = std::min(message.size(), error_size - 1);
    std::memcpy(error, message.data(), n);
    error[n] = '\0';
  }
  return 1;
}

}  // namespace util
