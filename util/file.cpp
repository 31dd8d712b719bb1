// File helpers: whole-file reads with size limits, atomic writes, path expansion and confinement.
#include "util/file.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <system_error>
#include <utility>

namespace fs = std::filesystem;

namespace util {

Result<std::string> read_file(const fs::path& path, std::size_t max_bytes, std::size_t spare_capacity) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return make_error(path.string() + ": no such file");
  if (fs::is_directory(status)) return make_error(path.string() + ": is a directory, expected a file");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(path.string() + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  std::size_t expected = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 0;
  auto too_large = [&] {
    ::close(fd);
    return make_error(path.string() + ": larger than the limit of " + std::to_string(max_bytes) + " bytes");
  };
  if (expected > max_bytes) return too_large();
  // One allocation of the right size for a regular file (no regrowth, no copies); pipes and
  // devices grow as they are read.
  std::string data;
  data.reserve(expected + 1 + spare_capacity);
  data.resize(expected + 1);  // + 1: the read that returns 0 there confirms the end
  std::size_t used = 0;
  while (true) {
    if (used == data.size()) data.resize(std::max<std::size_t>(data.size() * 2, 65536));
    std::size_t chunk = data.size() - used;
    ssize_t n = ::read(fd, data.data() + used, chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return make_error(path.string() + ": read error: " + std::strerror(err));
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    if (used > max_bytes) return too_large();
  }
  ::close(fd);
  data.resize(used);
  if (data.capacity() < used + spare_capacity) data.reserve(used + spare_capacity);
  return data;
}

namespace {

Status write_all(int fd, std::string_view content, const fs::path& path) {
  std::size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(path.string() + ": write failed: " + std::strerror(errno));
    }
    off += static_cast<std::size_t>(n);
  }
  return {};
}

// Where the bytes go: the path itself, or the file a symlink names (so the link stays).
struct WriteTarget {
  fs::path path;
  bool through = false;  // a device, FIFO or socket: written in place, never renamed over
};

Result<WriteTarget> write_target(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return make_error(path.string() + ": is a directory, expected a file");
    std::error_code ec;
    fs::path real = fs::canonical(path, ec);
    if (ec) real = path;
    return WriteTarget{real, !S_ISREG(st.st_mode)};
  }
  struct stat lst {};
  if (::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {  // a dangling link: create what it names
    std::error_code ec;
    fs::path real = fs::weakly_canonical(path, ec);
    return WriteTarget{ec ? path : real, false};
  }
  return WriteTarget{path, false};
}

// A temp file "dir/.leaf.XXXXXX" (mkstemp); its name in name. -1 with errno on failure.
int make_temp(const fs::path& dir, const std::string& leaf, std::vector<char>& name) {
  std::string tmpl = (dir / ("." + leaf + ".XXXXXX")).string();
  name.assign(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  return mkstemp(name.data());
}

}  // namespace

Result<AtomicWriter> AtomicWriter::open(const fs::path& path) {
  TRY_ASSIGN(auto target, write_target(path));
  AtomicWriter w;
  w.shown_ = path;
  w.final_ = target.path;
  if (target.through) {
    w.fd_ = ::open(target.path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (w.fd_ < 0) return make_error(path.string() + ": cannot open: " + std::strerror(errno));
    w.through_ = true;
    return w;
  }
  fs::path dir = w.final_.parent_path().empty() ? fs::path(".") : w.final_.parent_path();
  std::vector<char> name;
  w.fd_ = make_temp(dir, w.final_.filename().string(), name);
  if (w.fd_ < 0) return make_error(path.string() + ": cannot create temp file: " + std::strerror(errno));
  w.temp_ = name.data();
  return w;
}

AtomicWriter::AtomicWriter(AtomicWriter&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      through_(o.through_),
      shown_(std::move(o.shown_)),
      final_(std::move(o.final_)),
      temp_(std::move(o.temp_)) {}

AtomicWriter::~AtomicWriter() {
  if (fd_ < 0) return;
  ::close(fd_);
  if (!through_) ::unlink(temp_.c_str());  // never committed: no partial file is left
}

Status AtomicWriter::write(std::string_view content) {
  if (fd_ < 0) return make_error(shown_.string() + ": write after the file was closed");
  return write_all(fd_, content, shown_);
}

Status AtomicWriter::commit() {
  int fd = std::exchange(fd_, -1);
  if (through_) {
    if (::close(fd) != 0) return make_error(shown_.string() + ": write failed: " + std::strerror(errno));
    return {};
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(temp_.c_str());
    return make_error(shown_.string() + ": write failed: " + why);
  }
  ::chmod(temp_.c_str(), 0644);
  if (std::rename(temp_.c_str(), final_.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(temp_.c_str());
    return make_error(shown_.string() + ": rename failed: " + why);
  }
  return {};
}

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kHugeFrom = std::size_t{1} << 20;
}  // namespace

}  // namespace util

// jemalloc's control interface, when the program links jemalloc (weak: null otherwise).
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp, std::size_t newlen)
    __attribute__((weak));

namespace util {

void share_first_arena() noexcept {
  if (!mallctl) return;
  unsigned arena = 0;
  mallctl("thread.arena", nullptr, nullptr, &arena, sizeof arena);
}

void* huge_page_allocate(std::size_t bytes) {
  if (bytes < kHugeFrom) return ::operator new(bytes);
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = ::operator new (rounded, std::align_val_t{kHugePage});
  ::madvise(p, rounded, MADV_HUGEPAGE);  // advice: where THP is off, small pages as before
  return p;
}

void huge_page_deallocate(void* p, std::size_t bytes) noexcept {
  if (bytes < kHugeFrom) return ::operator delete(p);
  ::operator delete (p, std::align_val_t{kHugePage});
}

Spill::Spill(Spill&& o) noexcept
    : limit_(o.limit_), memory_(std::move(o.memory_)), file_(std::exchange(o.file_, nullptr)) {}

Spill::~Spill() {
  if (file_) std::fclose(file_);
}

Status Spill::append(std::string_view text) {
  // Two sizes, no doubling: 64 KB (a small report touches a few small pages), then room for the
  // whole in-memory part at once, in huge pages: address space only, the pages touched as the
  // text fills them. Doubling copied the text into ever larger blocks and touched about three
  // times its size in fresh small pages (~10 us a fault in a VM: 5 ms for a 6 MB report).
  constexpr std::size_t kSmall = 64u << 10;
  if (const std::size_t need = memory_.size() + text.size(); need > memory_.capacity())
    memory_.reserve(need <= kSmall ? kSmall : std::max(limit_, need));
  memory_.append(text);
  if (memory_.size() < limit_) return {};
  if (!file_ && !(file_ = std::tmpfile()))
    return make_error(std::string("cannot create a temporary file for the report: ") + std::strerror(errno));
  if (std::fwrite(memory_.data(), 1, memory_.size(), file_) != memory_.size())
    return make_error(std::string("cannot write the report's temporary file: ") + std::strerror(errno));
  memory_.clear();
  return {};
}

Status Spill::copy_to(const std::function<Status(std::string_view)>& write) {
  if (file_) {
    std::rewind(file_);
    std::string chunk(1u << 20, '\0');
    while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), file_))
      if (auto st = write(std::string_view(chunk.data(), n)); !st) return st;
    if (std::ferror(file_)) return make_error("cannot read the report's temporary file back");
    std::fseek(file_, 0, SEEK_END);
  }
  return write(memory_);
}

Status write_file_atomic(const fs::path& path, std::string_view content) {
  TRY_ASSIGN(auto w, AtomicWriter::open(path));
  if (auto st = w.write(content); !st) return st;
  return w.commit();
}

Status probe_writable(const fs::path& path) {
  TRY_ASSIGN(auto target, write_target(path));
  if (target.through) {
    if (::access(target.path.c_str(), W_OK) != 0)
      return make_error(path.string() + ": cannot open: " + std::strerror(errno));
    return {};
  }
  fs::path dir = target.path.parent_path().empty() ? fs::path(".") : target.path.parent_path();
  std::vector<char> name;
  int fd = make_temp(dir, "probe", name);
  if (fd < 0) return make_error(path.string() + ": cannot create temp file: " + std::strerror(errno));
  ::close(fd);
  ::unlink(name.data());
  return {};
}

Result<std::vector<fs::path>> expand_paths(const std::vector<std::string>& inputs,
                                           const std::vector<std::string>& extensions,
                                           const std::vector<std::string>& skip_dirs,
                                           std::vector<std::string>* warnings) {
  auto warn = [&](const std::string& what) {
    if (warnings)
      warnings->push_back(what);
    else
      std::fprintf(stderr, "warning: %s\n", what.c_str());
  };
  std::vector<fs::path> out;
  for (const auto& input : inputs) {
    std::error_code ec;
    fs::path p(input);
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        // Skip hidden folders and files (editor temp files, .git).
        std::string leaf = it->path().filename().string();
        std::error_code entry_ec;
        bool is_dir = it->is_directory(entry_ec);
        bool is_file = !entry_ec && it->is_regular_file(entry_ec);
        if (entry_ec) {  // a symlink to itself, a dangling link: nothing to read there
          if (!leaf.starts_with(".")) warn(it->path().string() + ": skipped (" + entry_ec.message() + ")");
          continue;
        }
        bool skipped_dir = is_dir && std::find(skip_dirs.begin(), skip_dirs.end(), leaf) != skip_dirs.end();
        if (leaf.starts_with(".") || skipped_dir) {
          if (is_dir) it.disable_recursion_pending();
          continue;
        }
        if (is_file &&
            std::find(extensions.begin(), extensions.end(), it->path().extension().string()) != extensions.end())
          found.push_back(it->path());
      }
      if (ec) return make_error(input + ": cannot list: " + ec.message());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else if (ec && ec != std::errc::no_such_file_or_directory) {
      return make_error(input + ": " + ec.message());
    } else {
      return make_error(input + ": no such file or directory");
    }
  }
  return out;
}

bool is_inside(const fs::path& folder, const fs::path& target) {
  std::error_code ec;
  fs::path base = fs::weakly_canonical(folder, ec);
  if (ec) return false;
  fs::path full = fs::weakly_canonical(target, ec);
  if (ec) return false;
  auto [b, f] = std::mismatch(base.begin(), base.end(), full.begin(), full.end());
  return b == base.end();
}

std::vector<std::filesystem::path> module_candidates(std::string_view module_name) {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const auto bin = exe.parent_path();
  return {bin / module_name, (bin / HARNESS_MODULE_DIR_FROM_BIN / module_name).lexically_normal()};
}

Result<void*> load_module(std::string_view module_name, std::string_view needed_for) {
  static std::mutex mu;
  static std::map<std::string, Result<void*>, std::less<>> loaded;  // by module name: its outcome
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = loaded.find(module_name); it != loaded.end()) return it->second;
  void* handle = nullptr;
  std::string tried;
  for (const auto& candidate : module_candidates(module_name)) {
    if (!handle) handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    tried.append(tried.empty() ? "" : ", ").append(candidate.string());
  }
  Result<void*> outcome = handle;
  if (!handle) {
    const char* why = ::dlerror();
    outcome = make_error(std::string(needed_for) + " needs " + std::string(module_name) + " (looked in " + tried +
                         "): " + (why ? why : "not found"));
  }
  return loaded.emplace(std::string(module_name), std::move(outcome)).first->second;
}

}  // namespace util
