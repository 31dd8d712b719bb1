// Response generators (Pact v3/v4 "generators"): values made fresh for each answer instead of the
// example's — a UUID, a random number or string, today's date, a URL on the mock itself. A
// scenario's response may carry them too, in Pact's shape:
//   "generators": {"body": {"$.transferId": {"type": "Uuid"}},
//                  "header": {"Location": {"type": "MockServerURL", "regex": ".*(/t/\\d+)$", "example": "…"}},
//                  "status": {"type": "RandomInt", "min": 200, "max": 202}}
// Supported: Uuid (format simple, lower-case-hyphenated, upper-case-hyphenated, URN), RandomInt
// (min, max), RandomDecimal (digits), RandomHexadecimal (digits), RandomString (size),
// RandomBoolean, Date, Time, DateTime (a Java date format; UTC), MockServerURL (regex, example).
// Not supported, and said so: Regex (a string generated from a regex), ProviderState (values
// from a state's parameters), a date "expression".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mockserver/pact.hpp"
#include "util/http.hpp"
#include "util/json_text.hpp"
#include "util/result.hpp"

namespace mockserver {

inline constexpr std::string_view kSupportedGenerators =
    "supported: Uuid, RandomInt, RandomDecimal, RandomHexadecimal, RandomString, RandomBoolean, Date, Time, DateTime, "
    "MockServerURL";

struct Generator {
  enum class Part { body, header, status };
  enum class Kind {
    uuid,
    random_int,
    random_decimal,
    random_hexadecimal,
    random_string,
    random_boolean,
    date,
    time,
    date_time,
    mock_server_url
  };
  Part part = Part::body;
  std::string at;                     // a header's name, a body JSONPath as written
  std::vector<pact::PathToken> path;  // the body JSONPath
  Kind kind = Kind::uuid;
  long long min = 0, max = 2147483647;  // RandomInt
  int digits = 10;                      // RandomDecimal, RandomHexadecimal
  int size = 20;                        // RandomString
  std::string format;                   // Uuid's form; a date's Java pattern
  std::optional<util::Regex> regex;     // MockServerURL
  std::string example;                  // MockServerURL
};

// Pact's "generators" object. A malformed entry is an error naming it; an entry of a type that
// is not supported is skipped, and said in unsupported ("body $.id: Regex generators are not
// supported: the example is answered").
util::Result<std::vector<Generator>> parse_generators(const util::Json& generators,
                                                      std::vector<std::string>& unsupported);

// Fresh values into an answer (the body re-serialised when one applies). request: what is being
// answered (its Host names the mock for MockServerURL).
// scheme: "http", or "https" when the mock serves TLS.
void apply_generators(const std::vector<Generator>& generators, util::HttpResponse& response,
                      const util::HttpRequest& request, const std::string& scheme);

// A time as a Java date pattern writes it (UTC): y, M (MMM: Jan, MMMM: January), d, D, E, H, h, k,
// K, m, s, S (fraction), a, Z, X, x, z and 'quoted' text; another letter is an error.
util::Result<std::string> format_java_date(std::string_view pattern, std::int64_t unix_ms);

}  // namespace mockserver
