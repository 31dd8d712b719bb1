// Handover parameters from the query and the body (see payload_form.hpp).
#include "mockserver/payload_form.hpp"

#include <algorithm>

namespace mockserver {

namespace {

// "array" or "object" when s is a string holding that JSON document, else empty.
std::string json_string_kind(const util::Json& v) {
  if (!v.is_string()) return "";
  const auto& s = v.get_ref<const std::string&>();
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || (s[first] != '[' && s[first] != '{')) return "";
  util::Json inner = util::parse_json_lenient(s, 64);
  return inner.is_array() ? "array" : inner.is_object() ? "object" : "";
}

}  // namespace

std::optional<GatheredPayload> gather_parameters(const util::HttpRequest& request,
                                                 const std::vector<std::string>& keys) {
  util::Json params = util::Json::object();
  if (request.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    params = util::parse_json_lenient(request.body);
    if (!params.is_object()) return std::nullopt;
  }
  util::Json in_body = util::Json::array(), in_query = util::Json::array();
  for (const auto& [k, _] : params.items()) in_body.push_back(k);
  for (const auto& k : keys) {
    auto q = request.query.find(k);
    if (q == request.query.end()) continue;
    in_query.push_back(k);
    params[k] = q->second;
  }
  std::string form = in_query.empty() ? "body" : in_body.empty() ? "query" : "query+body";
  bool both = std::any_of(in_query.begin(), in_query.end(),
                          [&](const auto& k) { return std::find(in_body.begin(), in_body.end(), k) != in_body.end(); });
  if (both) form += " (some in both: the query's value counts)";
  util::Json json_strings = util::Json::object();
  for (const auto& [k, v] : params.items())
    if (auto kind = json_string_kind(v); !kind.empty()) json_strings[k] = kind;
  return GatheredPayload{util::dump_line(params),
                         {{"form", form}, {"inQuery", in_query}, {"inBody", in_body}, {"jsonStrings", json_strings}}};
}

}  // namespace mockserver
