// Cognigy package exports are zips, read by a module (handover-diag-zip.so beside the binaries,
// or in the installed modules folder) loaded on the first .zip: libzip and what it links
// (OpenSSL's libcrypto, bzip2, zlib) cost ~4 ms of every handover-diag start otherwise, a
// validate of 20,000 payloads included. The interface is C: no C++ object crosses it.
#pragma once

#include <cstddef>

namespace client::flows {
inline constexpr const char* kZipModuleName = "handover-diag-zip.so";
}  // namespace client::flows

extern "C" {

struct HarnessZipLimits {
  std::size_t max_entries;  // entries in the zip (read or not)
  std::size_t max_file;     // bytes of one entry read, uncompressed
  std::size_t max_total;    // bytes of all entries read, uncompressed
};

// Called for each entry read, in the zip's order; non-zero stops the walk (an error the caller
// has recorded itself).
using HarnessZipOnEntry = int (*)(void* ctx, const char* name, std::size_t name_size, const char* text,
                                  std::size_t text_size);

// Reads every entry of the zip at path whose name ends in .json or starts with nodeData/, whole,
// within limits. Returns 0; or 1 with one line in error (path, entry and what; NUL-terminated,
// cut to error_size), or 2 when on_entry stopped the walk.
int harness_zip_json_entries(const char* path, const HarnessZipLimits* limits, HarnessZipOnEntry on_entry, void* ctx,
                             char* error, std::size_t error_size);
}
