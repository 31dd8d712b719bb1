// JSON or YAML documents as JSON values (see document.hpp).
#include "contracts/document.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <optional>

#include "util/file.hpp"

namespace contracts {

namespace {

class YamlToJson {
 public:
  YamlToJson(std::string_view source, std::size_t max_depth, std::size_t max_nodes)
      : source_(source), max_depth_(max_depth), max_nodes_(max_nodes) {}

  util::Result<util::Json> convert(const YAML::Node& node, std::size_t depth) {
    if (++nodes_ > max_nodes_)
      return fail(node, "more than " + std::to_string(max_nodes_) + " values once aliases are expanded");
    if (depth > max_depth_) return fail(node, "nested deeper than " + std::to_string(max_depth_) + " levels");
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return util::Json(nullptr);
      case YAML::NodeType::Scalar:
        return scalar(node);
      case YAML::NodeType::Sequence: {
        util::Json out = util::Json::array();
        for (const auto& item : node) {
          TRY_ASSIGN(auto value, convert(item, depth + 1));
          out.push_back(std::move(value));
        }
        return out;
      }
      case YAML::NodeType::Map: {
        util::Json out = util::Json::object();
        for (const auto& kv : node) {
          if (!kv.first.IsScalar()) return fail(kv.first, "a mapping key must be a scalar (JSON keys are text)");
          TRY_ASSIGN(auto value, convert(kv.second, depth + 1));
          out[kv.first.Scalar()] = std::move(value);
        }
        return out;
      }
    }
    return util::Json(nullptr);
  }

 private:
  util::Error fail(const YAML::Node& node, const std::string& why) const {
    auto mark = node.Mark();
    return util::Error{std::string(source_) + ":" + std::to_string(mark.line + 1) + ":" +
                       std::to_string(mark.column + 1) + ": " + why};
  }

  // YAML 1.2 core schema for plain scalars; a quoted one (tag "!") is a string.
  static util::Json scalar(const YAML::Node& node) {
    const std::string& s = node.Scalar();
    if (node.Tag() != "?") return s;
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    if (auto n = integer(s)) return *n;
    if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf") return std::numeric_limits<double>::infinity();
    if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return -std::numeric_limits<double>::infinity();
    if (s.find_first_of("0123456789") != std::string::npos &&
        s.find_first_not_of("0123456789+-.eE") == std::string::npos) {
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (*end == '\0' && std::isfinite(d)) return d;
    }
    return s;
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

  std::string_view source_;
  std::size_t max_depth_;
  std::size_t max_nodes_;
  std::size_t nodes_ = 0;
};

}  // namespace

util::Result<util::Json> parse_yaml(std::string_view text, std::string_view source, std::size_t max_depth,
                                    std::size_t max_nodes) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return util::Error{std::string(source) + ":" + std::to_string(e.mark.line + 1) + ":" +
                       std::to_string(e.mark.column + 1) + ": " + e.msg};
  }
  try {
    return YamlToJson(source, max_depth, max_nodes).convert(root, 0);
  } catch (const YAML::Exception& e) {
    return util::Error{std::string(source) + ": " + e.msg};
  }
}

util::Result<util::Json> load_document(const std::string& file) {
  TRY_ASSIGN(auto text, util::read_file(file, 64u << 20));
  std::string ext = std::filesystem::path(file).extension().string();
  if (ext == ".yaml" || ext == ".yml") return parse_yaml(text, file);
  return util::parse_json(text, file);
}

}  // namespace contracts
