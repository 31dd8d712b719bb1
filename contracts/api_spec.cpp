// API descriptions read as operations (see api_spec.hpp).
#include "contracts/api_spec.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "contracts/document.hpp"
#include "contracts/openapi.hpp"
#include "util/strings.hpp"

namespace contracts {

namespace {

constexpr std::array<std::string_view, 8> kMethods = {"get",     "put",  "post",  "delete",
                                                      "options", "head", "patch", "trace"};
constexpr int kMaxRefHops = 16;
constexpr int kMaxExampleDepth = 10;
constexpr int kMaxExampleValues = 20000;  // wide recursive models would otherwise grow as width^depth

// Members of an untrusted document read without throwing: a member of another type is absent.
std::string text_of(const util::Json& o, const char* key) {
  if (!o.is_object()) return "";
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}
bool flag_of(const util::Json& o, const char* key) {
  if (!o.is_object()) return false;
  auto it = o.find(key);
  return it != o.end() && it->is_boolean() && it->get<bool>();
}

bool is_param_segment(std::string_view s) { return s.find('{') != std::string_view::npos; }

// The node a "$ref" chain ends at (pointer updated to it); nullptr when a link is missing, is
// not local or the chain is longer than kMaxRefHops.
const util::Json* deref(const util::Json& doc, const util::Json* node, std::string& pointer) {
  for (int hop = 0; node && node->is_object() && node->contains("$ref"); ++hop) {
    const auto& ref = (*node)["$ref"];
    if (hop == kMaxRefHops || !ref.is_string() || !ref.get<std::string>().starts_with("#")) return nullptr;
    pointer = ref.get<std::string>().substr(1);
    node = util::at_pointer(doc, pointer);
  }
  return node;
}

bool is_json_media_type(std::string_view type) {
  std::string t = util::to_lower(type);
  return t.find("json") != std::string::npos || t == "*/*";
}

// The JSON media type of an OpenAPI 3 "content" map, as a pointer token; empty when none.
std::string json_media_type(const util::Json& content) {
  if (!content.is_object()) return "";
  for (const auto& [type, _] : content.items())
    if (is_json_media_type(type)) return util::escape_pointer_token(type);
  return "";
}

SpecParameter read_parameter(const util::Json& doc, const util::Json& p) {
  SpecParameter out;
  out.name = text_of(p, "name");
  out.in = text_of(p, "in");
  out.required = flag_of(p, "required") || out.in == "path";
  const util::Json* schema = &p;  // Swagger 2 keeps type and enum on the parameter itself
  std::string ignored;
  if (p.contains("schema")) schema = deref(doc, &p["schema"], ignored);
  if (!schema || !schema->is_object()) return out;
  if (schema->contains("type") && (*schema)["type"].is_string()) out.type = (*schema)["type"].get<std::string>();
  if (schema->contains("enum") && (*schema)["enum"].is_array())
    for (const auto& v : (*schema)["enum"]) out.enums.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

// Path-level parameters first, then the operation's (which override one of the same name and place).
void read_parameters(const util::Json& doc, const std::string& path_pointer, SpecOperation& op) {
  for (const std::string& base : {path_pointer, op.pointer}) {
    const util::Json* list = util::at_pointer(doc, base + "/parameters");
    if (!list || !list->is_array()) continue;
    for (std::size_t i = 0; i < list->size(); ++i) {
      std::string pointer = util::pointer_append(base + "/parameters", i);
      const util::Json* p = deref(doc, &(*list)[i], pointer);
      if (!p || !p->is_object()) continue;
      if (text_of(*p, "in") == "body") {  // Swagger 2's request body
        op.request_schema_pointer = pointer + "/schema";
        op.request_body_required = flag_of(*p, "required");
        continue;
      }
      SpecParameter param = read_parameter(doc, *p);
      auto same = std::find_if(op.parameters.begin(), op.parameters.end(),
                               [&](const auto& q) { return q.name == param.name && q.in == param.in; });
      if (same != op.parameters.end())
        *same = std::move(param);
      else
        op.parameters.push_back(std::move(param));
    }
  }
}

// OpenAPI 3's requestBody (possibly a $ref to components/requestBodies).
void read_request_body(const util::Json& doc, SpecOperation& op) {
  std::string pointer = op.pointer + "/requestBody";
  const util::Json* body = deref(doc, util::at_pointer(doc, pointer), pointer);
  if (!body || !body->is_object()) return;
  op.request_body_required = flag_of(*body, "required");
  if (!body->contains("content")) return;
  std::string type = json_media_type((*body)["content"]);
  if (!type.empty() && (*body)["content"][util::pointer_token(type)].contains("schema"))
    op.request_schema_pointer = pointer + "/content/" + type + "/schema";
}

SpecResponse read_response(const util::Json& doc, const std::string& status, std::string pointer) {
  SpecResponse out{.status = status, .schema_pointer = {}, .example_pointer = {}};
  const util::Json* r = deref(doc, util::at_pointer(doc, pointer), pointer);
  if (!r || !r->is_object()) return out;
  if (r->contains("schema")) {  // Swagger 2
    out.schema_pointer = pointer + "/schema";
    if (r->contains("examples") && (*r)["examples"].contains("application/json"))
      out.example_pointer = pointer + "/examples/application~1json";
    return out;
  }
  if (!r->contains("content")) return out;
  std::string type = json_media_type((*r)["content"]);
  if (type.empty()) return out;
  std::string media = pointer + "/content/" + type;
  const util::Json* m = util::at_pointer(doc, media);
  if (m->contains("schema")) out.schema_pointer = media + "/schema";
  if (m->contains("example")) {
    out.example_pointer = media + "/example";
  } else if (m->contains("examples") && (*m)["examples"].is_object() && !(*m)["examples"].empty()) {
    std::string first = media + "/examples/" + util::escape_pointer_token((*m)["examples"].begin().key());
    std::string at = first;
    const util::Json* ex = deref(doc, util::at_pointer(doc, first), at);
    if (ex && ex->is_object() && ex->contains("value")) out.example_pointer = at + "/value";
  }
  return out;
}

// The path part of an OpenAPI server URL, its {variables} replaced by their defaults.
std::string server_base_path(const util::Json& server) {
  std::string url = text_of(server, "url");
  if (server.contains("variables") && server["variables"].is_object())
    for (const auto& [name, var] : server["variables"].items()) {
      std::string key = "{" + name + "}";
      std::string value = text_of(var, "default");
      for (auto at = url.find(key); at != std::string::npos; at = url.find(key, at + value.size()))
        url.replace(at, key.size(), value);
    }
  if (auto scheme = url.find("://"); scheme != std::string::npos) {
    auto slash = url.find('/', scheme + 3);
    url = slash == std::string::npos ? "" : url.substr(slash);
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::vector<std::string> read_base_paths(const util::Json& doc) {
  std::vector<std::string> out;
  if (doc.contains("swagger")) {
    std::string base = text_of(doc, "basePath");
    while (!base.empty() && base.back() == '/') base.pop_back();
    out.push_back(base);
  } else if (doc.contains("servers") && doc["servers"].is_array()) {
    for (const auto& s : doc["servers"])
      if (s.is_object()) out.push_back(server_base_path(s));
  }
  if (out.empty()) out.emplace_back();
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// How well a request path's segments fit an operation's: the number of literal segments that
// agree (higher is better), or -1 when they do not fit. A {param} segment of the request (a
// fixture's template) fits only a parameter of the operation.
int fit(const std::vector<std::string>& op, const std::vector<std::string_view>& request) {
  if (op.size() != request.size()) return -1;
  int literal = 0;
  for (std::size_t i = 0; i < op.size(); ++i) {
    if (is_param_segment(op[i])) {
      if (request[i].empty()) return -1;
      continue;
    }
    if (op[i] != request[i]) return -1;
    ++literal;
  }
  return literal;
}

// The request path's segments under one of the base paths; nullopt when under none.
std::optional<std::vector<std::string_view>> segments_under(std::string_view path, const std::string& base) {
  if (!path.starts_with(base)) return std::nullopt;
  std::string_view rest = path.substr(base.size());
  if (!rest.empty() && rest.front() != '/') return std::nullopt;
  std::vector<std::string_view> out;
  while (!rest.empty()) {
    rest.remove_prefix(1);
    auto slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    if (!seg.empty()) out.push_back(seg);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  return out;
}

util::Json example_from_schema(const util::Json& doc, const util::Json* schema, int depth, int& budget);

util::Json example_object(const util::Json& doc, const util::Json& s, int depth, int& budget) {
  util::Json out = util::Json::object();
  if (s.contains("allOf") && s["allOf"].is_array())
    for (const auto& part : s["allOf"]) {
      util::Json piece = example_from_schema(doc, &part, depth + 1, budget);
      if (piece.is_object()) out.update(piece);
    }
  if (s.contains("properties") && s["properties"].is_object())
    for (const auto& [name, prop] : s["properties"].items()) {
      util::Json value = example_from_schema(doc, &prop, depth + 1, budget);
      if (!value.is_null()) out[name] = std::move(value);  // null: cut off by the depth bound, or untyped
    }
  return out;
}

std::string example_string(const util::Json& s) {
  std::string format = text_of(s, "format");
  if (format == "date-time") return "2026-01-01T00:00:00.000Z";
  if (format == "date") return "2026-01-01";
  if (format == "uuid") return "00000000-0000-4000-8000-000000000000";
  if (format == "uri" || format == "uri-reference") return "https://example.com/";
  if (format == "email") return "user@example.com";
  return "string";
}

// A value the schema allows, built the way Prism does: example, default, the first enum value,
// then one per type (objects with every property, arrays with one item). Past kMaxExampleDepth
// (recursive models) a branch stops: null, left out of its object; so does every value past
// kMaxExampleValues.
util::Json example_from_schema(const util::Json& doc, const util::Json* schema, int depth, int& budget) {
  std::string pointer;
  schema = deref(doc, schema, pointer);
  if (!schema || !schema->is_object() || depth > kMaxExampleDepth || --budget < 0) return nullptr;
  const util::Json& s = *schema;
  for (const char* k : {"example", "default", "const"})
    if (s.contains(k)) return s[k];
  if (s.contains("enum") && s["enum"].is_array() && !s["enum"].empty()) return s["enum"][0];
  for (const char* k : {"oneOf", "anyOf"})
    if (s.contains(k) && s[k].is_array() && !s[k].empty()) return example_from_schema(doc, &s[k][0], depth + 1, budget);
  std::string type;
  if (s.contains("type"))
    type = s["type"].is_string()                                                      ? s["type"].get<std::string>()
           : (s["type"].is_array() && !s["type"].empty() && s["type"][0].is_string()) ? s["type"][0].get<std::string>()
                                                                                      : "";
  if (type.empty() && (s.contains("properties") || s.contains("allOf"))) type = "object";
  if (type == "object") return example_object(doc, s, depth, budget);
  if (type == "array") {
    util::Json item =
        s.contains("items") ? example_from_schema(doc, &s["items"], depth + 1, budget) : util::Json(nullptr);
    return item.is_null() ? util::Json::array() : util::Json::array({item});
  }
  if (type == "integer")
    return s.contains("minimum") && s["minimum"].is_number_integer() ? s["minimum"] : util::Json(0);
  if (type == "number") return s.contains("minimum") && s["minimum"].is_number() ? s["minimum"] : util::Json(0.0);
  if (type == "boolean") return true;
  if (type == "string") return example_string(s);
  return nullptr;
}

}  // namespace

std::string SpecOperation::label() const {
  std::string out = method + " " + path;
  if (!operation_id.empty()) out.append(" (").append(operation_id).append(")");
  return out;
}

ApiSpec::ApiSpec(ApiSpec&&) noexcept = default;
ApiSpec& ApiSpec::operator=(ApiSpec&&) noexcept = default;
ApiSpec::~ApiSpec() = default;

util::Result<ApiSpec> ApiSpec::load(const std::string& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return util::make_error("--spec " + file + ": no such file");
  TRY_ASSIGN(auto doc, load_document(file));
  return from_document(std::move(doc), file);
}

util::Result<ApiSpec> ApiSpec::from_document(util::Json document, std::string source) {
  if (!is_api_description(document))
    return util::make_error(source +
                            ": not an API description (no \"swagger\": \"2.0\" or \"openapi\": \"3.x\" at the top)");
  if (!document.contains("paths") || !document["paths"].is_object())
    return util::make_error(source + ": no \"paths\" object: the description declares no operation");
  ApiSpec spec;
  spec.source_ = std::move(source);
  spec.base_paths_ = read_base_paths(document);
  for (const auto& [path, item] : document["paths"].items()) {
    if (!item.is_object()) continue;
    std::string path_pointer = "/paths/" + util::escape_pointer_token(path);
    for (std::string_view method : kMethods) {
      if (!item.contains(method) || !item[std::string(method)].is_object()) continue;
      const util::Json& o = item[std::string(method)];
      SpecOperation op;
      op.method = std::string(method);
      std::transform(op.method.begin(), op.method.end(), op.method.begin(),
                     [](unsigned char c) { return std::toupper(c); });
      op.path = path;
      op.operation_id = text_of(o, "operationId");
      op.pointer = path_pointer + "/" + std::string(method);
      op.segments = util::path_segments(path);
      read_parameters(document, path_pointer, op);
      read_request_body(document, op);
      if (o.contains("responses") && o["responses"].is_object())
        for (const auto& [status, _] : o["responses"].items())
          op.responses.push_back(
              read_response(document, status, op.pointer + "/responses/" + util::escape_pointer_token(status)));
      spec.operations_.push_back(std::move(op));
    }
  }
  spec.document_ = std::make_shared<const util::Json>(std::move(document));
  spec.cache_ = std::make_unique<Cache>();
  return spec;
}

const SpecOperation* ApiSpec::find(std::string_view method, std::string_view path) const {
  const SpecOperation* best = nullptr;
  int best_fit = -1;
  for (const auto& base : base_paths_) {
    auto segments = segments_under(path, base);
    if (!segments) continue;
    for (const auto& op : operations_) {
      if (op.method != method) continue;
      int f = fit(op.segments, *segments);
      if (f > best_fit) {
        best_fit = f;
        best = &op;
      }
    }
  }
  return best;
}

std::string ApiSpec::methods_at(std::string_view path) const {
  std::vector<std::string> methods;
  for (const auto& base : base_paths_) {
    auto segments = segments_under(path, base);
    if (!segments) continue;
    for (const auto& op : operations_)
      if (fit(op.segments, *segments) >= 0 && std::find(methods.begin(), methods.end(), op.method) == methods.end())
        methods.push_back(op.method);
  }
  return util::join(methods, ", ");
}

std::string ApiSpec::nearest(std::string_view method, std::string_view path) const {
  // Distance: segments that differ (a parameter agrees with anything), the difference in
  // length, and one more for another method.
  const SpecOperation* best = nullptr;
  std::size_t best_distance = SIZE_MAX;
  for (const auto& base : base_paths_) {
    auto segments = segments_under(path, base);
    if (!segments) segments = segments_under(path, "");
    if (!segments) continue;  // a path without its leading '/': nothing to compare
    for (const auto& op : operations_) {
      std::size_t n = std::min(op.segments.size(), segments->size());
      std::size_t d = std::max(op.segments.size(), segments->size()) - n + (op.method == method ? 0 : 1);
      for (std::size_t i = 0; i < n; ++i)
        if (!is_param_segment(op.segments[i]) && op.segments[i] != (*segments)[i]) d += 2;
      if (d < best_distance) {
        best_distance = d;
        best = &op;
      }
    }
  }
  return best ? best->label() : "";
}

const SpecResponse* ApiSpec::response_for(const SpecOperation& op, int status) {
  std::string exact = std::to_string(status);
  std::string range = exact.substr(0, 1) + "XX";
  for (const std::string& want : {exact, range, std::string("default")})
    for (const auto& r : op.responses)
      if (util::iequals(r.status, want)) return &r;
  return nullptr;
}

std::string ApiSpec::declared_statuses(const SpecOperation& op) {
  std::vector<std::string> statuses;
  for (const auto& r : op.responses) statuses.push_back(r.status);
  return statuses.empty() ? "none" : util::join(statuses, ", ");
}

util::Result<std::vector<Violation>> ApiSpec::validate(const std::string& pointer, const util::Json& value) const {
  std::shared_ptr<const Schema> schema;
  {
    std::lock_guard lock(cache_->mu);
    auto it = cache_->schemas.find(pointer);
    if (it != cache_->schemas.end()) schema = it->second;
  }
  if (!schema) {
    TRY_ASSIGN(auto doc, schema_at(*document_, pointer, source_));
    TRY_ASSIGN(auto compiled, Schema::compile(doc, source_ + "#" + pointer));
    schema = std::make_shared<const Schema>(std::move(compiled));
    std::lock_guard lock(cache_->mu);
    cache_->schemas.emplace(pointer, schema);
  }
  std::vector<Violation> out;
  schema->validate(value, out, false);
  return out;
}

std::optional<util::Json> ApiSpec::example_body(const SpecResponse& response) const {
  if (!response.example_pointer.empty())
    if (const util::Json* ex = util::at_pointer(*document_, response.example_pointer)) return *ex;
  if (response.schema_pointer.empty()) return std::nullopt;
  int budget = kMaxExampleValues;
  return example_from_schema(*document_, util::at_pointer(*document_, response.schema_pointer), 0, budget);
}

std::string check_parameter_value(const SpecParameter& parameter, std::string_view value) {
  std::string text(value);
  if (parameter.type == "integer") {
    char* end = nullptr;
    (void)std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0') return "\"" + text + "\" is not an integer";
  } else if (parameter.type == "number") {
    char* end = nullptr;
    (void)std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0') return "\"" + text + "\" is not a number";
  } else if (parameter.type == "boolean" && text != "true" && text != "false") {
    return "\"" + text + "\" is not true or false";
  }
  if (!parameter.enums.empty() &&
      std::find(parameter.enums.begin(), parameter.enums.end(), text) == parameter.enums.end())
    return "\"" + text + "\" is not one of " + util::join(parameter.enums, ", ");
  return "";
}

}  // namespace contracts
