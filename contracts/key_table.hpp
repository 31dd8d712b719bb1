// Private to the contracts module: the table DUPLICATE_KEY is found with, shared by the lint pass
// (lints.cpp) and the schema walk (schema_check.cpp), which adds the keys of the objects it walks
// so that the lint pass need not walk them again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "contracts/json_adapters.hpp"

namespace contracts {

// An object naming a key twice is legal JSON text, but receivers disagree on which value wins
// (most keep the last, some the first, strict ones refuse): never what the flow meant.
// Linear in the number of keys, and a few instructions per key: each key is hashed once (its
// length and first and last eight bytes, two multiplies) together with its object's identity, and
// goes into one open-addressing table for the whole document, kept per thread and stamped per
// document (nothing to clear between objects or documents; a comparison of the bytes only when
// the hash and object already match). (An object of 1,500 keys was 1.1 M pairwise comparisons,
// most of the validator's time; a node-based hash map then cost its allocations; a
// general-purpose string hash per key was 12 % of the time on ordinary payloads; a table per
// object, filled and reset object by object, 14 %.)
inline std::uint64_t key_hash(std::string_view key) {
  const char* p = key.data();
  std::size_t n = key.size();
  std::uint64_t head = 0, tail = 0;
  if (n >= 8) {
    std::memcpy(&head, p, 8);
    std::memcpy(&tail, p + n - 8, 8);
    if (n > 16) {  // and the middle: item_0001_description is not item_0002_description
      std::uint64_t mid = 0;
      std::memcpy(&mid, p + n / 2 - 4, 8);
      head ^= mid * 0xC2B2AE3D27D4EB4Full;
    }
  } else if (n >= 4) {
    std::uint32_t a = 0, b = 0;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    head = a | (std::uint64_t{b} << 32);
  } else if (n > 0) {
    head = static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) << 8 |
           static_cast<unsigned char>(p[n - 1]) << 16;
  }
  // The top bits of a product depend on every bit of its factor: callers index by them.
  return (head ^ (tail * 0x9E3779B97F4A7C15ull) ^ n) * 0xC2B2AE3D27D4EB4Full;
}

class DocumentKeys {
 public:
  // A new document of at most about max_keys keys: every key added before is forgotten (by the
  // stamp, not by clearing). Only the first slots the document needs are used (at most half
  // full), so a large document before does not spread every later small one's keys over its
  // table.
  void start(std::size_t max_keys) {
    if (++gen_ == 0) {  // the stamp wrapped: clear once
      for (auto& slot : slots_) slot.gen = 0;
      gen_ = 1;
    }
    used_ = 0;
    unsigned bits = kMinBits;
    while (bits < kMaxStartBits && (std::size_t{1} << (bits - 1)) < max_keys) ++bits;
    use(bits);
  }
  // How many times key was added before to the object identified by object (any number that
  // differs between the document's objects: its tape index, a count of the objects walked).
  [[gnu::always_inline]] unsigned add(std::uint32_t object, std::string_view key) {
    if (used_ >= limit_) [[unlikely]]
      grow();
    const std::uint64_t h = key_hash(key) ^ (std::uint64_t{object} * 0x9E3779B97F4A7C15ull);
    for (std::size_t i = h >> shift_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.gen != gen_) {
        slot = {h, key.data(), static_cast<std::uint32_t>(key.size()), gen_, object, 1};
        ++used_;
        return 0;
      }
      if (slot.hash == h && slot.object == object && slot.size == key.size() &&
          std::memcmp(slot.key, key.data(), key.size()) == 0) [[unlikely]]
        return slot.count++;
    }
  }

 private:
  struct Slot {  // 32 bytes: two to a cache line
    std::uint64_t hash = 0;
    const char* key = nullptr;
    std::uint32_t size = 0;
    std::uint32_t gen = 0;
    std::uint32_t object = 0;
    std::uint32_t count = 0;
  };
  static constexpr unsigned kMinBits = 6, kMaxStartBits = 20;
  // Use the first 2^bits slots (the vector grows to hold them; what lies beyond keeps its stamps).
  void use(unsigned bits) {
    const std::size_t n = std::size_t{1} << bits;
    if (slots_.size() < n) slots_.resize(n);
    shift_ = 64 - bits;
    mask_ = n - 1;
    limit_ = n / 2;
  }
  // More keys than start was told: twice the slots, this document's keys placed again.
  [[gnu::noinline]] void grow() {
    std::vector<Slot> old(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(mask_ + 1));
    for (std::size_t i = 0; i <= mask_; ++i) slots_[i].gen = 0;
    use(64 - shift_ + 1);
    for (const auto& slot : old) {
      if (slot.gen != gen_) continue;
      std::size_t i = slot.hash >> shift_;
      while (slots_[i].gen == gen_) i = (i + 1) & mask_;
      slots_[i] = slot;
    }
  }
  std::vector<Slot> slots_;
  unsigned shift_ = 64;
  std::size_t mask_ = 0, limit_ = 0;
  std::uint32_t gen_ = 0;
  std::size_t used_ = 0;
};

// The document's key table, one per thread (kept between documents).
DocumentKeys& thread_keys();

// A bound on a document's keys: a key and its value take two words of the tape at least; the root
// word holds the index of the tape's last word (simdjson's doc/tape.md).
inline std::size_t tape_keys_bound(const TapeDocument& tape) { return (tape.tape[0] & TapeAdapter::kPayload) / 2; }

// What the first contract's schema walk does for DUPLICATE_KEY on the payload hot path: it adds
// the keys of each object it walks (once per object, however many subschemas look at it) and
// notes any container it goes past without walking. complete() then says the lint pass has
// nothing to add: every object's keys were seen, none twice (with no template in the text, the
// only other value lint; the caller checks that). Otherwise the lint pass walks the document as
// before and reports what it finds.
// The walk only needs "none twice" for sure, so its table holds 24 bits of each key's hash (mixed
// with its object's) and no key: four bytes a slot with the document's 8-bit stamp, the whole
// table in a few cache lines, four times the slots the keys could need (a key's first slot is
// almost always free: no branch mispredicted), cleared once every 255 documents. Two keys with
// the same bits are "maybe twice" and the lint pass, with the exact table above, decides (for
// distinct keys in one slot's run, a chance of one in sixteen million).
// (The exact table here was 4 % of the validator's time, its 32-byte slots the cache misses.)
class WalkKeys {
 public:
  void start(const TapeDocument& tape) {
    const std::size_t words = (tape.tape[0] & TapeAdapter::kPayload) + 1;
    // At most words / 2 keys: slots for twice the words keeps the table at most a quarter full ...
    unsigned bits = 7;
    while (bits < kMaxBits && (std::size_t{1} << bits) < 2 * words) ++bits;
    const std::size_t n = std::size_t{1} << bits;
    if (tags_.size() < n) tags_.resize(n);
    if (++stamp_ == 256) {  // every stamp used since the last clearing: clear
      std::memset(tags_.data(), 0, tags_.size() * sizeof(std::uint32_t));
      stamp_ = 1;
    }
    shift_ = 64 - bits;
    mask_ = n - 1;
    // ... unless the table is at its cap: past half full, the lint pass counts them.
    room_ = n / 2;
    visited_.assign(words / 64 + 1, 0);
    complete_ = true;
  }
  // Whether the object at tape index `at` is walked for the first time (its keys to be added).
  bool first_visit(std::size_t at) {
    std::uint64_t& word = visited_[at / 64];
    const std::uint64_t bit = std::uint64_t{1} << (at % 64);
    const bool first = !(word & bit);
    word |= bit;
    return first;
  }
  [[gnu::always_inline]] void add(std::size_t object_at, std::string_view key) {
    if (room_ == 0) [[unlikely]] {
      complete_ = false;
      return;
    }
    --room_;
    const std::uint64_t h = key_hash(key) ^ (std::uint64_t{object_at} * 0x9E3779B97F4A7C15ull);
    const std::uint32_t tag = stamp_ << 24 | static_cast<std::uint32_t>(h >> 40);
    for (std::size_t i = h >> shift_;; i = (i + 1) & mask_) {
      const std::uint32_t slot = tags_[i];
      if (slot >> 24 != stamp_) [[likely]] {  // another document's: free
        tags_[i] = tag;
        return;
      }
      if (slot == tag) [[unlikely]] {
        complete_ = false;
        return;
      }
    }
  }
  // A value the walk goes past: if it is an object or array, its keys were not all seen.
  void passed(unsigned type_bit) {
    if (type_bit & (kObject | kArray)) complete_ = false;
  }
  bool complete() const { return complete_; }

 private:
  static constexpr unsigned kMaxBits = 22;  // 16 MB of tags at most
  std::vector<std::uint32_t> tags_;
  std::uint32_t stamp_ = 255;  // the first start clears
  unsigned shift_ = 64;
  std::size_t mask_ = 0, room_ = 0;
  std::vector<std::uint64_t> visited_;  // a bit per tape word: objects whose keys were added
  bool complete_ = true;
};

}  // namespace contracts
