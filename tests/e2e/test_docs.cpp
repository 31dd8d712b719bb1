// The man pages and bash completions the build generates say what --help says: every command and
// every option each command's --help lists appears in the program's man page and in the words its
// completion offers for that command; --version names the release, the commit and the formats.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "e2e_support.hpp"
#include "process.hpp"
#include "util/file.hpp"

namespace fs = std::filesystem;
using namespace e2e;  // NOLINT: the shared helpers and paths

namespace {

fs::path share_dir() { return fs::path(kDiag).parent_path().parent_path() / "share"; }

// The option names (--x) in the Options part of a --help text, and the subcommand names.
struct Help {
  std::set<std::string> options, subcommands;
};

Help read_help(const std::vector<std::string>& argv) {
  auto r = run(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Help h;
  bool in_subcommands = false;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("Subcommands:", 0) == 0) {
      in_subcommands = true;
      continue;
    }
    if (in_subcommands) {
      std::smatch m;
      if (std::regex_search(line, m, std::regex(R"(^\s+([a-z][a-z-]*)\s)"))) h.subcommands.insert(m[1]);
      continue;
    }
    static const std::regex option(R"((^|[\s,])(--[a-z][a-z0-9-]*))");
    for (std::sregex_iterator it(line.begin(), line.end(), option), end; it != end; ++it) h.options.insert((*it)[2]);
  }
  return h;
}

// Text as the man page writes it (hyphens escaped).
std::string roff_option(const std::string& option) {
  std::string out;
  for (char c : option) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

void check_program(const std::string& binary, const std::string& name) {
  auto man = util::read_file(share_dir() / "man" / "man1" / (name + ".1"));
  ASSERT_TRUE(man.has_value()) << "no generated man page for " << name;
  fs::path completion = share_dir() / "bash-completion" / "completions" / name;
  ASSERT_TRUE(fs::exists(completion));
  std::string fn = name;
  for (char& c : fn) c = c == '-' ? '_' : c;
  auto words = [&](const std::string& path) {
    auto r = run({"/bin/bash", "-c", "source '" + completion.string() + "' && _" + fn + "_words '" + path + "'"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return " " + r.out + " ";
  };
  Help top = read_help({binary, "--help"});
  ASSERT_FALSE(top.subcommands.empty());
  for (const auto& o : top.options) EXPECT_NE(words("").find(" " + o + " "), std::string::npos) << name << " " << o;
  for (const auto& sub : top.subcommands) {
    EXPECT_NE(man->find(".SS \"" + roff_option(name + " " + sub) + "\""), std::string::npos) << name << " " << sub;
    EXPECT_NE(words("").find(" " + sub + " "), std::string::npos) << name << " " << sub;
    Help help = read_help({binary, sub, "--help"});
    for (const auto& o : help.options) {
      EXPECT_NE(man->find(roff_option(o)), std::string::npos) << name << " " << sub << " " << o;
      EXPECT_NE(words(sub).find(" " + o + " "), std::string::npos) << name << " " << sub << " " << o;
    }
  }
  // The page is well-formed roff: groff renders it without a warning.
  auto rendered = run({"/usr/bin/groff", "-man", "-ww", "-z", (share_dir() / "man" / "man1" / (name + ".1")).string()});
  EXPECT_EQ(rendered.exit_code, 0) << name;
  EXPECT_EQ(rendered.err, "") << name;
}

TEST(Docs, ManPagesAndCompletionsSayWhatHelpSays) {
  check_program(kDiag, "handover-diag");
  check_program(kMock, "cxone-mock");
}

TEST(Docs, VersionNamesTheReleaseTheCommitAndTheFormats) {
  auto r = run({kDiag, "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^handover-diag \d+\.\d+\.\d+)"))) << r.out;
  EXPECT_NE(r.out.find("fixture format 1, JSON report schema 1"), std::string::npos) << r.out;
  auto git = run({"/usr/bin/git", "-C", HARNESS_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"});
  if (git.exit_code == 0) {
    // Built from a checkout: the commit named is one of this repository's (the build's own, which
    // is HEAD unless a commit was made since the last build).
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(\(commit ([0-9a-f]{12})(-dirty)?\))"))) << r.out;
    auto known = run({"/usr/bin/git", "-C", HARNESS_SOURCE_DIR, "cat-file", "-e", m[1].str() + "^{commit}"});
    EXPECT_EQ(known.exit_code, 0) << m[1] << " is not a commit of " << HARNESS_SOURCE_DIR;
  } else {
    EXPECT_EQ(r.out.find("(commit"), std::string::npos) << r.out;
  }
  auto mock = run({kMock, "--version"});
  EXPECT_EQ(mock.out.substr(0, 11), "cxone-mock ");
  EXPECT_NE(mock.out.find("fixture format 1"), std::string::npos);
}

}  // namespace
