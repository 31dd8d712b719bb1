// Result<T>: a value or an Error that says where and what. Expected failures
// (bad input, missing files, HTTP errors) travel as values, never as exceptions.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include "util/printable.hpp"

namespace util {

// What went wrong, as one printable line: a message that quotes its input (a key, a value, a
// parser's complaint about a byte) has that input's control characters and broken UTF-8 written
// as \xNN, so no file or request can split the line or drive the terminal it is printed on.
struct Error {
  Error() = default;
  explicit Error(std::string text) : message(plain_ascii(text) ? std::move(text) : printable_line(text)) {}
  std::string message;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Error make_error(std::string message) { return Error{std::move(message)}; }

// Error propagation (after ccache's TRY): the expression, a Result, is evaluated once; on an
// error the enclosing function returns it.
//   TRY(write_file(path, text));
//   TRY_ASSIGN(auto doc, parse_json(text, path));   // doc is the value
#define TRY(...)                                                                    \
  do {                                                                              \
    if (auto try_result_ = (__VA_ARGS__); !try_result_) return try_result_.error(); \
  } while (false)
#define UTIL_TRY_CONCAT2(a, b) a##b
#define UTIL_TRY_CONCAT(a, b) UTIL_TRY_CONCAT2(a, b)
#define UTIL_TRY_ASSIGN(tmp, decl, ...) \
  auto tmp = (__VA_ARGS__);             \
  if (!tmp) return tmp.error();         \
  decl = std::move(*tmp)
#define TRY_ASSIGN(decl, ...) UTIL_TRY_ASSIGN(UTIL_TRY_CONCAT(try_value_, __LINE__), decl, __VA_ARGS__)

// At process edges only: turn an error into an exception main() maps to an exit code.
template <class T>
T value_or_throw(Result<T> r) {
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(r).value();
}

}  // namespace util
