// The data files under contracts/ as compiled into the binaries (see cmake/embed.cmake).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace contracts {

struct EmbeddedFile {
  std::string_view path;  // relative to contracts/, e.g. "schemas/transfer.schema.json"
  std::string_view content;
};

const std::vector<EmbeddedFile>& embedded_files();

std::optional<std::string_view> embedded_file(std::string_view path);

}  // namespace contracts
