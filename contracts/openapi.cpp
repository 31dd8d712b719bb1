// Schemas inside Swagger 2.0 and OpenAPI 3 documents, as draft-07 documents our validator runs.
#include "contracts/openapi.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>

#include "contracts/document.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace contracts {

namespace {

// Every object and array under node that may hold a schema (not the values of enum, const,
// example, examples or default), node first. The walk is bounded by the parse's depth limit.
void for_each_schema_part(util::Json& node, const std::function<void(util::Json&)>& fn) {
  if (!node.is_object() && !node.is_array()) return;
  fn(node);
  if (node.is_array()) {
    for (auto& child : node) for_each_schema_part(child, fn);
    return;
  }
  for (auto& [key, child] : node.items())
    if (key != "enum" && key != "const" && key != "example" && key != "examples" && key != "default")
      for_each_schema_part(child, fn);
}

// OpenAPI 3.0 "nullable: true" and Swagger's "x-nullable: true" as JSON Schema: null is one more
// allowed type (and enum value).
void read_nullable(util::Json& node) {
  if (!node.is_object()) return;
  bool nullable = (node.contains("nullable") && node["nullable"] == true) ||
                  (node.contains("x-nullable") && node["x-nullable"] == true);
  if (!nullable) return;
  if (node.contains("type") && node["type"].is_string() && node["type"] != "null")
    node["type"] = util::Json::array({node["type"], "null"});
  else if (node.contains("type") && node["type"].is_array() &&
           std::find(node["type"].begin(), node["type"].end(), "null") == node["type"].end())
    node["type"].push_back("null");
  if (node.contains("enum") && node["enum"].is_array() &&
      std::find(node["enum"].begin(), node["enum"].end(), nullptr) == node["enum"].end())
    node["enum"].push_back(nullptr);
}

// Swagger's "format: uri" holds relative references in practice (Genesys' own selfUri values are
// "/api/v2/…"): in an API description it is read as uri-reference.
void read_uri_format(util::Json& node) {
  if (node.is_object() && node.contains("format") && node["format"] == "uri") node["format"] = "uri-reference";
}

// A cut-down description (an extract) refers to definitions it left out: such a $ref allows
// anything rather than failing the whole contract.
void drop_dangling_ref(util::Json& node, const util::Json& root) {
  if (!node.is_object() || !node.contains("$ref") || !node["$ref"].is_string()) return;
  std::string ref = node["$ref"].get<std::string>();  // a copy: the member is erased below
  if (!ref.starts_with("#/") || util::at_pointer(root, ref.substr(1))) return;
  node.erase("$ref");
  node["description"] = "left out of this extract (" + ref + "): anything is allowed";
}

}  // namespace

bool is_api_description(const util::Json& doc) {
  if (!doc.is_object()) return false;
  if (doc.contains("swagger") && doc["swagger"].is_string()) return doc["swagger"].get<std::string>() == "2.0";
  return doc.contains("openapi") && doc["openapi"].is_string() && doc["openapi"].get<std::string>().starts_with("3.");
}

util::Result<util::Json> schema_at(const util::Json& doc, std::string_view fragment, std::string_view source) {
  std::string pointer(fragment);
  if (!util::is_json_pointer(pointer) || pointer.empty())
    return util::make_error(std::string(source) + "#" + pointer + ": the part after # must be a JSON pointer such as " +
                            "/definitions/Name or /components/schemas/Name");
  const util::Json* target = util::at_pointer(doc, pointer);
  if (!target || !(target->is_object() || target->is_boolean())) {
    std::string hint;
    if (is_api_description(doc))
      hint = doc.contains("swagger") ? " (Swagger 2.0: /definitions/Name)" : " (OpenAPI 3: /components/schemas/Name)";
    return util::make_error(std::string(source) + "#" + pointer + ": no schema there" + hint);
  }
  // The description's parts that hold schemas stay, so "#/definitions/X" and
  // "#/components/schemas/X" resolve; the root refers to the one asked for.
  util::Json out = util::Json::object();
  for (const char* part : {"definitions", "components"})
    if (doc.contains(part)) out[part] = doc[part];
  if (!out.contains(pointer.substr(1, pointer.find('/', 1) - 1))) {
    // A schema elsewhere in the document (a path's inline schema): keep it whole.
    out = doc;
    out.erase("$ref");
  }
  bool api = is_api_description(doc);
  util::Json whole = out;
  for_each_schema_part(out, [&](util::Json& node) {
    if (api) {
      read_nullable(node);
      read_uri_format(node);
    }
    drop_dangling_ref(node, whole);
  });
  out["$ref"] = "#" + pointer;
  return out;
}

util::Result<util::Json> schema_in_file(const std::string& file, std::string_view fragment) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    return util::make_error(file + "#" + std::string(fragment) + ": " + file + ": no such file");
  TRY_ASSIGN(auto doc, load_document(file));
  return schema_at(doc, fragment, file);
}

}  // namespace contracts
