// Lints: walk the payload once and report Cognigy-side mistakes with a pointer and a fix.
#include "contracts/lints.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include <simdjson.h>

#include "contracts/json_adapters.hpp"
#include "util/strings.hpp"

namespace contracts {

namespace {

constexpr const char* kLintSet = "cognigy-lints";

// "{{ input.data.x }}" or "{{context.y}}" left in a value: the expression did not render.
// Where "{{" starts in s, or npos. Eight bytes at a time: most strings hold no '{' at all, and
// a word without one is passed with a few arithmetic instructions (no call per string).
std::size_t find_double_brace(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  constexpr std::uint64_t kBraces = kOnes * '{';
  const char* p = s.data();
  std::size_t n = s.size(), i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, 8);
    std::uint64_t x = w ^ kBraces;
    if (((x - kOnes) & ~x & kHigh) == 0) continue;  // no '{' among these eight bytes
    for (std::size_t j = i; j < i + 8; ++j)
      if (p[j] == '{' && j + 1 < n && p[j + 1] == '{') return j;
  }
  for (; i + 1 < n; ++i)
    if (p[i] == '{' && p[i + 1] == '{') return i;
  return std::string_view::npos;
}

bool has_unrendered_template(std::string_view s, std::string_view& expr) {
  std::size_t open = find_double_brace(s);
  if (open == std::string_view::npos) return false;
  auto close = s.find("}}", open + 2);
  if (close == std::string_view::npos) return false;
  expr = s.substr(open, close + 2 - open);
  return true;
}

// An object naming a key twice is legal JSON text, but receivers disagree on which value wins
// (most keep the last, some the first, strict ones refuse): never what the flow meant.
// Linear in the number of keys, and a few instructions per key: each key is hashed once (its
// length and first and last eight bytes, two multiplies); up to 8 keys a 64-bit filter on the hash
// decides, with a comparison only when two hashes share a filter bit; past 8 keys an
// open-addressing table indexed by the hash's top bits takes over, one per nesting depth, kept per
// walk and reused. (An object of 1,500 keys was 1.1 M pairwise comparisons, most of the
// validator's time; a node-based hash map then cost its allocations; a general-purpose string
// hash per key was 12 % of the time on ordinary payloads.)
inline std::uint64_t key_hash(std::string_view key) {
  const char* p = key.data();
  std::size_t n = key.size();
  std::uint64_t head = 0, tail = 0;
  if (n >= 8) {
    std::memcpy(&head, p, 8);
    std::memcpy(&tail, p + n - 8, 8);
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

class KeyTable {
 public:
  void reset() {
    if (++gen_ == 0) {  // the stamp wrapped: clear once
      for (auto& slot : slots_) slot.gen = 0;
      gen_ = 1;
    }
    used_ = 0;
    if (slots_.empty()) resize(6);
  }
  // How many times key was added before.
  unsigned add(std::uint64_t h, std::string_view key) {
    if ((used_ + 1) * 2 > slots_.size()) grow();
    for (std::size_t i = h >> shift_;; i = (i + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[i];
      if (slot.gen != gen_) {
        slot = {h, key, gen_, 1};
        ++used_;
        return 0;
      }
      if (slot.hash == h && slot.key == key) return slot.count++;
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::string_view key;
    std::uint32_t gen = 0;
    unsigned count = 0;
  };
  void resize(unsigned bits) {
    slots_.assign(std::size_t{1} << bits, Slot{});
    shift_ = 64 - bits;
  }
  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    resize(64 - shift_ + 1);
    for (const auto& slot : old) {
      if (slot.gen != gen_) continue;
      std::size_t i = slot.hash >> shift_;
      while (slots_[i].gen == gen_) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = slot;
    }
  }
  std::vector<Slot> slots_;
  unsigned shift_ = 64;
  std::uint32_t gen_ = 0;
  std::size_t used_ = 0;
};

// The tables of one walk (one per nesting depth: a child object is checked inside its parent).
// A deque: growing it for a deeper child must not move the table its parent is still filling.
struct KeyTables {
  std::deque<KeyTable> by_depth;
};

class SeenKeys {
 public:
  SeenKeys(KeyTables& tables, std::size_t depth) : tables_(tables), depth_(depth) {}
  // How many times key was seen before in this object.
  unsigned add(std::string_view key) {
    std::uint64_t h = key_hash(key);
    if (n_ < kSmall) {
      std::uint64_t bit = std::uint64_t{1} << (h >> 58);
      unsigned times = 0;
      if (filter_ & bit) [[unlikely]]
        for (std::size_t i = 0; i < n_; ++i) times += hashes_[i] == h && keys_[i] == key ? 1 : 0;
      filter_ |= bit;
      hashes_[n_] = h;
      keys_[n_++] = key;
      return times;
    }
    if (!big_) {
      if (tables_.by_depth.size() <= depth_) tables_.by_depth.resize(depth_ + 1);
      big_ = &tables_.by_depth[depth_];
      big_->reset();
      for (std::size_t i = 0; i < kSmall; ++i) big_->add(hashes_[i], keys_[i]);
    }
    ++n_;
    return big_->add(h, key);
  }

 private:
  static constexpr std::size_t kSmall = 8;
  KeyTables& tables_;
  std::size_t depth_;
  std::size_t n_ = 0;
  std::uint64_t filter_ = 0;
  std::array<std::uint64_t, kSmall> hashes_;
  std::array<std::string_view, kSmall> keys_;
  KeyTable* big_ = nullptr;
};

// One walk for both lints that look at every value: repeated keys in each object (only
// simdjson's DOM keeps them; nlohmann's has none to find) and unrendered templates in each string
// (strings are decoded, so an escaped "{{" is found too). One traversal, no pre-scans of the text.
struct LintWalk {
  std::vector<Violation>& out;
  KeyTables& tables;
};

template <class A>
void lint_values(typename A::Value v, const Path& path, LintWalk& walk, std::size_t depth = 0) {
  unsigned bit = A::type_bit(v);
  if (bit == kString) {
    std::string_view expr;
    if (has_unrendered_template(A::str(v), expr))
      walk.out.push_back({"UNRESOLVED_TEMPLATE", path.pointer(),
                          "CognigyScript expression " + util::excerpt(expr, 80) + " was sent unrendered",
                          "the flow sent the template text: check the variable exists at this point of the flow "
                          "(e.g. input.data vs context) or add a fallback",
                          kLintSet});
  } else if (bit == kObject) {
    SeenKeys seen(walk.tables, depth);
    A::members(v, [&](std::string_view key, typename A::Value child) {
      if (seen.add(key) == 1)  // once per key, however often it repeats
        walk.out.push_back({"DUPLICATE_KEY", Path{&path, key}.pointer(),
                            "key \"" + util::excerpt(key, 60) + "\" appears more than once in this object",
                            "keep one: the receiver uses only one of the values, and which one depends on its parser",
                            kLintSet});
      lint_values<A>(child, Path{&path, key}, walk, depth + 1);
    });
  } else if (bit == kArray) {
    A::items(v, [&](std::size_t i, typename A::Value child) {
      lint_values<A>(child, Path{&path, {}, i}, walk, depth + 1);
    });
  }
}

// Whether text (a JSON document) may hold "{{" inside a decoded string: outside strings JSON
// never has two '{' in a row, and a brace inside a string is either itself or escaped as
// \u007b. So text with neither "{{" nor a \u escape of '{' cannot hold a template, and its
// string values need no look at all. memchr finds the few candidates (one '{' per object,
// backslashes are rare) at the library's vector speed.
bool text_may_hold_template(std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  for (const char* at = p; (at = static_cast<const char*>(std::memchr(at, '{', end - at))) != nullptr; ++at)
    if (at + 1 < end && at[1] == '{') return true;
  for (const char* at = p; (at = static_cast<const char*>(std::memchr(at, '\\', end - at))) != nullptr; ++at) {
    if (at + 1 < end && at[1] == '\\') {  // an escaped backslash: the next character is not escaped
      ++at;
      continue;
    }
    if (end - at >= 6 && at[1] == 'u' && at[2] == '0' && at[3] == '0' && at[4] == '7' && (at[5] == 'b' || at[5] == 'B'))
      return true;
  }
  return false;
}

// The same two lints as a yes/no over simdjson's tape (TapeAdapter's layout): each container is
// walked member by member, a key's value skipped by its own word (a container's end, a number's
// second word), so the only data-dependent branch is "is this value a container", which is rarely
// taken; descending into one recurses (bounded by the parser's depth limit, as lint_values is).
// No paths: on nearly every payload it finds nothing and the walk with paths (lint_values, which
// says where) never runs. Same predicates as lint_values, so "nothing here" is exact; string
// values are searched only when the text may hold a template at all. (A single loop over every
// word with a stack of open containers mispredicted its type switch on every value.)
class TapeLintScan {
 public:
  TapeLintScan(const TapeDocument& doc, KeyTables& tables, bool templates)
      : tape_(doc.tape), doc_(doc), tables_(tables), templates_(templates) {}
  // Whether the value at i (and everything in it) may have a lint finding.
  bool value(std::size_t i, std::size_t depth) {
    const char kind = static_cast<char>(tape_[i] >> 56);
    if (kind == '{') return object(i, depth);
    if (kind == '[') return array(i, depth);
    if (kind == '"' && templates_) {
      std::string_view expr;
      return has_unrendered_template(TapeAdapter::str({&doc_, i}), expr);
    }
    return false;
  }

 private:
  // The index after the scalar or container at i.
  std::size_t next(std::size_t i) const { return TapeAdapter::after(tape_, i); }
  bool object(std::size_t at, std::size_t depth) {
    const std::size_t close = static_cast<std::uint32_t>(tape_[at]) - 1;
    SeenKeys seen(tables_, depth);
    for (std::size_t i = at + 1; i < close; i = next(i + 1)) {
      if (seen.add(TapeAdapter::str({&doc_, i})) != 0) return true;
      if (scalar_without_finding(i + 1)) continue;
      if (value(i + 1, depth + 1)) return true;
    }
    return false;
  }
  bool array(std::size_t at, std::size_t depth) {
    const std::size_t close = static_cast<std::uint32_t>(tape_[at]) - 1;
    for (std::size_t i = at + 1; i < close; i = next(i)) {
      if (scalar_without_finding(i)) continue;
      if (value(i, depth + 1)) return true;
    }
    return false;
  }
  // A number, boolean or null, or a string when no template can be in the text: nothing to look at.
  bool scalar_without_finding(std::size_t i) const {
    const char kind = static_cast<char>(tape_[i] >> 56);
    return kind != '{' && kind != '[' && (kind != '"' || !templates_);
  }
  const std::uint64_t* tape_;
  const TapeDocument& doc_;
  KeyTables& tables_;
  bool templates_;
};

bool tape_may_have_value_lints(const simdjson::dom::document& doc, std::string_view text, KeyTables& tables) {
  const TapeDocument tape{doc.tape.get(), doc.string_buf.get()};
  TapeLintScan scan(tape, tables, text_may_hold_template(text));
  return scan.value(1, 0);
}

KeyTables& walk_tables() {
  thread_local KeyTables tables;
  return tables;
}

void size_check(std::size_t size_bytes, const LintSettings& settings, std::vector<Violation>& out) {
  if (size_bytes > settings.max_bytes)
    out.push_back(
        {"PAYLOAD_TOO_LARGE", "",
         "payload is " + std::to_string(size_bytes) + " bytes, the limit is " + std::to_string(settings.max_bytes),
         "shorten botSummary or move large data out of contextData", kLintSet});
}

}  // namespace

void lint_payload(const util::Json& payload, std::size_t size_bytes, const LintSettings& settings,
                  std::vector<Violation>& out) {
  size_check(size_bytes, settings, out);
  LintWalk walk{out, walk_tables()};
  lint_values<NlohmannAdapter>(&payload, Path{}, walk);
}

void lint_payload_dom(const simdjson::dom::document& doc, std::string_view text, const LintSettings& settings,
                      std::vector<Violation>& out) {
  size_check(text.size(), settings, out);
  // simdjson's DOM keeps every member as written (nlohmann's keeps the last: its path cannot
  // see duplicates, and only takes text the fast path refused).
  KeyTables& tables = walk_tables();
  if (!tape_may_have_value_lints(doc, text, tables)) return;
  LintWalk walk{out, tables};
  const TapeDocument tape{doc.tape.get(), doc.string_buf.get()};
  lint_values<TapeAdapter>(TapeAdapter::root(tape), Path{}, walk);
}

}  // namespace contracts
