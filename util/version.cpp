// The build's identity (util/version.hpp); the commit comes from a file the build writes each
// time it runs (cmake/build_info.cmake), so a new commit needs no reconfigure.
#include "util/version.hpp"

extern "C" const char* harness_git_commit();  // build_info.cpp, generated

namespace util {

std::string_view release_version() { return HARNESS_VERSION; }

std::string_view git_commit() { return harness_git_commit(); }

std::string version_text(std::string_view program) {
  std::string out(program);
  out.append(" ").append(release_version());
  if (!git_commit().empty()) out.append(" (commit ").append(git_commit()).append(")");
  out.append("\nfixture format ")
      .append(std::to_string(kFixtureFormatVersion))
      .append(", JSON report schema ")
      .append(std::to_string(kReportSchemaVersion));
  return out;
}

}  // namespace util
