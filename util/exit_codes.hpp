// The programs' exit codes (SPEC): done, a failure found, a usage or input error, an internal
// error. Apart from util/cli.hpp so that a command's code can say them without CLI11's header.
#pragma once

namespace util {

inline constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2, kExitInternal = 3;

}  // namespace util
