// What the commands share: the one-line usage error, colour on a terminal, stdout as a
// writer, and the extra report files (checked before a run, written atomically after it).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/commands/commands.hpp"
#include "mockserver/fixture.hpp"
#include "util/file.hpp"
#include "util/result.hpp"

namespace client::commands {

// "handover-diag: MESSAGE" on stderr; the usage exit code.
int usage_error(const std::string& message);
// stdout is a terminal and NO_COLOR is not set.
bool color_stdout();
// Writes text to stdout; an error when stdout failed (a closed pipe, a full disk).
util::Status write_stdout(std::string_view text);
// Every --FORMAT FILE is writable, or the usage error's exit code.
std::optional<int> probe_reports(const ReportFiles& files);
// Each report file gets render(format), atomically.
std::optional<int> write_reports(const ReportFiles& files,
                                 const std::function<std::string(const std::string&)>& render);
// A streamed report's end written into path atomically through finish(writer); flag names it in
// an error.
using Writer = std::function<util::Status(std::string_view)>;
std::optional<int> finish_file(const std::string& flag, const std::string& path,
                               const std::function<util::Status(const Writer&)>& finish);

// The scenario files under paths (*.json, JSON Schemas aside), loaded; an error names the file.
util::Result<std::vector<mockserver::Fixture>> load_scenarios(const std::vector<std::string>& paths);

}  // namespace client::commands
