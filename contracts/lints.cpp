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

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "contracts/json_adapters.hpp"
#include "contracts/key_table.hpp"
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

// One walk for both lints that look at every value: repeated keys in each object (only
// simdjson's DOM keeps them; nlohmann's has none to find) and unrendered templates in each string
// (strings are decoded, so an escaped "{{" is found too). One traversal, no pre-scans of the text.
struct LintWalk {
  std::vector<Violation>& out;
  DocumentKeys& keys;
  std::uint32_t objects = 0;  // objects walked so far: each one's identity for keys
  bool keys_seen = false;     // the schema walk saw every key, none twice: templates only
};

template <class A>
void lint_values(typename A::Value v, const Path& path, LintWalk& walk) {
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
    const std::uint32_t id = walk.objects++;
    A::members(v, [&](std::string_view key, typename A::Value child) {
      if (!walk.keys_seen && walk.keys.add(id, key) == 1)  // once per key, however often it repeats
        walk.out.push_back({"DUPLICATE_KEY", Path{&path, key}.pointer(),
                            "key \"" + util::excerpt(key, 60) + "\" appears more than once in this object",
                            "keep one: the receiver uses only one of the values, and which one depends on its parser",
                            kLintSet});
      lint_values<A>(child, Path{&path, key}, walk);
    });
  } else if (bit == kArray) {
    A::items(v, [&](std::size_t i, typename A::Value child) { lint_values<A>(child, Path{&path, {}, i}, walk); });
  }
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
  TapeLintScan(const TapeDocument& doc, DocumentKeys& keys, bool templates, bool keys_seen)
      : tape_(doc.tape), strings_(doc.strings), doc_(doc), keys_(keys), templates_(templates), keys_seen_(keys_seen) {}
  // Whether the value at i (and everything in it) may have a lint finding.
  bool value(std::size_t i) {
    const char kind = static_cast<char>(tape_[i] >> 56);
    if (kind == '{') return object(i);
    if (kind == '[') return array(i);
    if (kind == '"' && templates_) {
      std::string_view expr;
      return has_unrendered_template(TapeAdapter::str({&doc_, i}), expr);
    }
    return false;
  }

 private:
  // The index after the scalar or container at i.
  std::size_t next(std::size_t i) const { return TapeAdapter::after(tape_, i); }
  bool object(std::size_t at) {
    const std::size_t close = static_cast<std::uint32_t>(tape_[at]) - 1;
    for (std::size_t i = at + 1; i < close; i = next(i + 1)) {
      if (!keys_seen_ && keys_.add(static_cast<std::uint32_t>(at), TapeAdapter::str_at(tape_, strings_, i)) != 0)
        return true;
      if (scalar_without_finding(i + 1)) continue;
      if (value(i + 1)) return true;
    }
    return false;
  }
  bool array(std::size_t at) {
    const std::size_t close = static_cast<std::uint32_t>(tape_[at]) - 1;
    for (std::size_t i = at + 1; i < close; i = next(i)) {
      if (scalar_without_finding(i)) continue;
      if (value(i)) return true;
    }
    return false;
  }
  // A number, boolean or null, or a string when no template can be in the text: nothing to look at.
  bool scalar_without_finding(std::size_t i) const {
    const char kind = static_cast<char>(tape_[i] >> 56);
    return kind != '{' && kind != '[' && (kind != '"' || !templates_);
  }
  const std::uint64_t* tape_;
  const std::uint8_t* strings_;
  const TapeDocument& doc_;
  DocumentKeys& keys_;
  bool templates_;
  bool keys_seen_;
};

bool tape_may_have_value_lints(const simdjson::dom::document& doc, bool templates, bool keys_seen, DocumentKeys& keys) {
  const TapeDocument tape{doc.tape.get(), doc.string_buf.get()};
  TapeLintScan scan(tape, keys, templates, keys_seen);
  if (!keys_seen) keys.start(tape_keys_bound(tape));
  return scan.value(1);
}

void size_check(std::size_t size_bytes, const LintSettings& settings, std::vector<Violation>& out) {
  if (size_bytes > settings.max_bytes)
    out.push_back(
        {"PAYLOAD_TOO_LARGE", "",
         "payload is " + std::to_string(size_bytes) + " bytes, the limit is " + std::to_string(settings.max_bytes),
         "shorten botSummary or move large data out of contextData", kLintSet});
}

}  // namespace

namespace {

// may_hold_template a byte at a time (with memchr): the reference, the tail after the vector scan
// and any text with a backslash in it.
bool may_hold_template_bytes(const char* p, const char* end) {
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

#if defined(__x86_64__)
// Both questions in one pass, 64 bytes a step: a bit per '{' and per backslash. "{{" is two
// neighbouring brace bits (the last bit of the step before carried in); a backslash (rare: about
// one payload in 25) hands the whole text to the byte scan, which knows which ones are escaped.
// (Two memchr passes, one stopping at every object, were 4 % of the validator's time.)
__attribute__((target("avx512bw"))) bool may_hold_template_avx512(const char* p, const char* end) {
  const __m512i brace = _mm512_set1_epi8('{'), backslash = _mm512_set1_epi8('\\');
  const char* at = p;
  std::uint64_t carry = 0;
  for (; at < end; at += 64) {
    // The last step loads only the bytes there are (a masked load reads nothing past them).
    const std::size_t left = static_cast<std::size_t>(end - at);
    const __m512i v =
        left >= 64 ? _mm512_loadu_si512(at) : _mm512_maskz_loadu_epi8(~std::uint64_t{0} >> (64 - left), at);
    const std::uint64_t braces = _mm512_cmpeq_epi8_mask(v, brace);
    if (_mm512_cmpeq_epi8_mask(v, backslash) != 0) return may_hold_template_bytes(p, end);
    if ((braces & ((braces << 1) | carry)) != 0) return true;
    carry = braces >> 63;
  }
  return false;
}

__attribute__((target("avx2"))) bool may_hold_template_avx2(const char* p, const char* end) {
  const __m256i brace = _mm256_set1_epi8('{'), backslash = _mm256_set1_epi8('\\');
  const char* at = p;
  std::uint64_t carry = 0;
  for (; end - at >= 64; at += 64) {
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at + 32));
    const std::uint64_t braces =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, brace))) |
        std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, brace)))} << 32;
    if (_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(lo, backslash), _mm256_cmpeq_epi8(hi, backslash))) != 0)
      return may_hold_template_bytes(p, end);
    if ((braces & ((braces << 1) | carry)) != 0) return true;
    carry = braces >> 63;
  }
  return may_hold_template_bytes(at == p ? at : at - 1, end);
}
#endif

using TemplateScan = bool (*)(const char*, const char*);

TemplateScan pick_template_scan() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512bw")) return may_hold_template_avx512;
  if (__builtin_cpu_supports("avx2")) return may_hold_template_avx2;
#endif
  return may_hold_template_bytes;
}

}  // namespace

// Whether text (a JSON document) may hold "{{" inside a decoded string: outside strings JSON
// never has two '{' in a row, and a brace inside a string is either itself or escaped as
// \u007b. So text with neither "{{" nor a \u escape of '{' cannot hold a template, and its
// string values need no look at all.
bool may_hold_template(std::string_view text) {
  static const TemplateScan scan = pick_template_scan();
  return scan(text.data(), text.data() + text.size());
}

bool may_hold_template_reference(std::string_view text) {
  return may_hold_template_bytes(text.data(), text.data() + text.size());
}

DocumentKeys& thread_keys() {
  thread_local DocumentKeys keys;
  return keys;
}

void lint_payload(const util::Json& payload, std::size_t size_bytes, const LintSettings& settings,
                  std::vector<Violation>& out) {
  size_check(size_bytes, settings, out);
  LintWalk walk{out, thread_keys()};
  walk.keys.start(0);  // grows as it goes
  lint_values<NlohmannAdapter>(&payload, Path{}, walk);
}

void lint_payload_dom(const simdjson::dom::document& doc, std::string_view text, const LintSettings& settings,
                      std::vector<Violation>& out, bool templates, bool keys_seen) {
  size_check(text.size(), settings, out);
  if (keys_seen && !templates) return;  // the schema walk saw every object's keys, none twice
  // simdjson's DOM keeps every member as written (nlohmann's keeps the last: its path cannot
  // see duplicates, and only takes text the fast path refused). With keys_seen, the walks below
  // look for templates only.
  DocumentKeys& keys = thread_keys();
  if (!tape_may_have_value_lints(doc, templates, keys_seen, keys)) return;
  const TapeDocument tape{doc.tape.get(), doc.string_buf.get()};
  if (!keys_seen) keys.start(tape_keys_bound(tape));
  LintWalk walk{out, keys, 0, keys_seen};
  lint_values<TapeAdapter>(TapeAdapter::root(tape), Path{}, walk);
}

}  // namespace contracts
