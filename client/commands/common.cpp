// Shared pieces of the commands (see common.hpp).
#include "client/commands/common.hpp"

#include "mockserver/fixture_loader.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "util/exit_codes.hpp"

namespace client::commands {

int usage_error(const std::string& message) {
  std::cerr << "handover-diag: " << message << "\n";
  return util::kExitUsage;
}

bool color_stdout() { return isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"); }

util::Status write_stdout(std::string_view text) {
  std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!std::cout) return util::make_error("standard output: write failed");
  return {};
}

std::optional<int> probe_reports(const ReportFiles& files) {
  for (const auto& [format, path] : files)
    if (auto st = util::probe_writable(path); !st) return usage_error("--" + format + " " + st.error().message);
  return std::nullopt;
}

std::optional<int> write_reports(const ReportFiles& files,
                                 const std::function<std::string(const std::string&)>& render) {
  for (const auto& [format, path] : files)
    if (auto st = util::write_file_atomic(path, render(format)); !st)
      return usage_error("--" + format + " " + st.error().message);
  return std::nullopt;
}

std::optional<int> finish_file(const std::string& flag, const std::string& path,
                               const std::function<util::Status(const Writer&)>& finish) {
  auto file = util::AtomicWriter::open(path);
  if (!file) return usage_error(flag + " " + file.error().message);
  auto st = finish([&](std::string_view text) { return file->write(text); });
  if (st) st = file->commit();
  if (!st) return usage_error(flag + " " + st.error().message);
  return std::nullopt;
}

util::Result<std::vector<mockserver::Fixture>> load_scenarios(const std::vector<std::string>& paths) {
  TRY_ASSIGN(auto files, util::expand_paths(paths, {".json"}));
  std::vector<mockserver::Fixture> fixtures;
  for (const auto& f : files) {
    if (f.filename().string().ends_with(".schema.json")) continue;
    TRY_ASSIGN(auto fixture, mockserver::load_fixture(f));
    fixtures.push_back(std::move(fixture));
  }
  if (fixtures.empty()) return util::make_error("no scenario files (*.json) in " + paths.front());
  return fixtures;
}

}  // namespace client::commands
