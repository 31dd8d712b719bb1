// An API description (Swagger 2.0 or OpenAPI 3.0/3.1) read as a list of operations: which
// operation a request (or a fixture's request pattern) is, what it declares for its parameters,
// request body and each response status, and the schemas to check bodies with. cxone-mock's
// check --spec and serve --spec run on it (mockserver/spec_check.hpp).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/schema.hpp"
#include "contracts/violation.hpp"
#include "util/json_text.hpp"
#include "util/result.hpp"

namespace contracts {

// A query, header, path or form parameter, with what the description says of its value.
struct SpecParameter {
  std::string name;
  std::string in;  // query, header, path, formData (Swagger), cookie (OpenAPI 3)
  bool required = false;
  std::string type;                // string, integer, number, boolean, array; empty: anything
  std::vector<std::string> enums;  // allowed values as text; empty: any
};

struct SpecResponse {
  std::string status;           // "202", "4XX" or "default"
  std::string schema_pointer;   // where the body's schema is in the document; empty: no body
  std::string example_pointer;  // an example body given by the description; empty: none
};

struct SpecOperation {
  std::string method;                 // upper case
  std::string path;                   // the template as the description writes it, e.g. /api/v2/queues/{queueId}
  std::string operation_id;           // may be empty
  std::string pointer;                // the operation in the document, e.g. /paths/~1queues~1{queueId}/get
  std::vector<std::string> segments;  // path split at '/'; a segment holding '{' is a parameter
  std::vector<SpecParameter> parameters;
  std::string request_schema_pointer;  // empty: the operation declares no JSON request body
  bool request_body_required = false;
  std::vector<SpecResponse> responses;
  // "GET /api/v2/queues/{queueId} (getQueue)", for messages.
  std::string label() const;
};

class ApiSpec {
 public:
  // The description in a JSON file (at most 64 MB); an error names the file and what is wrong.
  static util::Result<ApiSpec> load(const std::string& file);
  static util::Result<ApiSpec> from_document(util::Json document, std::string source);

  const std::string& source() const { return source_; }
  const std::vector<SpecOperation>& operations() const { return operations_; }
  // The paths operations sit under: Swagger's basePath, or each OpenAPI server URL's path.
  const std::vector<std::string>& base_paths() const { return base_paths_; }

  // The operation a method and path are (the path concrete, or a template whose {params} only
  // match the description's parameters); the most literal match wins. nullptr: none.
  const SpecOperation* find(std::string_view method, std::string_view path) const;
  // The operations whose path fits but whose method does not, as "GET, PATCH" (for messages).
  std::string methods_at(std::string_view path) const;
  // The closest operation for a request that has none, as its label; empty without operations.
  std::string nearest(std::string_view method, std::string_view path) const;
  // What the operation declares for a status: the status itself, then its class (2XX), then
  // "default"; nullptr when none.
  static const SpecResponse* response_for(const SpecOperation& op, int status);
  // "200, 400, 404" for messages.
  static std::string declared_statuses(const SpecOperation& op);

  // Every violation of value against the schema at pointer (compiled on first use, then kept).
  util::Result<std::vector<Violation>> validate(const std::string& pointer, const util::Json& value) const;
  // The body to answer a response with: the description's example, else one generated from its
  // schema (examples, defaults and enums first; depth bounded); nullopt when it declares no body.
  std::optional<util::Json> example_body(const SpecResponse& response) const;

  ApiSpec(ApiSpec&&) noexcept;
  ApiSpec& operator=(ApiSpec&&) noexcept;
  ~ApiSpec();

 private:
  ApiSpec() = default;
  std::string source_;
  std::shared_ptr<const util::Json> document_;
  std::vector<SpecOperation> operations_;
  std::vector<std::string> base_paths_;
  struct Cache {
    std::mutex mu;
    std::map<std::string, std::shared_ptr<const Schema>> schemas;
  };
  std::unique_ptr<Cache> cache_;
};

// Whether a parameter value (as text) fits what the description says; empty when it does, else
// why not ("not an integer", "not one of a, b").
std::string check_parameter_value(const SpecParameter& parameter, std::string_view value);

}  // namespace contracts
