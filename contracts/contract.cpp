// Contract loading (built-in names or files) and the combined payload check.
#include "contracts/contract.hpp"

#include <simdjson.h>

#include <cstring>
#include <filesystem>
#include <unordered_set>

#include "contracts/embedded.hpp"
#include "contracts/key_table.hpp"
#include "contracts/openapi.hpp"
#include "contracts/schema_impl.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace contracts {

namespace {

constexpr std::size_t kMaxPayloadBytes = 64u << 20;
constexpr std::size_t kMaxDepth = 512;

constexpr std::string_view kSchemaDir = "schemas/";
constexpr std::string_view kSchemaSuffix = ".schema.json";

constexpr std::string_view kBuiltinBase = "https://contracts.handover-harness.local/";

}  // namespace

// Remote $refs: built-in contracts by their URI, and files next to a user's contract.
std::optional<util::Json> load_schema_document(const std::string& uri) {
  std::optional<std::string> text;
  if (uri.starts_with(kBuiltinBase)) {
    if (auto embedded = embedded_file(std::string(kSchemaDir) + uri.substr(kBuiltinBase.size())))
      text = std::string(*embedded);
  } else if (uri.starts_with("file://")) {
    if (auto file = util::read_file(util::url_decode(uri.substr(7)), 16u << 20)) text = std::move(*file);
  }
  if (!text) return std::nullopt;
  auto doc = util::parse_json(*text, uri);
  return doc ? std::optional<util::Json>(std::move(*doc)) : std::nullopt;
}

namespace {

util::Result<Contract> compile_contract(const util::Json& doc, const std::string& name, const std::string& base_uri) {
  TRY_ASSIGN(auto schema, Schema::compile(doc, name, load_schema_document, base_uri));
  Contract c{name, std::move(schema), {}};
  if (doc.is_object() && doc.contains("x-handover") && doc["x-handover"].is_object()) {
    const auto& x = doc["x-handover"];
    if (x.contains("maxBytes") && x["maxBytes"].is_number_unsigned()) c.lints.max_bytes = x["maxBytes"];
  }
  return c;
}

}  // namespace

namespace {

// Several contracts together: the strictest size limit holds.
LintSettings combined_lints(const std::vector<Contract>& contracts) {
  LintSettings lints;
  for (const auto& c : contracts) lints.max_bytes = std::min(lints.max_bytes, c.lints.max_bytes);
  return lints;
}

}  // namespace

std::string contract_base_uri(std::string_view name_or_path) {
  std::string key(name_or_path);
  if (embedded_file(std::string(kSchemaDir) + key + std::string(kSchemaSuffix)))
    return std::string(kBuiltinBase) + key + std::string(kSchemaSuffix);
  return "file://" + std::filesystem::absolute(key).lexically_normal().string();
}

std::vector<std::string> builtin_contract_names() {
  std::vector<std::string> names;
  for (const auto& f : embedded_files()) {
    if (f.path.starts_with(kSchemaDir) && f.path.ends_with(kSchemaSuffix))
      names.emplace_back(f.path.substr(kSchemaDir.size(), f.path.size() - kSchemaDir.size() - kSchemaSuffix.size()));
  }
  return names;
}

namespace {

// FILE#/pointer: the schema at the pointer inside FILE (an OpenAPI or Swagger document, or any
// JSON document holding schemas), named after the pointer's last token.
util::Result<Contract> load_contract_in(const std::string& file, const std::string& fragment) {
  TRY_ASSIGN(auto schema, schema_in_file(file, fragment));
  return compile_contract(schema, util::pointer_token(fragment.substr(fragment.rfind('/') + 1)),
                          contract_base_uri(file));
}

}  // namespace

util::Result<Contract> load_contract(std::string_view name_or_path) {
  std::string key(name_or_path);
  if (auto text = embedded_file(std::string(kSchemaDir) + key + std::string(kSchemaSuffix))) {
    TRY_ASSIGN(auto doc, util::parse_json(*text, "contract " + key));
    return compile_contract(doc, key, contract_base_uri(key));
  }
  std::error_code ec;
  if (auto hash = key.find('#'); hash != std::string::npos && !std::filesystem::exists(key, ec))
    return load_contract_in(key.substr(0, hash), key.substr(hash + 1));
  if (!std::filesystem::exists(key, ec)) {
    std::string names;
    for (const auto& n : builtin_contract_names()) names += (names.empty() ? "" : ", ") + n;
    return util::make_error("contract \"" + key + "\": neither a built-in contract (" + names + ") nor a file");
  }
  TRY_ASSIGN(auto text, util::read_file(key));
  TRY_ASSIGN(auto doc, util::parse_json(text, key));
  std::string name = std::filesystem::path(key).filename().string();
  if (name.ends_with(kSchemaSuffix))
    name.resize(name.size() - kSchemaSuffix.size());
  else if (name.ends_with(".json"))
    name.resize(name.size() - 5);
  return compile_contract(doc, name, contract_base_uri(key));
}

util::Result<std::vector<Contract>> load_contracts(const std::vector<std::string>& names) {
  std::vector<Contract> out;
  for (const auto& name : names) {
    TRY_ASSIGN(auto c, load_contract(name));
    out.push_back(std::move(c));
  }
  return out;
}

util::Result<util::Json> profile_document(std::string_view profile_name_or_path) {
  std::string key(profile_name_or_path);
  util::Result<std::string> text = util::make_error("");
  if (auto builtin = embedded_file("profiles/" + key + ".json")) {
    text = std::string(*builtin);
  } else {
    std::error_code ec;
    if (!std::filesystem::exists(key, ec))
      return util::make_error("profile \"" + key + "\": neither a built-in profile (v2, cxone, genesys) nor a file");
    text = util::read_file(key, 1u << 20);
    if (!text) return text.error();
  }
  return util::parse_json(*text, "profile " + key);
}

util::Result<std::string> profile_contract_name(std::string_view profile_name_or_path) {
  TRY_ASSIGN(auto doc, profile_document(profile_name_or_path));
  if (!doc.is_object() || !doc.contains("contract") || !doc["contract"].is_string())
    return util::make_error("profile \"" + std::string(profile_name_or_path) + "\" names no \"contract\"");
  return doc["contract"].get<std::string>();
}

namespace {

// With several contracts, an overlay that $refs the base reports each of the base's violations
// again: the same code, pointer and message are kept once (the first contract's), so a pull
// request is not annotated twice for one problem.
void drop_repeats(std::vector<Violation>& out, std::size_t from) {
  std::unordered_set<std::string> seen;
  std::size_t kept = from;
  for (std::size_t i = from; i < out.size(); ++i) {
    std::string key = out[i].code + '\0' + out[i].pointer + '\0' + out[i].message;
    if (!seen.insert(std::move(key)).second) continue;
    if (kept != i) out[kept] = std::move(out[i]);
    ++kept;
  }
  out.resize(kept);
}

}  // namespace

std::vector<Violation> check_payload(const std::vector<Contract>& contracts, const util::Json& payload,
                                     std::size_t size_bytes) {
  std::vector<Violation> out;
  for (const auto& c : contracts) c.schema.validate(payload, out);
  if (contracts.size() > 1) drop_repeats(out, 0);
  lint_payload(payload, size_bytes, combined_lints(contracts), out);
  return out;
}

static_assert(kPayloadPadding >= simdjson::SIMDJSON_PADDING, "the padding simdjson reads past the end");

namespace {

// The thread's buffer for a padded copy of a payload (kept between payloads; a function, so that
// its static storage is plain to readers and to the static analyser).
std::string& padding_buffer() {
  thread_local std::string padded;
  return padded;
}

}  // namespace

std::vector<Violation> check_payload_text(const std::vector<Contract>& contracts, std::string_view text,
                                          bool padded_input) {
  // Fast path: simdjson's DOM (one parser per thread, its buffers reused across payloads).
  // Its depth limit is the nlohmann path's; deeper input falls through to that path, which says so.
  thread_local simdjson::dom::parser parser = [] {
    simdjson::dom::parser p(kMaxPayloadBytes);
    [[maybe_unused]] auto err = p.allocate(4096, kMaxDepth);  // growth keeps the depth limit
    return p;
  }();
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse from a reused padded buffer
  // instead of letting it allocate a padded copy per payload.
  const char* data = text.data();
  if (!padded_input) {
    std::string& padded = padding_buffer();
    padded.reserve(text.size() + simdjson::SIMDJSON_PADDING);
    padded.assign(text);
    data = padded.data();
  }
  simdjson::dom::element root;
  // A raw NUL is never valid JSON: simdjson refuses it wherever it stands (inside a string, among
  // the tokens, after the document; the bad-input table's NUL rows and the Contract test below
  // hold it to that), and such text goes to the path that says where.
  if (text.size() <= kMaxPayloadBytes && parser.parse(data, text.size(), false).get(root) == simdjson::SUCCESS) {
    std::vector<Violation> out;
    // The first contract's walk also adds every object's keys for DUPLICATE_KEY: when it has seen
    // them all (none twice), the lint pass has nothing left to walk (it was a quarter of the
    // time) unless a template may be in the text, and then it looks for templates only.
    thread_local WalkKeys walk_keys;
    const bool templates = may_hold_template(text);
    for (std::size_t k = 0; k < contracts.size(); ++k)
      contracts[k].schema.impl().check_dom(parser.doc, out, true, k == 0 ? &walk_keys : nullptr);
    if (contracts.size() > 1) drop_repeats(out, 0);
    lint_payload_dom(parser.doc, text, combined_lints(contracts), out, templates,
                     !contracts.empty() && walk_keys.complete());
    return out;
  }
  // Not JSON (or beyond the fast path's limits): the nlohmann path says where and why.
  util::Json doc;
  if (auto err = util::parse_json_into(text, doc)) {
    const auto& p = err->position;
    return {Violation{
        "INVALID_JSON", "",
        "invalid JSON at line " + std::to_string(p.line) + ", column " + std::to_string(p.column) + ": " + err->reason,
        "fix the JSON syntax at that line and column", "json", p.line, p.column}};
  }
  return check_payload(contracts, doc, text.size());
}

}  // namespace contracts
