// JSON or YAML documents as JSON values (see document.hpp).
#include "contracts/document.hpp"

#include <dlfcn.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "contracts/yaml_module.hpp"
#include "util/file.hpp"

namespace contracts {

namespace {

// The value the module's events describe, built as they come: the open containers on a stack,
// each new value put at the pending key of the innermost object (a repeated key: the last wins,
// as YAML readers do) or at the end of the innermost array.
class Builder {
 public:
  static int on_event(void* ctx, int event, const char* text, std::size_t size, std::int64_t integer, double real) {
    try {
      static_cast<Builder*>(ctx)->take(event, text, size, integer, real);
      return 0;
    } catch (...) {  // nothing unwinds through the module
      return 1;
    }
  }

  util::Json take_root() { return std::move(root_); }

 private:
  void take(int event, const char* text, std::size_t size, std::int64_t integer, double real) {
    switch (event) {
      case kHarnessYamlBeginObject:
        open_.push_back(&put(util::Json::object()));
        return;
      case kHarnessYamlBeginArray:
        open_.push_back(&put(util::Json::array()));
        return;
      case kHarnessYamlEnd:
        if (open_.empty()) throw std::logic_error("a YAML event closes nothing");
        open_.pop_back();
        return;
      case kHarnessYamlKey:
        key_.assign(text, size);
        return;
      case kHarnessYamlNull:
        put(nullptr);
        return;
      case kHarnessYamlBool:
        put(integer != 0);
        return;
      case kHarnessYamlInteger:
        put(integer);
        return;
      case kHarnessYamlDouble:
        put(real);
        return;
      case kHarnessYamlString:
        put(std::string(text, size));
        return;
      default:
        throw std::logic_error("unknown YAML event");
    }
  }

  util::Json& put(util::Json value) {
    if (open_.empty()) return root_ = std::move(value);
    util::Json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return parent.back();
    }
    return parent[key_] = std::move(value);
  }

  util::Json root_;
  std::vector<util::Json*> open_;  // pointers stay valid: a container is only added to at its end
  std::string key_;
};

}  // namespace

util::Result<util::Json> parse_yaml(std::string_view text, std::string_view source, std::size_t max_depth,
                                    std::size_t max_nodes) {
  using Read = decltype(&harness_yaml_to_json);
  TRY_ASSIGN(void* module, util::load_module(kYamlModuleName, "reading YAML"));
  auto read = reinterpret_cast<Read>(::dlsym(module, "harness_yaml_to_json"));
  if (!read) return util::make_error(std::string(kYamlModuleName) + " lacks harness_yaml_to_json");
  Builder builder;
  char error[1024] = "";
  const std::string name(source);
  const int rc = read(text.data(), text.size(), name.c_str(), max_depth, max_nodes, &Builder::on_event, &builder, error,
                      sizeof error);
  if (rc == 1) return util::make_error(error);
  if (rc != 0) return util::make_error(name + ": the YAML value could not be built (out of memory)");
  return builder.take_root();
}

util::Result<util::Json> load_document(const std::string& file) {
  TRY_ASSIGN(auto text, util::read_file(file, 64u << 20));
  std::string ext = std::filesystem::path(file).extension().string();
  if (ext == ".yaml" || ext == ".yml") return parse_yaml(text, file);
  return util::parse_json(text, file);
}

}  // namespace contracts
