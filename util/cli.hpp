// Parsing the command line with CLI11 and mapping its outcomes to the SPEC's exit codes,
// shared by both executables.
#pragma once

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "util/exit_codes.hpp"
#include "util/strings.hpp"

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
    // "tool frobnicate": CLI11 would only say a subcommand is required; name the word, the
    // nearest command and the commands there are.
    if (argc > 1 && argv[1][0] != '-' && app.get_subcommands().empty()) {
      std::vector<std::string> names;
      for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        names.push_back(sub->get_name());
      std::string near = closest_match(argv[1], names);
      std::cerr << tool << ": unknown command \"" << argv[1] << "\""
                << (near.empty() ? "" : " (did you mean " + near + "?)") << " (commands: " << join(names, ", ")
                << ")\n";
      return 2;
    }
    const CLI::App* cmd = app.get_subcommands().empty() ? &app : app.get_subcommands().front();
    std::string where = cmd == &app ? tool : tool + " " + cmd->get_name();
    // An option the command does not have: the nearest one it has ("--exectue" -> "--execute").
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
      std::vector<std::string> options;
      for (const auto* o : cmd->get_options())
        for (const auto& n : o->get_lnames()) options.push_back("--" + n);
      for (int i = 1; i < argc; ++i) {
        std::string word = argv[i];
        if (!word.starts_with("--")) continue;
        word = word.substr(0, word.find('='));
        if (std::find(options.begin(), options.end(), word) != options.end() || word == "--") continue;
        std::string near = closest_match(word, options);
        std::cerr << where << ": unknown option " << word << (near.empty() ? "" : " (did you mean " + near + "?)")
                  << " (see " << where << " --help)\n";
        return 2;
      }
    }
    // A required argument left out: say what to pass, not only its name.
    if (dynamic_cast<const CLI::RequiredError*>(&e)) {
      std::string what = e.what();
      std::string name = what.substr(0, what.find(" is required"));
      if (const auto* o = cmd->get_option_no_throw(name); o && name != what) {
        bool positional = o->get_lnames().empty() && o->get_snames().empty();
        std::cerr << where << ": " << (positional ? "missing " + name : name + " is required") << ": "
                  << o->get_description() << " (see " << where << " --help)\n";
        return 2;
      }
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
