// Schemas inside Swagger 2.0 and OpenAPI 3 documents, as draft-07 documents our validator runs.
#include "contracts/openapi.hpp"

#include <algorithm>

#include "util/redact.hpp"
#include "util/strings.hpp"

namespace contracts {

namespace {

// OpenAPI 3.0 "nullable: true" and Swagger's "x-nullable: true" as JSON Schema: null is one more
// allowed type (and enum value). The walk is bounded by the parse's depth limit.
void read_nullable(util::Json& node) {
  if (node.is_array()) {
    for (auto& child : node) read_nullable(child);
    return;
  }
  if (!node.is_object()) return;
  bool nullable = (node.contains("nullable") && node["nullable"] == true) ||
                  (node.contains("x-nullable") && node["x-nullable"] == true);
  if (nullable) {
    if (node.contains("type") && node["type"].is_string() && node["type"] != "null")
      node["type"] = util::Json::array({node["type"], "null"});
    else if (node.contains("type") && node["type"].is_array() &&
             std::find(node["type"].begin(), node["type"].end(), "null") == node["type"].end())
      node["type"].push_back("null");
    if (node.contains("enum") && node["enum"].is_array() &&
        std::find(node["enum"].begin(), node["enum"].end(), nullptr) == node["enum"].end())
      node["enum"].push_back(nullptr);
  }
  for (auto& [key, child] : node.items())
    if (key != "enum" && key != "const" && key != "example" && key != "examples" && key != "default")
      read_nullable(child);
}

// Swagger's "format: uri" holds relative references in practice (Genesys' own selfUri values are
// "/api/v2/…"): in an API description it is read as uri-reference.
void read_uri_format(util::Json& node) {
  if (node.is_array()) {
    for (auto& child : node) read_uri_format(child);
    return;
  }
  if (!node.is_object()) return;
  if (node.contains("format") && node["format"] == "uri") node["format"] = "uri-reference";
  for (auto& [key, child] : node.items())
    if (key != "enum" && key != "const" && key != "example" && key != "examples" && key != "default")
      read_uri_format(child);
}

// A cut-down description (an extract) refers to definitions it left out: such a $ref allows
// anything rather than failing the whole contract. Returns how many were found.
int drop_dangling_refs(util::Json& node, const util::Json& root) {
  if (node.is_array()) {
    int n = 0;
    for (auto& child : node) n += drop_dangling_refs(child, root);
    return n;
  }
  if (!node.is_object()) return 0;
  int n = 0;
  if (node.contains("$ref") && node["$ref"].is_string()) {
    std::string ref = node["$ref"].get<std::string>();  // a copy: the member is erased below
    if (ref.starts_with("#/") && !util::at_pointer(root, ref.substr(1))) {
      node.erase("$ref");
      node["description"] = "left out of this extract (" + ref + "): anything is allowed";
      ++n;
    }
  }
  for (auto& [key, child] : node.items())
    if (key != "enum" && key != "const" && key != "example" && key != "examples" && key != "default")
      n += drop_dangling_refs(child, root);
  return n;
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
  if (is_api_description(doc)) {
    read_nullable(out);
    read_uri_format(out);
  }
  util::Json whole = out;
  drop_dangling_refs(out, whole);
  out["$ref"] = "#" + pointer;
  return out;
}

}  // namespace contracts
