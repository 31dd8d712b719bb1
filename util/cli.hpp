// Parsing the command line with CLI11 and mapping its outcomes to the SPEC's exit codes,
// shared by both executables.
#pragma once

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

namespace util {

// Returns nullopt when parsing succeeded and the program should go on; otherwise the exit
// code to return at once (0 for --help/--version, 2 for a usage error, said on stderr).
inline std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, const std::string& tool) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // "tool frobnicate": CLI11 would only say a subcommand is required; name the word and the
    // commands there are.
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      std::string names;
      for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        names += (names.empty() ? "" : ", ") + sub->get_name();
      std::cerr << tool << ": unknown command \"" << argv[1] << "\" (commands: " << names << ")\n";
      return 2;
    }
    std::cerr << tool << ": " << e.what() << " (see --help)\n";
    return 2;
  }
  return std::nullopt;
}

// A report that could not be written (a full disk, a closed pipe, > /dev/full) fails the
// command: exit 2 with one line on stderr, whatever the command's own result was.
inline int finish_stdout(const std::string& tool, int exit_code) {
  errno = 0;
  std::cout.flush();
  int err = errno;
  bool failed = !std::cout.good();
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    failed = true;
    if (!err) err = errno;
  }
  if (!failed) return exit_code;
  std::cerr << tool << ": error: cannot write to standard output" << (err ? std::string(": ") + std::strerror(err) : "")
            << "\n";
  return exit_code == 3 ? 3 : 2;
}

}  // namespace util
