// Private to the contracts module: one small interface over two JSON DOMs, so the validation
// walk and the lints are written once (nlohmann::json for tools and tests, simdjson's tape for
// the payload hot path).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "contracts/schema_impl.hpp"

namespace contracts {

struct NlohmannAdapter {
  using Value = const util::Json*;
  [[gnu::always_inline]] static unsigned type_bit(Value v) {
    switch (v->type()) {
      case util::Json::value_t::null:
        return kNull;
      case util::Json::value_t::boolean:
        return kBoolean;
      case util::Json::value_t::number_integer:
      case util::Json::value_t::number_unsigned:
        return kInteger;
      case util::Json::value_t::number_float: {
        double d = v->get<double>();
        return (std::isfinite(d) && std::floor(d) == d) ? kInteger : kNumber;
      }
      case util::Json::value_t::string:
        return kString;
      case util::Json::value_t::array:
        return kArray;
      case util::Json::value_t::object:
        return kObject;
      default:
        return 0;
    }
  }
  static std::string_view str(Value v) { return v->get_ref<const std::string&>(); }
  static double num(Value v) { return v->get<double>(); }
  static bool boolean(Value v) { return v->get<bool>(); }
  static std::size_t size(Value v) { return v->size(); }
  template <class F>
  static void members(Value v, F&& f) {
    for (auto it = v->begin(); it != v->end(); ++it) f(std::string_view(it.key()), &*it);
  }
  static bool find(Value v, std::string_view key, Value& out) {
    auto it = v->find(key);
    if (it == v->end()) return false;
    out = &*it;
    return true;
  }
  template <class F>
  static void items(Value v, F&& f) {
    std::size_t i = 0;
    for (const auto& e : *v) f(i++, &e);
  }
  static util::Json to_json(Value v) { return *v; }
  static std::string text(Value v) { return v->dump(); }
};

// simdjson's DOM read straight from its tape: the parsed document as one array of 64-bit words in
// document order (simdjson's documented layout, doc/tape.md): a type character in the top byte;
// a container's opening word holds the index just past its closing word in its low 32 bits; a
// string word points into the string buffer at a 32-bit length and the bytes; a number's value is
// the next word. Reading the words directly (a table for the type, the skip to the next member
// from the word itself) is what the walk does once per key and value; dom::element spends a
// switch and a call on each (a quarter of the schema walk's time).
struct TapeDocument {
  const std::uint64_t* tape;
  const std::uint8_t* strings;
};

struct TapeAdapter {
  struct Value {
    const TapeDocument* doc = nullptr;
    std::size_t at = 0;
  };
  static constexpr std::uint64_t kPayload = 0x00FFFFFFFFFFFFFFull;
  static Value root(const TapeDocument& doc) { return Value{&doc, 1}; }
  static char kind(Value v) { return static_cast<char>(v.doc->tape[v.at] >> 56); }

  [[gnu::always_inline]] static unsigned type_bit(Value v) {
    static constexpr auto kBits = [] {
      std::array<unsigned char, 256> bits{};
      bits['n'] = kNull;
      bits['t'] = bits['f'] = kBoolean;
      bits['l'] = bits['u'] = kInteger;
      bits['d'] = kNumber;
      bits['"'] = kString;
      bits['['] = kArray;
      bits['{'] = kObject;
      return bits;
    }();
    unsigned bit = kBits[static_cast<unsigned char>(kind(v))];
    if (bit == kNumber) [[unlikely]] {  // a double with no fraction is an integer to JSON Schema
      double d = num(v);
      return (std::isfinite(d) && std::floor(d) == d) ? kInteger : kNumber;
    }
    return bit;
  }
  static std::string_view str(Value v) { return str_at(v.doc->tape, v.doc->strings, v.at); }
  // The string at word i, from the tape and string buffer the caller holds in locals (a loop
  // that calls out per member would otherwise reload them through the document after every call).
  [[gnu::always_inline]] static std::string_view str_at(const std::uint64_t* tape, const std::uint8_t* strings,
                                                        std::size_t i) {
    const std::uint8_t* at = strings + (tape[i] & kPayload);
    std::uint32_t len = 0;
    std::memcpy(&len, at, sizeof len);
    return {reinterpret_cast<const char*>(at + sizeof len), len};
  }
  static double num(Value v) {
    std::uint64_t word = v.doc->tape[v.at + 1];
    switch (kind(v)) {
      case 'l': {
        std::int64_t i = 0;
        std::memcpy(&i, &word, sizeof i);
        return static_cast<double>(i);
      }
      case 'u':
        return static_cast<double>(word);
      default: {
        double d = 0;
        std::memcpy(&d, &word, sizeof d);
        return d;
      }
    }
  }
  static bool boolean(Value v) { return kind(v) == 't'; }
  // The index of the word after the value at i (past a container's closing word, a number's value).
  [[gnu::always_inline]] static std::size_t after(const std::uint64_t* tape, std::size_t i) {
    static constexpr auto kWords = [] {  // words a scalar takes: a number's value is a word of its own
      std::array<unsigned char, 256> words{};
      words.fill(1);
      words['l'] = words['u'] = words['d'] = 2;
      return words;
    }();
    std::uint64_t word = tape[i];
    const auto k = static_cast<unsigned char>(word >> 56);
    if (k == '{' || k == '[') return static_cast<std::uint32_t>(word);
    return i + kWords[k];
  }
  template <class F>
  static void members(Value v, F&& f) {
    const std::uint64_t* tape = v.doc->tape;
    const std::uint8_t* strings = v.doc->strings;
    const TapeDocument* doc = v.doc;
    const std::size_t close = static_cast<std::uint32_t>(tape[v.at]) - 1;
    for (std::size_t i = v.at + 1; i < close; i = after(tape, i + 1)) f(str_at(tape, strings, i), Value{doc, i + 1});
  }
  static bool find(Value v, std::string_view key, Value& out) {
    const std::uint64_t* tape = v.doc->tape;
    const std::uint8_t* strings = v.doc->strings;
    const std::size_t close = static_cast<std::uint32_t>(tape[v.at]) - 1;
    for (std::size_t i = v.at + 1; i < close; i = after(tape, i + 1))
      if (str_at(tape, strings, i) == key) {
        out = Value{v.doc, i + 1};
        return true;
      }
    return false;
  }
  template <class F>
  static void items(Value v, F&& f) {
    const std::uint64_t* tape = v.doc->tape;
    const std::size_t close = static_cast<std::uint32_t>(tape[v.at]) - 1;
    std::size_t n = 0;
    for (std::size_t i = v.at + 1; i < close; i = after(tape, i)) f(n++, Value{v.doc, i});
  }
  // The opening word counts the members (or items) in bits 32-55, saturated at 0xFFFFFF.
  static std::size_t size(Value v) {
    std::size_t n = (v.doc->tape[v.at] >> 32) & 0xFFFFFF;
    if (n < 0xFFFFFF) return n;
    n = 0;
    if (kind(v) == '{')
      members(v, [&](std::string_view, Value) { ++n; });
    else
      items(v, [&](std::size_t, Value) { ++n; });
    return n;
  }
  // Bounded by the parser's depth limit, as the walk is.
  static util::Json to_json(Value v) {
    switch (kind(v)) {
      case '{': {
        util::Json o = util::Json::object();
        members(v, [&](std::string_view k, Value x) { o[std::string(k)] = to_json(x); });
        return o;
      }
      case '[': {
        util::Json a = util::Json::array();
        items(v, [&](std::size_t, Value x) { a.push_back(to_json(x)); });
        return a;
      }
      case '"':
        return std::string(str(v));
      case 'l': {
        std::int64_t i = 0;
        std::memcpy(&i, &v.doc->tape[v.at + 1], sizeof i);
        return i;
      }
      case 'u':
        return v.doc->tape[v.at + 1];
      case 'd':
        return num(v);
      case 't':
      case 'f':
        return boolean(v);
      default:
        return nullptr;
    }
  }
  static std::string text(Value v) { return to_json(v).dump(-1, ' ', false, util::Json::error_handler_t::replace); }
};

}  // namespace contracts
