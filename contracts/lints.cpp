// Lints: walk the payload once and report Cognigy-side mistakes with a pointer and a fix.
#include "contracts/lints.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#include "contracts/json_adapters.hpp"
#include "util/strings.hpp"

namespace contracts {

namespace {

constexpr const char* kLintSet = "cognigy-lints";

// "{{ input.data.x }}" or "{{context.y}}" left in a value: the expression did not render.
bool has_unrendered_template(std::string_view s, std::string_view& expr) {
  auto open = s.find("{{");
  if (open == std::string_view::npos) return false;
  auto close = s.find("}}", open + 2);
  if (close == std::string_view::npos) return false;
  expr = s.substr(open, close + 2 - open);
  return true;
}

// An object naming a key twice is legal JSON text, but receivers disagree on which value wins
// (most keep the last, some the first, strict ones refuse): never what the flow meant.
// Linear in the number of keys: the usual small object is compared pairwise on the stack (a
// key's length and first and last bytes decide before any memcmp); past 16 keys an open-addressing
// table takes over, one per nesting depth, kept per thread and reused (an object of 1,500 keys was
// 1.1 M comparisons each, most of the validator's time; a node-based hash map then cost its
// allocations).
// Keys are short: the length and the first and last eight bytes, mixed, tell them apart well
// enough for a table whose probe compares the whole key anyway (and cost a fraction of a
// general-purpose string hash).
inline std::size_t quick_hash(std::string_view key) {
  std::uint64_t head = 0, tail = 0;
  std::size_t n = key.size();
  std::memcpy(&head, key.data(), std::min<std::size_t>(n, 8));
  if (n > 8) std::memcpy(&tail, key.data() + n - std::min<std::size_t>(n - 8, 8), std::min<std::size_t>(n - 8, 8));
  // Every input bit reaches the low bits the table indexes by (murmur3's finalizer): keys that
  // share their first bytes ("custom01", "custom02") must not share a slot.
  std::uint64_t h = head ^ (tail * 0x9E3779B97F4A7C15ull) ^ (n * 0xC2B2AE3D27D4EB4Full);
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return static_cast<std::size_t>(h);
}

class KeyTable {
 public:
  void reset() {
    if (++gen_ == 0) {  // the stamp wrapped: clear once
      for (auto& slot : slots_) slot.gen = 0;
      gen_ = 1;
    }
    used_ = 0;
    if (slots_.empty()) slots_.resize(64);
  }
  // How many times key was added before.
  unsigned add(std::string_view key) {
    if ((used_ + 1) * 2 > slots_.size()) grow();
    std::size_t h = quick_hash(key);
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
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
    std::size_t hash = 0;
    std::string_view key;
    std::uint32_t gen = 0;
    unsigned count = 0;
  };
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    std::size_t mask = slots_.size() - 1;
    for (const auto& slot : old) {
      if (slot.gen != gen_) continue;
      std::size_t i = slot.hash & mask;
      while (slots_[i].gen == gen_) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  std::vector<Slot> slots_;
  std::uint32_t gen_ = 0;
  std::size_t used_ = 0;
};

class SeenKeys {
 public:
  explicit SeenKeys(std::size_t depth) : depth_(depth) {}
  // How many times key was seen before in this object.
  unsigned add(std::string_view key) {
    if (n_ < small_.size()) {
      unsigned times = 0;
      for (std::size_t i = 0; i < n_; ++i) times += same(small_[i], key) ? 1 : 0;
      small_[n_++] = key;
      return times;
    }
    if (!big_) {
      thread_local std::vector<KeyTable> tables;  // one per depth: a child object is checked inside its parent
      if (tables.size() <= depth_) tables.resize(depth_ + 1);
      big_ = &tables[depth_];
      big_->reset();
      for (const auto& k : small_) big_->add(k);
    }
    ++n_;
    return big_->add(key);
  }

 private:
  static bool same(std::string_view a, std::string_view b) {
    return a.size() == b.size() && (a.empty() || (a.front() == b.front() && a.back() == b.back() && a == b));
  }
  std::array<std::string_view, 16> small_;
  std::size_t n_ = 0;
  std::size_t depth_;
  KeyTable* big_ = nullptr;
};

// One walk for both lints that look at every value: repeated keys in each object (only
// simdjson's DOM keeps them; nlohmann's has none to find) and unrendered templates in each string
// (strings are decoded, so an escaped "{{" is found too). One traversal, no pre-scans of the text.
template <class A>
void lint_values(typename A::Value v, const Path& path, std::vector<Violation>& out, std::size_t depth = 0) {
  unsigned bit = A::type_bit(v);
  if (bit == kString) {
    std::string_view expr;
    if (has_unrendered_template(A::str(v), expr))
      out.push_back({"UNRESOLVED_TEMPLATE", path.pointer(),
                     "CognigyScript expression " + util::excerpt(expr, 80) + " was sent unrendered",
                     "the flow sent the template text: check the variable exists at this point of the flow "
                     "(e.g. input.data vs context) or add a fallback",
                     kLintSet});
  } else if (bit == kObject) {
    SeenKeys seen(depth);
    A::members(v, [&](std::string_view key, typename A::Value child) {
      if (seen.add(key) == 1)  // once per key, however often it repeats
        out.push_back({"DUPLICATE_KEY", Path{&path, key}.pointer(),
                       "key \"" + util::excerpt(key, 60) + "\" appears more than once in this object",
                       "keep one: the receiver uses only one of the values, and which one depends on its parser",
                       kLintSet});
      lint_values<A>(child, Path{&path, key}, out, depth + 1);
    });
  } else if (bit == kArray) {
    A::items(v, [&](std::size_t i, typename A::Value child) { lint_values<A>(child, Path{&path, {}, i}, out, depth + 1); });
  }
}

void size_check(std::size_t size_bytes, const LintSettings& settings, std::vector<Violation>& out) {
  if (size_bytes > settings.max_bytes)
    out.push_back({"PAYLOAD_TOO_LARGE", "",
                   "payload is " + std::to_string(size_bytes) + " bytes, the limit is " + std::to_string(settings.max_bytes),
                   "shorten botSummary or move large data out of contextData", kLintSet});
}

}  // namespace

void lint_payload(const util::Json& payload, std::size_t size_bytes, const LintSettings& settings,
                  std::vector<Violation>& out) {
  size_check(size_bytes, settings, out);
  lint_values<NlohmannAdapter>(&payload, Path{}, out);
}

void lint_payload_dom(const simdjson::dom::element& payload, std::size_t size_bytes, const LintSettings& settings,
                      std::vector<Violation>& out) {
  size_check(size_bytes, settings, out);
  // simdjson's DOM keeps every member as written (nlohmann's keeps the last: its path cannot
  // see duplicates, and only takes text the fast path refused).
  lint_values<DomAdapter>(payload, Path{}, out);
}

}  // namespace contracts
