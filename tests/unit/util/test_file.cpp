#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "util/file.hpp"

namespace fs = std::filesystem;

namespace {
struct Tmp {
  fs::path dir;
  Tmp() {
    std::string t = (fs::temp_directory_path() / "harness-util-XXXXXX").string();
    dir = mkdtemp(t.data());
  }
  ~Tmp() { fs::remove_all(dir); }
};
}  // namespace

TEST(File, AtomicWriteLeavesNoTempFile) {
  Tmp t;
  ASSERT_TRUE(util::write_file_atomic(t.dir / "out.json", "{}"));
  EXPECT_EQ(*util::read_file(t.dir / "out.json"), "{}");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(t.dir)) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(File, ReadRefusesFilesOverTheLimit) {
  Tmp t;
  std::ofstream(t.dir / "big") << std::string(2048, 'x');
  auto r = util::read_file(t.dir / "big", 1024);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("larger than the limit of 1024 bytes"), std::string::npos);
}

TEST(File, ExpandSkipsSupportFoldersAndHiddenFiles) {
  Tmp t;
  fs::create_directories(t.dir / "payloads");
  fs::create_directories(t.dir / "sub");
  std::ofstream(t.dir / "b.json") << "{}";
  std::ofstream(t.dir / "sub" / "a.json") << "{}";
  std::ofstream(t.dir / "payloads" / "p.json") << "{}";
  std::ofstream(t.dir / ".hidden.json") << "{}";
  std::ofstream(t.dir / "notes.txt") << "";
  auto r = util::expand_paths({t.dir.string()}, {".json"}, {"payloads"});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].filename(), "b.json");
  EXPECT_EQ((*r)[1].filename(), "a.json");
}

TEST(File, IsInsideRejectsTraversalAndSymlinkEscape) {
  Tmp t;
  fs::create_directories(t.dir / "fx");
  std::ofstream(t.dir / "secret.txt") << "s";
  fs::create_symlink(t.dir / "secret.txt", t.dir / "fx" / "link.txt");
  EXPECT_TRUE(util::is_inside(t.dir / "fx", t.dir / "fx" / "body.json"));
  EXPECT_FALSE(util::is_inside(t.dir / "fx", t.dir / "fx" / ".." / "secret.txt"));
  EXPECT_FALSE(util::is_inside(t.dir / "fx", t.dir / "fx" / "link.txt"));
}

TEST(File, ExpandMatchesSeveralExtensionsInOneSortedWalk) {
  Tmp t;
  std::ofstream(t.dir / "b.jsonl") << "{}";
  std::ofstream(t.dir / "a.json") << "{}";
  std::ofstream(t.dir / "c.txt") << "";
  auto r = util::expand_paths({t.dir.string()}, {".json", ".jsonl"});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].filename(), "a.json");
  EXPECT_EQ((*r)[1].filename(), "b.jsonl");
  // A file named directly is kept whatever its extension.
  auto direct = util::expand_paths({(t.dir / "c.txt").string()}, {".json"});
  ASSERT_TRUE(direct);
  EXPECT_EQ(direct->size(), 1u);
}
