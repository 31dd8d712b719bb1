// Loads scenario files strictly: unknown keys, wrong types and unsafe paths are errors that
// name file, line and column (and "did you mean" for typos).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "mockserver/fixture.hpp"
#include "util/result.hpp"

namespace mockserver {

util::Result<Fixture> load_fixture(const std::filesystem::path& file);
// text: the file's content; file: its path (for messages and relative bodyFile/payloadFile).
// support: whether payloadFile/bodyFile may be read (from file's folder, confined to it); a
// fixture posted to the admin API has no folder, and may not read the server's files.
enum class SupportFiles { beside_the_file, none };
util::Result<Fixture> parse_fixture(std::string_view text, const std::filesystem::path& file,
                                    SupportFiles support = SupportFiles::beside_the_file);

// Files and directories (recursive *.json; payloads/ and bodies/ folders hold support files).
util::Result<std::vector<std::filesystem::path>> fixture_files(const std::vector<std::string>& inputs);

}  // namespace mockserver
