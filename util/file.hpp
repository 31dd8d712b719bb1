// Reading files whole and writing them atomically (temp file + rename: never a partial file).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace util {

// Reads a regular file; refuses files above max_bytes with an error naming the limit.
// spare_capacity: bytes of capacity left past the end (a parser that reads ahead needs them).
Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes = 64u << 20,
                              std::size_t spare_capacity = 0);

// Writes content to path through a temp file in the same folder and a rename.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Expands files and directories (recursively, files with one of the extensions) into a list,
// sorted per directory. Hidden entries and folders named in skip_dirs (support files such as
// payloads/) are left out. A file named directly is kept whatever its extension.
Result<std::vector<std::filesystem::path>> expand_paths(const std::vector<std::string>& inputs,
                                                        const std::vector<std::string>& extensions,
                                                        const std::vector<std::string>& skip_dirs = {});

// True if target (after resolving symlinks) lies inside folder.
bool is_inside(const std::filesystem::path& folder, const std::filesystem::path& target);

}  // namespace util
