// handover-diag-zip.so: the entries of a Cognigy package zip, through libzip (see the header).
#include "client/flows/package_zip.hpp"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <string>

#include "util/module_error.hpp"

namespace {

struct Discard {
  void operator()(zip_t* z) const { zip_discard(z); }
};

std::string megabytes(std::size_t bytes) { return std::to_string(bytes >> 20) + " MB"; }

int read_entries(const std::string& path, const HarnessZipLimits& limits, HarnessZipOnEntry on_entry, void* ctx,
                 char* error, std::size_t error_size) {
  int err = 0;
  std::unique_ptr<zip_t, Discard> zip(zip_open(path.c_str(), ZIP_RDONLY, &err));
  if (!zip) {
    zip_error_t e;
    zip_error_init_with_code(&e, err);
    std::string why = zip_error_strerror(&e);
    zip_error_fini(&e);
    return util::module_error(path + ": not a readable package zip (" + why + ")", error, error_size);
  }
  const zip_int64_t count = zip_get_num_entries(zip.get(), 0);
  if (count < 0 || static_cast<std::size_t>(count) > limits.max_entries)
    return util::module_error(
        path + ": " + std::to_string(count) + " entries (at most " + std::to_string(limits.max_entries) + " are read)",
        error, error_size);
  // path!entry: what, as one line.
  auto entry_fails = [&](const std::string& name, const std::string& what) {
    std::string line = path;
    line.append("!").append(name).append(": ").append(what);
    return util::module_error(line, error, error_size);
  };
  const std::string too_large = "larger than " + megabytes(limits.max_file) + " uncompressed";
  const std::string over_total = path + ": more than " + megabytes(limits.max_total) + " uncompressed";
  std::size_t total = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    if (zip_stat_index(zip.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) continue;
    std::string name = st.name;
    if (!name.ends_with(".json") && name.find("nodeData/") != 0) continue;
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > limits.max_file) return entry_fails(name, too_large);
    total += st.size;
    if (total > limits.max_total) return util::module_error(over_total, error, error_size);
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(zip_fopen_index(zip.get(), static_cast<zip_uint64_t>(i), 0),
                                                         &zip_fclose);
    if (!f) return entry_fails(name, zip_strerror(zip.get()));
    std::string text(st.size, '\0');
    const zip_int64_t got = zip_fread(f.get(), text.data(), st.size);
    if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) return entry_fails(name, "cut short");
    if (on_entry(ctx, name.data(), name.size(), text.data(), text.size()) != 0) return 2;
  }
  return 0;
}

}  // namespace

extern "C" int harness_zip_json_entries(const char* path, const HarnessZipLimits* limits, HarnessZipOnEntry on_entry,
                                        void* ctx, char* error, std::size_t error_size) {
  try {
    return read_entries(path, *limits, on_entry, ctx, error, error_size);
  } catch (const std::exception& e) {  // nothing may unwind through the C interface
    return util::module_error(std::string(path) + ": " + e.what(), error, error_size);
  }
}
