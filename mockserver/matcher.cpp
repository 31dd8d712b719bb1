// Matching a request against a pattern, collecting every difference.
#include "mockserver/matcher.hpp"

#include "mockserver/pact.hpp"
#include "util/strings.hpp"

namespace mockserver {

std::string_view kind_name(MismatchKind kind) {
  switch (kind) {
    case MismatchKind::method:
      return "method";
    case MismatchKind::path:
      return "path";
    case MismatchKind::query:
      return "query";
    case MismatchKind::header:
      return "header";
    case MismatchKind::form:
      return "form";
    case MismatchKind::status:
      return "status";
    case MismatchKind::body:
      break;
  }
  return "body";
}

namespace {
// Request headers whose values are credentials: a miss report names them but never echoes them.
bool sensitive_header(const std::string& lower_name) {
  return lower_name == "authorization" || lower_name == "cookie" || lower_name == "proxy-authorization" ||
         lower_name == "x-api-key";
}
}  // namespace

IncomingRequest::IncomingRequest(const util::HttpRequest& request) : http(request) {
  std::string_view path(request.path);
  if (path.starts_with('/')) path.remove_prefix(1);
  for (std::size_t start = 0;;) {
    auto slash = path.find('/', start);
    segments.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  const std::string& ct = request.headers.get("content-type");
  if (request.body.empty()) return;
  if (ct.find("application/x-www-form-urlencoded") != std::string::npos) {
    form = util::parse_form(request.body);
    return;
  }
  // Matching must not throw on hostile bodies; a body that is not JSON simply has no json.
  util::Json parsed = util::parse_json_lenient(request.body);
  if (!parsed.is_discarded()) json = std::move(parsed);
}

void json_subset(const util::Json& expected, const util::Json& actual, const std::string& pointer,
                 std::vector<Mismatch>& out) {
  if (expected.is_object()) {
    if (!actual.is_object()) {
      out.push_back(
          {MismatchKind::body, pointer.empty() ? "/" : pointer, "an object", actual.type_name(), "expected an object"});
      return;
    }
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      std::string child = util::pointer_append(pointer, it.key());
      auto a = actual.find(it.key());
      if (a == actual.end()) {
        out.push_back({MismatchKind::body, child, it->dump(), "(absent)", "body field " + child + " is missing"});
        continue;
      }
      json_subset(*it, *a, child, out);
    }
    return;
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      out.push_back({MismatchKind::body, pointer.empty() ? "/" : pointer, util::excerpt(util::dump_line(expected), 120),
                     util::excerpt(util::dump_line(actual), 120), "array differs"});
      return;
    }
    for (std::size_t i = 0; i < expected.size(); ++i)
      json_subset(expected[i], actual[i], util::pointer_append(pointer, i), out);
    return;
  }
  bool equal = (expected.is_number() && actual.is_number()) ? expected.get<double>() == actual.get<double>()
                                                            : expected == actual;
  if (!equal)
    out.push_back({MismatchKind::body, pointer.empty() ? "/" : pointer, util::excerpt(util::dump_line(expected), 120),
                   util::excerpt(util::dump_line(actual), 120),
                   "body field " + (pointer.empty() ? "/" : pointer) + " differs"});
}

bool method_accepts(const std::string& pattern_method, const std::string& request_method) {
  return pattern_method.empty() || pattern_method == request_method ||
         (pattern_method == "GET" && request_method == "HEAD");
}

bool match_text(const ValueMatcher& m, const std::string* actual) {
  switch (m.kind) {
    case ValueMatcher::Kind::equals:
      return actual && *actual == m.text;
    case ValueMatcher::Kind::matches:
      return actual && m.regex.search(*actual);
    case ValueMatcher::Kind::absent:
      return !actual;
    case ValueMatcher::Kind::present:
      return actual != nullptr;
  }
  return false;
}

namespace {

bool match_field(const ValueMatcher& m, const util::Json* actual) {
  switch (m.kind) {
    case ValueMatcher::Kind::equals:
      if (!actual) return false;
      if (m.value.is_number() && actual->is_number()) return m.value.get<double>() == actual->get<double>();
      return *actual == m.value;
    case ValueMatcher::Kind::matches:
      // A regex looks at strings as they are and at other values as their JSON text.
      return actual && m.regex.search(actual->is_string() ? actual->get_ref<const std::string&>() : actual->dump());
    case ValueMatcher::Kind::absent:
      return !actual;
    case ValueMatcher::Kind::present:
      return actual != nullptr;
  }
  return false;
}

// How a value failed its matcher, after its label: " is missing", " must be absent", " differs".
std::string failure(const ValueMatcher& want, bool present) {
  if (!present) return " is missing";
  return want.kind == ValueMatcher::Kind::absent ? " must be absent" : " differs";
}

// One Mismatch for a named value (query, header, form) that failed its matcher.
void text_mismatch(MatchResult& r, MismatchKind kind, const char* label, const std::string& name,
                   const ValueMatcher& want, const std::string* got, bool secret) {
  std::string actual = !got ? "(absent)" : secret ? "(other value)" : *got;
  r.mismatches.push_back({kind, name, want.describe(), actual, label + name + failure(want, got != nullptr)});
}

}  // namespace

namespace {

// The path's share of the distance (0 when it matches), as match_request counts it.
double path_distance(const RequestPattern& p, const IncomingRequest& in) {
  if (p.path_regex()) return p.path_regex()->search(in.http.path) ? 0.0 : 100.0;
  const auto& actual = in.segments;
  std::size_t n = std::max(actual.size(), p.segments().size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i >= actual.size() || i >= p.segments().size()) {
      ++differing;
      continue;
    }
    const auto& seg = p.segments()[i];
    if (seg.is_param() ? actual[i].empty() : seg.literal != actual[i]) ++differing;
  }
  return 100.0 * static_cast<double>(differing) / static_cast<double>(n ? n : 1);
}

}  // namespace

double distance_lower_bound(const RequestPattern& p, const IncomingRequest& in) {
  double d = path_distance(p, in);
  double bound = d > 0 ? d + 1 : 0;  // + the path's own mismatch entry
  if (!method_accepts(p.method, in.http.method)) bound += 10 + 1;
  // Each query, header and form matcher that fails is one mismatch (the body's are not counted:
  // a bound may leave some out).
  const util::HttpRequest& req = in.http;
  for (const auto& [name, want] : p.query) {
    auto it = req.query.find(name);
    bound += match_text(want, it == req.query.end() ? nullptr : &it->second) ? 0 : 1;
  }
  for (const auto& [name, want] : p.headers) bound += match_text(want, req.headers.find(name)) ? 0 : 1;
  for (const auto& [name, want] : p.form) {
    const std::string* got = nullptr;
    if (in.form)
      if (auto it = in.form->find(name); it != in.form->end()) got = &it->second;
    bound += match_text(want, got) ? 0 : 1;
  }
  return bound - 1e-9;  // summed in another order than the full distance: never above it by a rounding
}

MatchResult match_request(const RequestPattern& p, const IncomingRequest& in) {
  MatchResult r;
  const util::HttpRequest& req = in.http;

  // Segment by segment against the template, or the regex over the whole path.
  if (double d = path_distance(p, in); d > 0) {
    if (p.path_regex())
      r.mismatches.push_back({MismatchKind::path, "", "~ /" + p.path_regex()->source() + "/", req.path,
                              "path does not match the pattern"});
    else
      r.mismatches.push_back({MismatchKind::path, "", p.path(), req.path, "path differs"});
    r.distance += d;
  }
  if (!method_accepts(p.method, req.method)) {
    r.mismatches.push_back({MismatchKind::method, "", p.method, req.method, "method differs"});
    r.distance += 10;
  }
  for (const auto& [name, want] : p.query) {
    auto it = req.query.find(name);
    const std::string* got = it == req.query.end() ? nullptr : &it->second;
    if (!match_text(want, got)) text_mismatch(r, MismatchKind::query, "query parameter ", name, want, got, false);
  }
  for (const auto& [name, want] : p.headers) {
    const std::string* got = req.headers.find(name);
    if (!match_text(want, got))
      text_mismatch(r, MismatchKind::header, "header ", name, want, got, sensitive_header(name));
  }
  for (const auto& [name, want] : p.form) {
    const std::string* got = nullptr;
    if (in.form)
      if (auto it = in.form->find(name); it != in.form->end()) got = &it->second;
    // Form values may carry secrets (client_secret): never echo the actual value.
    if (!match_text(want, got)) text_mismatch(r, MismatchKind::form, "form field ", name, want, got, true);
  }
  if (p.json || !p.body_fields.empty()) {
    if (!in.json) {
      r.mismatches.push_back(
          {MismatchKind::body, "/", "a JSON body", req.body.empty() ? "(empty)" : "not JSON", "body is not JSON"});
    } else {
      if (p.json) json_subset(*p.json, *in.json, "", r.mismatches);
      for (const auto& [pointer, want] : p.body_fields) {
        const util::Json* got = nullptr;
        try {
          util::Json::json_pointer jp(pointer);
          if (in.json->contains(jp)) got = &(*in.json)[jp];
        } catch (const std::exception&) {
          got = nullptr;  // e.g. an array index past the end
        }
        if (!match_field(want, got))
          r.mismatches.push_back({MismatchKind::body, pointer, want.describe(),
                                  got ? util::excerpt(got->dump(), 120) : "(absent)",
                                  "body field " + pointer + failure(want, got != nullptr)});
      }
    }
  }
  if (p.pact) {
    const auto& e = *p.pact;
    const util::Json* parsed = in.json ? &*in.json : nullptr;
    for (auto& m : pact::match_request_content(e.request, e.rules, pact::message_from_http(req, parsed)))
      r.mismatches.push_back(std::move(m));
  }
  r.distance += static_cast<double>(r.mismatches.size());
  return r;
}

}  // namespace mockserver
