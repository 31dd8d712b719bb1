// A draft-07 JSON Schema compiled once into a tree of checks; validation reports every
// violation with the SPEC's codes (SCHEMA_REQUIRED, SCHEMA_TYPE, ...).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "contracts/violation.hpp"
#include "util/json_text.hpp"
#include "util/result.hpp"

namespace contracts {

struct SchemaNode;

class Schema {
 public:
  // Compiles a schema document. Local "$ref"s ("#", "#/definitions/x", any JSON pointer into
  // the document) are resolved at compile time; a $ref that cannot be resolved is an error, so a
  // schema is never silently weakened.
  static util::Result<Schema> compile(const util::Json& document, std::string name);

  // Appends every violation of instance to out (pointer relative to the instance root).
  void validate(const util::Json& instance, std::vector<Violation>& out) const;
  bool is_valid(const util::Json& instance) const;

  const std::string& name() const { return name_; }
  const util::Json& document() const { return *document_; }

  Schema(Schema&&) noexcept;
  Schema& operator=(Schema&&) noexcept;
  ~Schema();

  struct Impl;  // opaque: the compiled nodes

 private:
  Schema() = default;
  std::string name_;
  std::shared_ptr<const util::Json> document_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace contracts
