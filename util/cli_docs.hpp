// A program's man page (roff, section 1) and bash completion, written from its CLI11 definition
// so neither can drift from what the program accepts. The build runs each program with
// --generate-docs man|bash (a hidden first argument) and installs the result; a test compares
// both with --help.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

namespace util {

struct ProgramDocs {
  std::string_view name;         // handover-diag
  std::string_view summary;      // one line for NAME
  std::string_view version;      // util::release_version()
  std::string_view see_also;     // "cxone-mock(1)"
  std::string_view exit_status;  // roff text of the EXIT STATUS section
};

std::string man_page(const CLI::App& app, const ProgramDocs& docs);
std::string bash_completion(const CLI::App& app, const ProgramDocs& docs);

// Handles `PROGRAM --generate-docs man|bash` (argv as main got it): prints the page or the script
// and returns true; false for any other command line.
bool generate_docs(int argc, char** argv, const CLI::App& app, const ProgramDocs& docs);

}  // namespace util
