// harness-yaml.so: a YAML document as JSON events, through yaml-cpp (see the header).
#include "contracts/yaml_module.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

#include "util/module_error.hpp"

namespace {

// A failure said once, with where: the walk unwinds to harness_yaml_to_json.
struct Failed {
  std::string message;
};
struct Stopped {};

class Walk {
 public:
  Walk(const char* source, std::size_t max_depth, std::size_t max_nodes, HarnessYamlOnEvent on_event, void* ctx)
      : source_(source), max_depth_(max_depth), max_nodes_(max_nodes), on_event_(on_event), ctx_(ctx) {}

  void value(const YAML::Node& node, std::size_t depth) {
    if (++nodes_ > max_nodes_)
      fail(node, "more than " + std::to_string(max_nodes_) + " values once aliases are expanded");
    if (depth > max_depth_) fail(node, "nested deeper than " + std::to_string(max_depth_) + " levels");
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        emit(kHarnessYamlNull);
        return;
      case YAML::NodeType::Scalar:
        scalar(node);
        return;
      case YAML::NodeType::Sequence:
        emit(kHarnessYamlBeginArray);
        for (const auto& item : node) value(item, depth + 1);
        emit(kHarnessYamlEnd);
        return;
      case YAML::NodeType::Map:
        emit(kHarnessYamlBeginObject);
        for (const auto& kv : node) {
          if (!kv.first.IsScalar()) fail(kv.first, "a mapping key must be a scalar (JSON keys are text)");
          const std::string& key = kv.first.Scalar();
          emit(kHarnessYamlKey, key.data(), key.size());
          value(kv.second, depth + 1);
        }
        emit(kHarnessYamlEnd);
        return;
    }
    emit(kHarnessYamlNull);
  }

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& why) const {
    throw Failed{std::string(source_) + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) +
                 ": " + why};
  }

 private:
  [[noreturn]] void fail(const YAML::Node& node, const std::string& why) const { fail(node.Mark(), why); }

  void emit(int event, const char* text = nullptr, std::size_t size = 0, std::int64_t integer = 0, double real = 0) {
    if (on_event_(ctx_, event, text, size, integer, real) != 0) throw Stopped{};
  }

  // YAML 1.2 core schema for plain scalars; a quoted one (tag "!") is a string.
  void scalar(const YAML::Node& node) {
    const std::string& s = node.Scalar();
    if (node.Tag() != "?") return emit(kHarnessYamlString, s.data(), s.size());
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return emit(kHarnessYamlNull);
    if (s == "true" || s == "True" || s == "TRUE") return emit(kHarnessYamlBool, nullptr, 0, 1);
    if (s == "false" || s == "False" || s == "FALSE") return emit(kHarnessYamlBool, nullptr, 0, 0);
    if (auto n = integer(s)) return emit(kHarnessYamlInteger, nullptr, 0, *n);
    constexpr double kInf = std::numeric_limits<double>::infinity();
    if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf") return emit(kHarnessYamlDouble, nullptr, 0, 0, kInf);
    if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return emit(kHarnessYamlDouble, nullptr, 0, 0, -kInf);
    if (s.find_first_of("0123456789") != std::string::npos &&
        s.find_first_not_of("0123456789+-.eE") == std::string::npos) {
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (*end == '\0' && std::isfinite(d)) return emit(kHarnessYamlDouble, nullptr, 0, 0, d);
    }
    emit(kHarnessYamlString, s.data(), s.size());
  }

  static std::optional<std::int64_t> integer(const std::string& s) {
    int base = 10;
    std::size_t at = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (s.compare(at, 2, "0x") == 0)
      base = 16, at += 2;
    else if (s.compare(at, 2, "0o") == 0)
      base = 8, at += 2;
    if (at >= s.size()) return std::nullopt;
    for (std::size_t i = at; i < s.size(); ++i)
      if (!std::isxdigit(static_cast<unsigned char>(s[i])) ||
          (base == 10 && !std::isdigit(static_cast<unsigned char>(s[i]))) || (base == 8 && s[i] > '7'))
        return std::nullopt;
    errno = 0;
    std::int64_t v = std::strtoll(s.c_str() + at, nullptr, base);
    if (errno == ERANGE) return std::nullopt;
    return s[0] == '-' ? -v : v;
  }

  const char* source_;
  std::size_t max_depth_;
  std::size_t max_nodes_;
  HarnessYamlOnEvent on_event_;
  void* ctx_;
  std::size_t nodes_ = 0;
};

}  // namespace

extern "C" int harness_yaml_to_json(const char* text, std::size_t text_size, const char* source, std::size_t max_depth,
                                    std::size_t max_nodes, HarnessYamlOnEvent on_event, void* ctx, char* error,
                                    std::size_t error_size) {
  // Nothing unwinds through the module: every exception ends here as a return code.
  try {
    YAML::Node root;
    Walk walk(source, max_depth, max_nodes, on_event, ctx);
    try {
      root = YAML::Load(std::string(text, text_size));
    } catch (const YAML::Exception& e) {
      walk.fail(e.mark, e.msg);
    }
    walk.value(root, 0);
    return 0;
  } catch (const Failed& f) {
    return util::module_error(f.message, error, error_size);
  } catch (const Stopped&) {
    return 2;
  } catch (const YAML::Exception& e) {
    return util::module_error(std::string(source) + ": " + e.msg, error, error_size);
  } catch (const std::exception& e) {
    return util::module_error(std::string(source) + ": " + e.what(), error, error_size);
  } catch (...) {
    return util::module_error(std::string(source) + ": cannot be read as YAML", error, error_size);
  }
}
