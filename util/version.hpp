// What a build is: the release version (one, in CMakeLists.txt's project()), the git commit it
// was built from (when built from a checkout; "-dirty" when tracked files differed), and the
// versions of the formats it reads and writes, as --version prints them.
#pragma once

#include <string>
#include <string_view>

namespace util {

inline constexpr int kFixtureFormatVersion = 1;  // "fixtureVersion" of a scenario file
inline constexpr int kReportSchemaVersion = 1;   // "schemaVersion" of the JSON reports

std::string_view release_version();  // "0.2.0"
std::string_view git_commit();       // "72d905c1a2b3", "72d905c1a2b3-dirty", or "" outside a checkout

// --version's text: "PROGRAM 0.2.0 (commit 72d905c1a2b3)" and a line with the format versions.
std::string version_text(std::string_view program);

}  // namespace util
