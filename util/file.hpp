// Reading files whole and writing them atomically (temp file + rename: never a partial file).
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace util {

// Reads a regular file; refuses files above max_bytes with an error naming the limit.
// spare_capacity: bytes of capacity left past the end (a parser that reads ahead needs them).
Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes = 64u << 20,
                              std::size_t spare_capacity = 0);

// Writes content to path through a temp file in the same folder and a rename, so a reader
// never sees a partial file. A symlink is followed (the file it names is replaced, not the
// link); a device, FIFO or socket (or a link to one: /dev/stdout) is written through, never
// replaced.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content);

// The same, written piece by piece (a report streamed as results come): the file appears whole
// at commit(); a writer dropped before commit() leaves nothing behind.
class AtomicWriter {
 public:
  static Result<AtomicWriter> open(const std::filesystem::path& path);
  AtomicWriter(AtomicWriter&& other) noexcept;
  AtomicWriter& operator=(AtomicWriter&&) = delete;
  ~AtomicWriter();
  Status write(std::string_view content);
  Status commit();

 private:
  AtomicWriter() = default;
  int fd_ = -1;
  bool through_ = false;  // a device, FIFO or socket: written in place
  std::filesystem::path shown_, final_;
  std::string temp_;
};

void* huge_page_allocate(std::size_t bytes);
void huge_page_deallocate(void* p, std::size_t bytes) noexcept;

// In a program linked with jemalloc, makes the calling thread allocate from the first arena, the
// main thread's, instead of an arena of its own; elsewhere does nothing. A worker thread with an
// arena of its own had jemalloc purge that arena when it exited (some 20 madvise calls: 0.7-1.4 ms
// at the end of every validate --jobs 2 run), and sharing cost no throughput in our measures.
void share_first_arena() noexcept;

// An allocator whose blocks of a megabyte or more start on a 2 MB boundary and are advised as
// transparent huge pages, so the text filling one takes a page fault per 2 MB rather than per
// 4 KB (a block placed anywhere starts with up to 2 MB of small pages: some 500 faults, which cost
// ~10 us each in a VM). Smaller blocks are plain operator new.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(huge_page_allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { huge_page_deallocate(p, n * sizeof(T)); }
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
};

// Text kept for later in order (a report's parts while its totals are not known yet): in memory
// up to in_memory bytes, then in an anonymous temporary file, so memory does not grow with it.
class Spill {
 public:
  explicit Spill(std::size_t in_memory = 32u << 20) : limit_(in_memory) {}
  Spill(Spill&& other) noexcept;
  Spill& operator=(Spill&&) = delete;
  ~Spill();
  Status append(std::string_view text);
  // Everything appended so far, in order, through write.
  Status copy_to(const std::function<Status(std::string_view)>& write);
  bool empty() const { return memory_.empty() && !file_; }

 private:
  std::size_t limit_;
  std::basic_string<char, std::char_traits<char>, HugePageAllocator<char>> memory_;
  std::FILE* file_ = nullptr;
};

// Whether write_file_atomic(path) can succeed, checked before any work whose result would be
// lost (a transfer already sent): the same error text it would give.
Status probe_writable(const std::filesystem::path& path);

// Expands files and directories (recursively, files with one of the extensions) into a list,
// sorted per directory. Hidden entries and folders named in skip_dirs (support files such as
// payloads/) are left out. A file named directly is kept whatever its extension.
// An entry that cannot be examined (a symlink to itself, a dangling link) is skipped with a
// warning added to warnings, or written to stderr when warnings is null.
Result<std::vector<std::filesystem::path>> expand_paths(const std::vector<std::string>& inputs,
                                                        const std::vector<std::string>& extensions,
                                                        const std::vector<std::string>& skip_dirs = {},
                                                        std::vector<std::string>* warnings = nullptr);

// True if target (after resolving symlinks) lies inside folder.
bool is_inside(const std::filesystem::path& folder, const std::filesystem::path& target);

// Where a program's module (a .so it loads on demand) may be, in order: beside the running
// binary (the build tree), then the installed modules folder relative to it
// (bin/../lib/<arch>/cxone-harness). Never a search path the user's environment controls.
std::vector<std::filesystem::path> module_candidates(std::string_view module_name);

// The module's handle, loaded (RTLD_NOW | RTLD_LOCAL) from the first of its candidates on the
// first call and kept for the program's life; thread-safe. The error says what needed it
// (`needed_for`), where it looked and why it failed, the same on every call.
Result<void*> load_module(std::string_view module_name, std::string_view needed_for);

}  // namespace util
