// Matching a request against a pattern, collecting every difference.
#include "mockserver/matcher.hpp"

#include "util/strings.hpp"

namespace mockserver {

namespace {
// Request headers whose values are credentials: a miss report names them but never echoes them.
bool sensitive_header(const std::string& lower_name) {
  return lower_name == "authorization" || lower_name == "cookie" || lower_name == "proxy-authorization" ||
         lower_name == "x-api-key";
}
}  // namespace

IncomingRequest::IncomingRequest(const util::HttpRequest& request) : http(request) {
  const std::string& ct = request.headers.get("content-type");
  if (request.body.empty()) return;
  if (ct.find("application/x-www-form-urlencoded") != std::string::npos) {
    form = util::parse_form(request.body);
    return;
  }
  // Matching must not throw on hostile bodies; a body that is not JSON simply has no json.
  util::Json parsed = util::Json::parse(request.body, nullptr, false);
  if (!parsed.is_discarded()) json = std::move(parsed);
}

void json_subset(const util::Json& expected, const util::Json& actual, const std::string& pointer,
                 std::vector<Mismatch>& out) {
  if (expected.is_object()) {
    if (!actual.is_object()) {
      out.push_back({"body", pointer.empty() ? "/" : pointer, "an object", actual.type_name(), "expected an object"});
      return;
    }
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      std::string child = util::pointer_append(pointer, it.key());
      auto a = actual.find(it.key());
      if (a == actual.end()) {
        out.push_back({"body", child, it->dump(), "(absent)", "body field " + child + " is missing"});
        continue;
      }
      json_subset(*it, *a, child, out);
    }
    return;
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      out.push_back({"body", pointer.empty() ? "/" : pointer, util::excerpt(expected.dump(), 120),
                     util::excerpt(actual.dump(), 120), "array differs"});
      return;
    }
    for (std::size_t i = 0; i < expected.size(); ++i) json_subset(expected[i], actual[i], util::pointer_append(pointer, i), out);
    return;
  }
  bool equal = (expected.is_number() && actual.is_number()) ? expected.get<double>() == actual.get<double>()
                                                            : expected == actual;
  if (!equal)
    out.push_back({"body", pointer.empty() ? "/" : pointer, util::excerpt(expected.dump(), 120),
                   util::excerpt(actual.dump(), 120), "body field " + (pointer.empty() ? "/" : pointer) + " differs"});
}

MatchResult match_request(const RequestPattern& p, const IncomingRequest& in) {
  MatchResult r;
  const util::HttpRequest& req = in.http;

  // Path: segment by segment against the template.
  auto actual = util::split(std::string_view(req.path).substr(req.path.starts_with('/') ? 1 : 0), '/');
  std::size_t n = std::max(actual.size(), p.segments.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i >= actual.size() || i >= p.segments.size()) {
      ++differing;
      continue;
    }
    const auto& seg = p.segments[i];
    if (seg.is_param() ? actual[i].empty() : seg.literal != actual[i]) ++differing;
  }
  if (differing) {
    r.mismatches.push_back({"path", "", p.path, req.path, "path differs"});
    r.distance += 100.0 * static_cast<double>(differing) / static_cast<double>(n ? n : 1);
  }
  if (!p.method.empty() && p.method != req.method && !(p.method == "GET" && req.method == "HEAD")) {
    r.mismatches.push_back({"method", "", p.method, req.method, "method differs"});
    r.distance += 10;
  }
  for (const auto& [name, want] : p.query) {
    auto it = req.query.find(name);
    if (it == req.query.end()) r.mismatches.push_back({"query", name, want, "(absent)", "query parameter " + name + " is missing"});
    else if (it->second != want) r.mismatches.push_back({"query", name, want, it->second, "query parameter " + name + " differs"});
  }
  for (const auto& [name, want] : p.headers) {
    const std::string* got = req.headers.find(name);
    if (!got) r.mismatches.push_back({"header", name, want, "(absent)", "header " + name + " is missing"});
    else if (*got != want)
      r.mismatches.push_back({"header", name, want, sensitive_header(name) ? "(other value)" : *got,
                              "header " + name + " differs"});
  }
  if (!p.form.empty()) {
    for (const auto& [name, want] : p.form) {
      std::string got_text = "(absent)";
      bool same = false;
      if (in.form) {
        auto it = in.form->find(name);
        if (it != in.form->end()) {
          got_text = it->second;
          same = it->second == want;
        }
      }
      // Form values may carry secrets (client_secret): never echo the actual value.
      if (!same) r.mismatches.push_back({"form", name, want, got_text == "(absent)" ? got_text : "(other value)",
                                         "form field " + name + (got_text == "(absent)" ? " is missing" : " differs")});
    }
  }
  if (p.json) {
    if (!in.json) r.mismatches.push_back({"body", "/", "a JSON body", req.body.empty() ? "(empty)" : "not JSON", "body is not JSON"});
    else json_subset(*p.json, *in.json, "", r.mismatches);
  }
  r.distance += static_cast<double>(r.mismatches.size());
  return r;
}

}  // namespace mockserver
