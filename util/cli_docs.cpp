// Man pages and bash completions from a CLI11 definition (util/cli_docs.hpp).
#include "util/cli_docs.hpp"

#include <iostream>

namespace util {

namespace {

// Where a command another program runs (cxone-mock record is cxone-mock-record) takes that
// program's options: the build fills these in (cmake/generate_docs.cmake, SUBPROGRAM).
constexpr std::string_view kExternalMan = ".\\\" @EXTERNAL@";
constexpr std::string_view kExternalWords = "@EXTERNAL@";

// Text safe in roff: backslashes escaped, hyphens literal, a line never starting a request.
std::string roff(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

std::vector<const CLI::Option*> visible_options(const CLI::App& app) {
  return app.get_options([](const CLI::Option* o) { return !o->get_group().empty(); });
}

// "--format FORMAT", "--execute", "-o, --output OUTPUT", "paths…" as a man page shows them.
std::string option_line(const CLI::Option* o) {
  if (o->get_positional()) return "\\fI" + roff(o->get_name()) + "\\fR" + (o->get_expected_max() > 1 ? "\\&..." : "");
  std::string names;
  for (const auto& s : o->get_snames()) names += (names.empty() ? "" : ", ") + std::string("\\fB\\-") + s + "\\fR";
  for (const auto& l : o->get_lnames())
    names += (names.empty() ? "" : ", ") + std::string("\\fB\\-\\-") + roff(l) + "\\fR";
  if (o->get_type_size_max() > 0) {
    std::string value = o->get_lnames().empty() ? std::string("VALUE") : o->get_lnames().front();
    for (char& c : value) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    names += " \\fI" + roff(value) + "\\fR";
  }
  return names;
}

void options_section(const CLI::App& app, std::string& out) {
  for (const auto* o : visible_options(app)) {
    out += ".TP\n" + option_line(o) + "\n" +
           roff(o->get_description().empty() ? "(no description)" : o->get_description()) + "\n";
  }
}

void commands_of(const CLI::App& app, const std::string& prefix, std::string& out) {
  for (const auto* sub : visible_subcommands(app)) {
    const std::string path = prefix + " " + sub->get_name();
    out += ".SS \"" + roff(path) + "\"\n" + roff(sub->get_description()) + "\n";
    options_section(*sub, out);
    if (sub->get_allow_extras()) out += std::string(kExternalMan) + "\n";  // another program's options
    commands_of(*sub, path, out);
  }
}

// The words completion offers for one command: its options and its subcommands (and, for a
// command another program runs, a placeholder for that program's words).
std::string words_of(const CLI::App& app) {
  std::string words;
  for (const auto* o : visible_options(app)) {
    for (const auto& s : o->get_snames()) words += " -" + s;
    for (const auto& l : o->get_lnames()) words += " --" + l;
  }
  for (const auto* sub : visible_subcommands(app)) words += " " + sub->get_name();
  if (app.get_allow_extras() && app.get_parent()) words += std::string(" ") + std::string(kExternalWords);
  return words.empty() ? words : words.substr(1);
}

void completion_cases(const CLI::App& app, const std::string& path, std::string& out) {
  out += "    \"" + path + "\") words=\"" + words_of(app) + "\" ;;\n";
  for (const auto* sub : visible_subcommands(app))
    completion_cases(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

}  // namespace

std::string man_page(const CLI::App& app, const ProgramDocs& docs) {
  std::string upper(docs.name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string out = ".\\\" Generated from the program's own command-line definition (util/cli_docs.cpp).\n";
  out += ".TH " + roff(upper) + " 1 \"\" \"" + roff(docs.name) + " " + roff(docs.version) + "\" \"User Commands\"\n";
  out += ".SH NAME\n" + roff(docs.name) + " \\- " + roff(docs.summary) + "\n";
  out += ".SH SYNOPSIS\n.B " + roff(docs.name) + "\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n";
  out += ".SH DESCRIPTION\n" + roff(app.get_description()) + "\n";
  out += ".SH OPTIONS\n";
  options_section(app, out);
  out += ".SH COMMANDS\n";
  commands_of(app, std::string(docs.name), out);
  if (!docs.exit_status.empty()) out += ".SH \"EXIT STATUS\"\n" + std::string(docs.exit_status) + "\n";
  if (!docs.see_also.empty()) out += ".SH \"SEE ALSO\"\n" + roff(docs.see_also) + "\n";
  return out;
}

std::string bash_completion(const CLI::App& app, const ProgramDocs& docs) {
  std::string fn = "_" + std::string(docs.name);
  for (char& c : fn) c = c == '-' ? '_' : c;
  std::string out = "# bash completion for " + std::string(docs.name) +
                    ", generated from its command-line definition (util/cli_docs.cpp).\n";
  out += fn + "() {\n";
  out += "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=\"\" words i w\n";
  out += "  # The command path so far: the words that name subcommands, in order.\n";
  out += "  for ((i = 1; i < COMP_CWORD; i++)); do\n";
  out += "    w=\"${COMP_WORDS[i]}\"\n";
  out += "    case \" $(" + fn +
         "_words \"$path\") \" in *\" $w \"*) [[ $w != -* ]] && path=\"${path:+$path }$w\" ;; esac\n";
  out += "  done\n";
  out += "  words=\"$(" + fn + "_words \"$path\")\"\n";
  out += "  if [[ $cur == -* || -z $path ]]; then\n";
  out += "    mapfile -t COMPREPLY < <(compgen -W \"$words\" -- \"$cur\")\n";
  out += "  else\n";
  out += "    mapfile -t COMPREPLY < <(compgen -W \"$words\" -f -- \"$cur\")\n";
  out += "  fi\n";
  out += "}\n";
  out += fn + "_words() {\n  local words=\"\"\n  case \"$1\" in\n";
  completion_cases(app, "", out);
  out += "  esac\n  printf '%s' \"$words\"\n}\n";
  out += "complete -o default -F " + fn + " " + std::string(docs.name) + "\n";
  return out;
}

bool generate_docs(int argc, char** argv, const CLI::App& app, const ProgramDocs& docs) {
  if (argc != 3 || std::string_view(argv[1]) != "--generate-docs") return false;
  const std::string_view what = argv[2];
  if (what == "man") {
    std::cout << man_page(app, docs);
  } else if (what == "bash") {
    std::cout << bash_completion(app, docs);
  } else if (what == "options") {  // this program's options, as another's man page includes them
    std::string out;
    options_section(app, out);
    std::cout << out;
  } else if (what == "words") {  // this program's completion words, for another's script
    std::cout << words_of(app);
  } else {
    std::cerr << docs.name << ": --generate-docs man|bash|options|words\n";
  }
  return true;
}

}  // namespace util
