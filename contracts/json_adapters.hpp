// Private to the contracts module: one small interface over two JSON DOMs, so the validation
// walk and the lints are written once (nlohmann::json for tools and tests, simdjson's DOM for
// the payload hot path).
#pragma once

#include <simdjson.h>

#include <cmath>
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

struct DomAdapter {
  using Value = simdjson::dom::element;
  [[gnu::always_inline]] static unsigned type_bit(Value v) {
    using T = simdjson::dom::element_type;
    switch (v.type()) {
      case T::NULL_VALUE:
        return kNull;
      case T::BOOL:
        return kBoolean;
      case T::INT64:
      case T::UINT64:
        return kInteger;
      case T::DOUBLE: {
        double d = v.get_double().value_unsafe();
        return (std::isfinite(d) && std::floor(d) == d) ? kInteger : kNumber;
      }
      case T::STRING:
        return kString;
      case T::ARRAY:
        return kArray;
      case T::OBJECT:
        return kObject;
    }
    return 0;
  }
  static std::string_view str(Value v) { return v.get_string().value_unsafe(); }
  static double num(Value v) {
    using T = simdjson::dom::element_type;
    if (v.type() == T::INT64) return static_cast<double>(v.get_int64().value_unsafe());
    if (v.type() == T::UINT64) return static_cast<double>(v.get_uint64().value_unsafe());
    return v.get_double().value_unsafe();
  }
  static bool boolean(Value v) { return v.get_bool().value_unsafe(); }
  // The array/object handles are copied out of their simdjson_result first: iterating the result
  // of value_unsafe() on a temporary would dangle.
  static simdjson::dom::array array_of(Value v) {
    simdjson::dom::array a;
    [[maybe_unused]] auto err = v.get(a);  // callers have checked the type
    return a;
  }
  static simdjson::dom::object object_of(Value v) {
    simdjson::dom::object o;
    [[maybe_unused]] auto err = v.get(o);  // callers have checked the type
    return o;
  }
  static std::size_t size(Value v) {
    if (v.type() == simdjson::dom::element_type::ARRAY) return array_of(v).size();
    return object_of(v).size();
  }
  template <class F>
  static void members(Value v, F&& f) {
    simdjson::dom::object o = object_of(v);
    for (auto field : o) f(field.key, field.value);
  }
  static bool find(Value v, std::string_view key, Value& out) {
    simdjson::dom::object o = object_of(v);
    return o.at_key(key).get(out) == simdjson::SUCCESS;
  }
  template <class F>
  static void items(Value v, F&& f) {
    simdjson::dom::array a = array_of(v);
    std::size_t i = 0;
    for (auto e : a) f(i++, e);
  }
  static util::Json to_json(Value v) { return util::Json::parse(simdjson::minify(v)); }
  static std::string text(Value v) { return simdjson::minify(v); }
};

}  // namespace contracts
