// What the programs' modules with a C interface (zip, YAML) share: an error handed back as one
// printable, NUL-terminated line in the caller's buffer. Header only: a module links nothing of
// util.
#pragma once

#include <cstddef>
#include <string>

#include "util/printable.hpp"

namespace util {

// Copies message, printable, into error (cut at a character's boundary to fit error_size,
// NUL-terminated); returns 1, a module's "failed".
inline int module_error(const std::string& message, char* error, std::size_t error_size) {
  if (error_size) {
    const std::string line = printable_line(message);
    std::size_t n = line.size() < error_size ? line.size() : error_size - 1;
    while (n > 0 && n < line.size() && (static_cast<unsigned char>(line[n]) & 0xC0) == 0x80) --n;
    line.copy(error, n);
    error[n] = '\0';
  }
  return 1;
}

}  // namespace util
