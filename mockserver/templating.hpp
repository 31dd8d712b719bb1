// Response templating ("template": true on a response): values from the request and helpers in
// the body and header values, in a syntax close to WireMock's:
//   {{request.path.NAME}}  a path parameter of the interaction's template   {{request.pathSegments.N}}
//   {{request.query.NAME}}  {{request.header.NAME}}  {{request.form.NAME}}  {{request.method}}
//   {{request.json '/pointer'}}  (a string as it is, any other value as JSON)  {{request.url}}
//   {{now}}  {{now format='%Y-%m-%d' offset='+1d'}}  (UTC; offset [+-]N s|m|h|d)
//   {{uuid}}  {{randomInt 1 100}}  {{randomString 12}}  {{counter}} (this interaction's calls)
// Compiled when the scenario loads (a malformed or unknown expression, or a path parameter the
// interaction's path does not have, is a load error), rendered per answer with no parsing. In a
// JSON body every inserted value is escaped for the JSON string it stands in (quotes,
// backslashes, control characters; invalid UTF-8 becomes U+FFFD), so the body stays valid JSON;
// in a header value CR, LF and NUL are dropped. A value the request does not have is empty.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/http.hpp"
#include "util/json_text.hpp"
#include "util/result.hpp"

namespace mockserver {

class Template {
 public:
  enum class Context { json_string, text, header };
  // Parses text's {{...}} expressions; path_params: the names the interaction's path binds.
  static util::Result<Template> compile(std::string_view text, Context context,
                                        const std::vector<std::string>& path_params);

  struct Input {
    const util::HttpRequest& request;
    const std::vector<std::string_view>& segments;  // the request path's, split
    const std::vector<std::string>& path_params;    // the interaction's parameter names, by segment (empty: literal)
    const util::Json* body_json;                    // the request body when it parses as JSON
    std::uint64_t counter;                          // this interaction's calls, this one included
  };
  std::string render(const Input& in) const;

  struct Part;  // a literal or an expression (templating.cpp)

 private:
  std::vector<std::shared_ptr<const Part>> parts_;
  Context context_ = Context::text;
};

// A response's compiled templates: its body and the header values that hold an expression.
struct ResponseTemplates {
  std::shared_ptr<const Template> body;                   // null: the body has none
  std::vector<std::pair<std::size_t, Template>> headers;  // header index -> its value's template
  std::vector<std::string> path_params;                   // by path segment ("" for a literal)
};

}  // namespace mockserver
