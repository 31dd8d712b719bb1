// A draft-07 JSON Schema compiled once into a tree of checks; validation reports every
// violation with the SPEC's codes (SCHEMA_REQUIRED, SCHEMA_TYPE, ...).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contracts/violation.hpp"
#include "util/json_text.hpp"
#include "util/result.hpp"

namespace contracts {

struct SchemaNode;

// Loads the document at an absolute URI (no fragment) for a remote $ref; nullopt if unknown.
using SchemaLoader = std::function<std::optional<util::Json>(const std::string& uri)>;

class Schema {
 public:
  // Compiles a schema document. "$id" scopes base URIs; "$ref"s (pointers, plain-name fragments,
  // other documents through loader) are resolved at compile time. A $ref that cannot be resolved
  // is an error, so a schema is never silently weakened. base_uri: where the document lives
  // (a file:// URI for files) when it has no absolute $id.
  static util::Result<Schema> compile(const util::Json& document, const std::string& name,
                                      const SchemaLoader& loader = {}, std::string base_uri = "");

  // Appends every violation of instance to out (pointer relative to the instance root). With
  // lints, the schema-aware Cognigy lints are reported too (STRINGIFIED_JSON, QUEUE_NAME_NOT_ID,
  // KEY_CASE_MISMATCH, EMPTY_VALUE); they never change whether the instance is valid.
  void validate(const util::Json& instance, std::vector<Violation>& out, bool lints = true) const;
  // JSON Schema validity alone.
  bool is_valid(const util::Json& instance) const;

  const std::string& name() const { return name_; }
  const util::Json& document() const { return *document_; }

  Schema(Schema&&) noexcept;
  Schema& operator=(Schema&&) noexcept;
  ~Schema();

  struct Impl;  // the compiled nodes (contracts/schema_impl.hpp, private to the module)
  const Impl& impl() const { return *impl_; }

 private:
  Schema() = default;
  std::string name_;
  std::shared_ptr<const util::Json> document_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace contracts
