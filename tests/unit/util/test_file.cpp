#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <unistd.h>

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

TEST(File, AtomicWriteFollowsALinkToAFileAndKeepsTheLink) {
  auto dir = fs::temp_directory_path() / ("harness-link-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "real.txt") << "old";
  fs::create_symlink(dir / "real.txt", dir / "link.txt");
  ASSERT_TRUE(util::write_file_atomic(dir / "link.txt", "new"));
  EXPECT_TRUE(fs::is_symlink(dir / "link.txt"));
  EXPECT_EQ(*util::read_file(dir / "real.txt"), "new");
  fs::remove_all(dir);
}

TEST(File, AtomicWriteGoesThroughADeviceInsteadOfReplacingIt) {
  auto dir = fs::temp_directory_path() / ("harness-dev-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::create_symlink("/dev/null", dir / "null");
  ASSERT_TRUE(util::write_file_atomic(dir / "null", "anything"));
  EXPECT_TRUE(fs::is_symlink(dir / "null"));
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  EXPECT_TRUE(util::probe_writable(dir / "null"));
  fs::remove_all(dir);
}

TEST(File, ProbeWritableSaysWhatTheWriteWouldSay) {
  auto missing = util::probe_writable("/nonexistent-folder/x.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("cannot create temp file"), std::string::npos);
  auto folder = util::probe_writable(fs::temp_directory_path());
  ASSERT_FALSE(folder);
  EXPECT_NE(folder.error().message.find("is a directory"), std::string::npos);
}

TEST(File, ExpandSkipsASymlinkToItselfWithAWarning) {
  auto dir = fs::temp_directory_path() / ("harness-loop-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::create_symlink("loop.json", dir / "loop.json");
  std::ofstream(dir / "ok.json") << "{}";
  std::vector<std::string> warnings;
  auto files = util::expand_paths({dir.string()}, {".json"}, {}, &warnings);
  ASSERT_TRUE(files) << files.error().message;
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ(files->front().filename(), "ok.json");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("loop.json: skipped"), std::string::npos) << warnings[0];
  fs::remove_all(dir);
}

// A spill grows in two steps (64 KB, then its whole in-memory size in huge pages) and then moves
// to a temporary file: what comes back is what went in, in order, across every step.
TEST(File, SpillGivesBackEverythingInOrderAcrossItsSizesAndTheFile) {
  for (std::size_t limit : {std::size_t{8} << 20, std::size_t{3} << 20}) {
    util::Spill spill(limit);
    std::string expected;
    for (int i = 0; i < 60000; ++i) {
      std::string part = "part " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 200), 'x') + "\n";
      ASSERT_TRUE(spill.append(part));
      expected += part;
    }
    // 3 MB: moved to the file twice; 8 MB: all in memory, past 64 KB and past its first huge page
    ASSERT_GT(expected.size(), std::size_t{6} << 20);
    std::string back;
    ASSERT_TRUE(spill.copy_to([&](std::string_view t) -> util::Status {
      back.append(t);
      return {};
    }));
    EXPECT_EQ(back.size(), expected.size()) << limit;
    EXPECT_TRUE(back == expected) << limit;
  }
}

TEST(File, HugePageAllocatorAlignsLargeBlocksOnHugePages) {
  util::HugePageAllocator<char> alloc;
  char* large = alloc.allocate(std::size_t{3} << 20);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(large) % (std::size_t{2} << 20), 0u);
  large[0] = 'a';
  large[(std::size_t{3} << 20) - 1] = 'z';  // the whole size is usable
  alloc.deallocate(large, std::size_t{3} << 20);
  char* small = alloc.allocate(100);
  small[99] = 'x';
  alloc.deallocate(small, 100);
}

// jemalloc's control interface, when this test links jemalloc (weak: null in the sanitizer build).
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp, std::size_t newlen)
    __attribute__((weak));

TEST(File, ShareFirstArenaMovesAThreadToTheMainThreadsArena) {
  if (!mallctl) GTEST_SKIP() << "jemalloc is not linked in this build (sanitizers, fuzzing)";
  auto arena_of_this_thread = [] {
    unsigned arena = ~0u;
    std::size_t size = sizeof arena;
    EXPECT_EQ(mallctl("thread.arena", &arena, &size, nullptr, 0), 0);
    return arena;
  };
  unsigned before = ~0u, after = ~0u;
  std::thread([&] {
    std::string warm(100, 'x');  // the thread's first allocation picks its arena
    before = arena_of_this_thread();
    util::share_first_arena();
    after = arena_of_this_thread();
  }).join();
  EXPECT_NE(before, 0u) << "a second thread gets an arena of its own (jemalloc makes four per CPU)";
  EXPECT_EQ(after, 0u);
}
