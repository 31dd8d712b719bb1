// Strict scenario-file loader (SPEC §4).
#include "mockserver/fixture_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "contracts/catalogue.hpp"
#include "contracts/contract.hpp"
#include "mockserver/generators.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"
#include "util/version.hpp"

namespace fs = std::filesystem;

namespace mockserver {

namespace {

const std::vector<std::string> kTopKeys = {"fixtureVersion", "name",   "description",  "tags",
                                           "profile",        "inputs", "interactions", "expect"};
const std::vector<std::string> kInputKeys = {
    "conversationId", "queueId",     "wrapupCodeId",    "payload",  "payloadFile", "execute",      "clientId",
    "clientSecret",   "accessKeyId", "accessKeySecret", "contract", "environment", "participantId"};
const std::vector<std::string> kInteractionKeys = {
    "id",       "description", "request", "response",        "scenario",
    "required", "priority",    "times",   "validatePayload", "providerStates"};
const std::vector<std::string> kValidateKeys = {"rejectStatus"};
const std::vector<std::string> kRequestKeys = {"method",  "path", "pathPattern", "query",
                                               "headers", "form", "json",        "bodyFields"};
const std::vector<std::string> kMatcherKeys = {"equals", "matches", "absent", "present"};
const std::vector<std::string> kResponseKeys = {"status",  "headers", "json", "body",       "bodyFile",
                                                "delayMs", "fault",   "drip", "generators", "template"};
const std::vector<std::string> kDelayKeys = {"min", "max"};
const std::vector<std::string> kDripKeys = {"chunkBytes", "intervalMs"};
const std::vector<std::string> kScenarioKeys = {"name", "requiredState", "newState"};
const std::vector<std::string> kExpectKeys = {"classification", "failedStep", "violations"};
const std::vector<std::string> kSteps = {"config", "auth", "conversation", "queue", "wrapup", "payload", "transfer"};
const std::set<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
constexpr std::size_t kMaxBodyFile = 16u << 20;

// Reports errors at a JSON pointer of the file being loaded.
class Context {
 public:
  Context(std::string_view text, const fs::path& file, bool files_allowed)
      : text_(text), file_(file), files_allowed_(files_allowed) {}

  util::Error error(const std::string& pointer, const std::string& what) const {
    return util::make_error(util::where(file_.string(), text_, pointer) + ": " + what);
  }
  std::string origin(const std::string& pointer) const { return util::where(file_.string(), text_, pointer); }
  std::string origin(const util::TextPosition& at) const {
    return file_.string() + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
  }
  const fs::path& file() const { return file_; }

  util::Status keys(const util::Json& obj, const std::string& pointer, const std::vector<std::string>& allowed,
                    std::string_view what) const {
    if (!obj.is_object()) return error(pointer, std::string(what) + " must be an object");
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) != allowed.end()) continue;
      std::string msg = "unknown key \"" + it.key() + "\" in " + std::string(what);
      std::string near = util::closest_match(it.key(), allowed);
      if (!near.empty())
        msg += " (did you mean \"" + near + "\"?)";
      else
        msg += " (allowed: " + util::join(allowed, ", ") + ")";
      return error(util::pointer_append(pointer, it.key()), msg);
    }
    return {};
  }

  util::Result<Regex> regex(const std::string& source, const std::string& pointer) const {
    auto re = Regex::compile(source);
    if (!re) return error(pointer, re.error().message);
    return re;
  }

  // A plain value (equals) or {"equals": v} | {"matches": "re"} | {"absent": true} |
  // {"present": true}. typed: a JSON body field, compared as JSON; else a text value.
  util::Result<ValueMatcher> value_matcher(const util::Json& v, const std::string& pointer, bool typed) const {
    ValueMatcher m;
    bool is_matcher = v.is_object() && v.size() == 1 &&
                      std::find(kMatcherKeys.begin(), kMatcherKeys.end(), v.begin().key()) != kMatcherKeys.end();
    if (v.is_object() && !is_matcher && !typed) {
      TRY(keys(v, pointer, kMatcherKeys, "a matcher"));
      return error(pointer, "a matcher has exactly one of equals, matches, absent, present");
    }
    const util::Json& expected = is_matcher ? *v.begin() : v;
    std::string kind = is_matcher ? v.begin().key() : "equals";
    std::string at = is_matcher ? util::pointer_append(pointer, kind) : pointer;
    if (kind == "equals") {
      if (typed) {
        m.value = expected;
        m.text = util::dump_line(expected);
      } else if (expected.is_string()) {
        m.text = expected.get<std::string>();
      } else if (expected.is_number() || expected.is_boolean()) {
        m.text = util::dump_line(expected);
      } else {
        return error(at, "must be a string");
      }
    } else if (kind == "matches") {
      if (!expected.is_string()) return error(at, "must be a regular expression string");
      TRY_ASSIGN(auto re, regex(expected.get<std::string>(), at));
      m.kind = ValueMatcher::Kind::matches;
      m.regex = std::move(re);
    } else {
      if (expected != true) return error(at, "must be true");
      m.kind = kind == "absent" ? ValueMatcher::Kind::absent : ValueMatcher::Kind::present;
    }
    return m;
  }

  util::Result<std::map<std::string, ValueMatcher>> matcher_map(const util::Json& obj, const std::string& pointer,
                                                                bool lower_keys) const {
    if (!obj.is_object()) return error(pointer, "must be an object of values or matchers");
    std::map<std::string, ValueMatcher> out;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      TRY_ASSIGN(auto m, value_matcher(*it, util::pointer_append(pointer, it.key()), false));
      out[lower_keys ? util::to_lower(it.key()) : it.key()] = std::move(m);
    }
    return out;
  }

  // A file named relative to the fixture, confined to the fixture's folder.
  // inline_instead: the key that carries the same content inline ("\"payload\"").
  util::Result<std::string> support_file(const util::Json& name, const std::string& pointer,
                                         const std::string& inline_instead) const {
    if (!name.is_string() || name.get<std::string>().empty()) return error(pointer, "must be a relative file name");
    if (!files_allowed_)
      return error(pointer,
                   "a fixture without a folder (posted to the admin API) cannot name files: give it inline with " +
                       inline_instead);
    fs::path rel(name.get<std::string>());
    fs::path folder = file_.parent_path().empty() ? fs::path(".") : file_.parent_path();
    if (rel.is_absolute() || !util::is_inside(folder, folder / rel))
      return error(pointer, "\"" + rel.string() + "\" leaves the fixture's folder (paths are confined to it)");
    auto content = util::read_file(folder / rel, kMaxBodyFile);
    if (!content) return error(pointer, content.error().message);
    return content;
  }

 private:
  std::string_view text_;
  fs::path file_;
  bool files_allowed_ = true;
};

util::Result<RequestPattern> parse_request(const Context& ctx, const util::Json& r, const std::string& ptr) {
  TRY(ctx.keys(r, ptr, kRequestKeys, "request"));
  RequestPattern p;
  if (r.contains("method")) {
    if (!r["method"].is_string()) return ctx.error(ptr + "/method", "must be a string");
    p.method = r["method"].get<std::string>();
    std::transform(p.method.begin(), p.method.end(), p.method.begin(), ::toupper);
    if (!kMethods.count(p.method)) return ctx.error(ptr + "/method", "unknown HTTP method \"" + p.method + "\"");
  }
  bool has_path = r.contains("path"), has_pattern = r.contains("pathPattern");
  if (has_path && has_pattern) return ctx.error(ptr, "give either \"path\" or \"pathPattern\", not both");
  if (has_pattern) {
    if (!r["pathPattern"].is_string()) return ctx.error(ptr + "/pathPattern", "must be a regular expression string");
    TRY_ASSIGN(auto re, ctx.regex(r["pathPattern"], ptr + "/pathPattern"));
    p.set_path_pattern(r["pathPattern"], std::move(re));
  } else {
    if (!has_path || !r["path"].is_string() || r["path"].get<std::string>().empty() ||
        r["path"].get<std::string>()[0] != '/')
      return ctx.error(has_path ? ptr + "/path" : ptr,
                       "request needs a \"path\" starting with / (or a \"pathPattern\")");
    if (r["path"].get<std::string>().find('?') != std::string::npos)
      return ctx.error(ptr + "/path", "put query parameters in \"query\", not in the path");
    p.set_path(r["path"]);
  }
  for (const auto& [key, lower] : {std::pair{"query", false}, std::pair{"headers", true}, std::pair{"form", false}}) {
    if (!r.contains(key)) continue;
    TRY_ASSIGN(auto m, ctx.matcher_map(r[key], ptr + "/" + key, lower));
    (std::string(key) == "query" ? p.query : std::string(key) == "headers" ? p.headers : p.form) = std::move(m);
  }
  if (r.contains("json")) p.json = r["json"];
  if (r.contains("bodyFields")) {
    const auto& fields = r["bodyFields"];
    if (!fields.is_object()) return ctx.error(ptr + "/bodyFields", "must be an object of JSON pointer -> matcher");
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      std::string at = util::pointer_append(ptr + "/bodyFields", it.key());
      if (!it.key().empty() && it.key()[0] != '/')
        return ctx.error(at, "\"" + it.key() + "\" is not a JSON pointer (it starts with /, e.g. /contextData/intent)");
      TRY_ASSIGN(auto m, ctx.value_matcher(*it, at, true));
      p.body_fields.emplace_back(it.key(), std::move(m));
    }
  }
  return p;
}

// A number of milliseconds from 0 to 600000 at v, into out.
util::Status millis(const Context& ctx, const util::Json& v, const std::string& at, int& out) {
  if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 600000)
    return ctx.error(at, "must be an integer number of milliseconds from 0 to 600000");
  out = v.get<int>();
  return {};
}

// delayMs: a number, or {"min": 50, "max": 200} (a random delay in that range, drawn per request).
util::Status parse_delay(const Context& ctx, const util::Json& d, const std::string& ptr, ResponseSpec& s) {
  if (d.is_object()) {
    // {"min": 50, "max": 200}: a random delay in that range, drawn per request.
    if (auto st = ctx.keys(d, ptr + "/delayMs", kDelayKeys, "delayMs"); !st) return st;
    if (!d.contains("min") || !d.contains("max"))
      return ctx.error(ptr + "/delayMs", "a delay range needs both \"min\" and \"max\"");
    if (auto st = millis(ctx, d["min"], ptr + "/delayMs/min", s.delay_ms); !st) return st;
    if (auto st = millis(ctx, d["max"], ptr + "/delayMs/max", s.delay_max_ms); !st) return st;
    if (s.delay_max_ms < s.delay_ms) return ctx.error(ptr + "/delayMs", "\"max\" is below \"min\"");
  } else if (auto st = millis(ctx, d, ptr + "/delayMs", s.delay_ms); !st) {
    return ctx.error(ptr + "/delayMs", "delayMs must be an integer from 0 to 600000, or {\"min\": ms, \"max\": ms}");
  }
  return {};
}

// fault: one of the known names ("did you mean" otherwise).
util::Status parse_fault(const Context& ctx, const util::Json& fault, const std::string& ptr, ResponseSpec& s) {
  static const std::vector<std::pair<std::string, Fault>> kFaults = {{"malformed-body", Fault::malformed_body},
                                                                     {"connection-reset", Fault::connection_reset},
                                                                     {"empty-response", Fault::empty_response},
                                                                     {"timeout", Fault::timeout},
                                                                     {"slow-drip", Fault::slow_drip}};
  std::string f = fault.is_string() ? fault.get<std::string>() : util::dump_line(fault);
  auto known = std::find_if(kFaults.begin(), kFaults.end(), [&](const auto& k) { return k.first == f; });
  if (known == kFaults.end()) {
    std::vector<std::string> names;
    names.reserve(kFaults.size());
    for (const auto& k : kFaults) names.push_back(k.first);
    std::string near = util::closest_match(f, names);
    return ctx.error(ptr + "/fault", "unknown fault \"" + f + "\"" +
                                         (near.empty() ? "" : " (did you mean \"" + near + "\"?)") +
                                         "; known: " + util::join(names, ", "));
  }
  s.fault = known->second;
  return {};
}

// drip: only with the slow-drip fault; chunk size and interval.
util::Status parse_drip(const Context& ctx, const util::Json& d, const std::string& ptr, ResponseSpec& s) {
  if (auto st = ctx.keys(d, ptr + "/drip", kDripKeys, "drip"); !st) return st;
  if (s.fault != Fault::slow_drip)
    return ctx.error(ptr + "/drip", "\"drip\" only applies with \"fault\": \"slow-drip\"");
  if (d.contains("chunkBytes")) {
    if (!d["chunkBytes"].is_number_integer() || d["chunkBytes"].get<long long>() < 1 ||
        d["chunkBytes"].get<long long>() > 1 << 20)
      return ctx.error(ptr + "/drip/chunkBytes", "must be an integer from 1 to 1048576");
    s.drip.chunk_bytes = d["chunkBytes"].get<std::size_t>();
  }
  if (d.contains("intervalMs"))
    if (auto st = millis(ctx, d["intervalMs"], ptr + "/drip/intervalMs", s.drip.interval_ms); !st) return st;
  return {};
}

// "template": true: the body and header values compiled against the interaction's path
// parameters; an expression that cannot resolve is an error at its place.
util::Status compile_templates(const Context& ctx, const util::Json& r, const std::string& ptr, Interaction& x) {
  if (!r["template"].is_boolean()) return ctx.error(ptr + "/response/template", "must be true or false");
  if (!r["template"].get<bool>()) return {};
  auto t = std::make_shared<ResponseTemplates>();
  if (!x.request.path_regex())
    for (const auto& seg : x.request.segments()) t->path_params.push_back(seg.param);
  auto context = r.contains("json") ? Template::Context::json_string : Template::Context::text;
  const char* body_key = r.contains("json") ? "/json" : r.contains("bodyFile") ? "/bodyFile" : "/body";
  if (x.response.body.find("{{") != std::string::npos) {
    auto body = Template::compile(x.response.body, context, t->path_params);
    if (!body) return ctx.error(ptr + "/response" + body_key, body.error().message);
    t->body = std::make_shared<const Template>(std::move(*body));
  }
  std::size_t i = 0;
  for (const auto& [name, value] : x.response.headers) {
    if (value.find("{{") != std::string::npos) {
      auto h = Template::compile(value, Template::Context::header, t->path_params);
      if (!h) return ctx.error(ptr + "/response/headers/" + util::escape_pointer_token(name), h.error().message);
      t->headers.emplace_back(i, std::move(*h));
    }
    ++i;
  }
  if (!t->body && t->headers.empty())
    return ctx.error(ptr + "/response/template", "\"template\": true, but neither the body nor a header has {{...}}");
  x.response.templates = std::move(t);
  return {};
}

util::Result<ResponseSpec> parse_response(const Context& ctx, const util::Json& r, const std::string& ptr) {
  TRY(ctx.keys(r, ptr, kResponseKeys, "response"));
  ResponseSpec s;
  if (r.contains("status")) {
    if (!r["status"].is_number_integer() || r["status"].get<int>() < 100 || r["status"].get<int>() > 599)
      return ctx.error(ptr + "/status", "status must be an integer from 100 to 599");
    s.status = r["status"];
  }
  int bodies = r.contains("json") + r.contains("body") + r.contains("bodyFile");
  if (bodies > 1) return ctx.error(ptr, "give at most one of \"json\", \"body\", \"bodyFile\"");
  if (r.contains("headers")) {
    if (!r["headers"].is_object()) return ctx.error(ptr + "/headers", "must be an object of strings");
    for (auto it = r["headers"].begin(); it != r["headers"].end(); ++it) {
      if (!it->is_string() && !it->is_number())
        return ctx.error(ptr + "/headers/" + util::escape_pointer_token(it.key()), "must be a string");
      s.headers.add(it.key(), it->is_string() ? it->get<std::string>() : it->dump());
    }
  }
  if (r.contains("json")) {
    s.body = util::dump_line(r["json"]);
    if (!s.headers.find("content-type")) s.headers.add("Content-Type", "application/json");
  } else if (r.contains("body")) {
    if (!r["body"].is_string()) return ctx.error(ptr + "/body", "must be a string (use \"json\" for JSON bodies)");
    s.body = r["body"];
  } else if (r.contains("bodyFile")) {
    TRY_ASSIGN(auto content, ctx.support_file(r["bodyFile"], ptr + "/bodyFile", "\"body\" or \"json\""));
    s.body = std::move(content);
  }
  if (r.contains("delayMs")) TRY(parse_delay(ctx, r["delayMs"], ptr, s));
  if (r.contains("fault") && !r["fault"].is_null()) TRY(parse_fault(ctx, r["fault"], ptr, s));
  if (r.contains("drip")) TRY(parse_drip(ctx, r["drip"], ptr, s));
  if (r.contains("generators")) {
    std::vector<std::string> unsupported;
    auto generators = parse_generators(r["generators"], unsupported);
    if (!generators) return ctx.error(ptr + "/generators", generators.error().message);
    if (!unsupported.empty()) {  // a scenario is ours to fix: refused, where a pact only warns
      std::string why = unsupported.front();
      why = why.substr(0, why.rfind(": the example is answered"));
      return ctx.error(ptr + "/generators", why + " in a scenario (" + std::string(kSupportedGenerators) + ")");
    }
    s.generators = std::make_shared<const std::vector<Generator>>(std::move(*generators));
    s.generators_source = r["generators"];
  }
  return s;
}

util::Result<Expectation> parse_expect(const Context& ctx, const util::Json& e, const std::string& ptr) {
  TRY(ctx.keys(e, ptr, kExpectKeys, "expect"));
  static const contracts::Catalogue catalogue = util::value_or_throw(contracts::Catalogue::builtin());
  Expectation x;
  if (!e.contains("classification") || !e["classification"].is_string())
    return ctx.error(ptr, "expect needs a \"classification\" code");
  x.classification = e["classification"];
  const auto* entry = catalogue.find(x.classification);
  if (!entry || entry->kind != "classification") {
    std::vector<std::string> codes;
    for (const auto& c : catalogue.entries())
      if (c.kind == "classification") codes.push_back(c.code);
    std::string near = util::closest_match(x.classification, codes);
    return ctx.error(ptr + "/classification", "unknown classification code \"" + x.classification + "\"" +
                                                  (near.empty() ? " (handover-diag explain --list shows them)"
                                                                : " (did you mean \"" + near + "\"?)"));
  }
  if (e.contains("failedStep")) {
    if (e["failedStep"].is_null()) {
      x.failed_step = "";
    } else {
      if (!e["failedStep"].is_string() ||
          std::find(kSteps.begin(), kSteps.end(), e["failedStep"].get<std::string>()) == kSteps.end())
        return ctx.error(ptr + "/failedStep", "failedStep must be one of " + util::join(kSteps, ", "));
      x.failed_step = e["failedStep"].get<std::string>();
    }
  }
  if (e.contains("violations")) {
    if (!e["violations"].is_array()) return ctx.error(ptr + "/violations", "must be an array of codes");
    for (std::size_t i = 0; i < e["violations"].size(); ++i) {
      const auto& v = e["violations"][i];
      const auto* ve = v.is_string() ? catalogue.find(v.get<std::string>()) : nullptr;
      if (!ve || ve->kind != "violation")
        return ctx.error(util::pointer_append(ptr + "/violations", i), "unknown violation code " + util::dump_line(v));
      x.violations.push_back(v);
    }
  }
  return x;
}

}  // namespace

util::Result<Fixture> load_fixture(const fs::path& file) {
  TRY_ASSIGN(auto text, util::read_file(file));
  return parse_fixture(text, file);
}

namespace {

// A handover payload where a scenario belongs (a file from payloads/ passed by name): said, rather
// than its keys listed as unknown.
util::Status not_a_payload(const Context& ctx, const util::Json& d, const fs::path& file) {
  if (d.is_object() && !d.contains("fixtureVersion") && !d.contains("interactions"))
    for (const char* k : {"transferTo", "contextData", "transferType", "wrapupCode", "p1", "p4"})
      if (d.contains(k))
        return ctx.error("", "this looks like a handover payload (it has \"" + std::string(k) +
                                 "\"), not a scenario file: use validate (handover-diag validate " + file.string() +
                                 ")");
  return {};
}

// The top-level keys, the version, name, description, tags and profile.
util::Status parse_head(const Context& ctx, const util::Json& d, Fixture& f) {
  if (auto st = ctx.keys(d, "", kTopKeys, "a fixture"); !st) return st;
  if (!d.contains("fixtureVersion")) return ctx.error("", "missing \"fixtureVersion\": 1");
  if (d["fixtureVersion"] != util::kFixtureFormatVersion)
    return ctx.error("/fixtureVersion", "unsupported fixtureVersion " + util::dump_line(d["fixtureVersion"]) +
                                            " (this build reads " + std::to_string(util::kFixtureFormatVersion) + ")");
  if (!d.contains("name") || !d["name"].is_string() || d["name"].get<std::string>().empty())
    return ctx.error("", "missing \"name\"");
  f.name = d["name"];
  if (d.contains("description")) {
    if (!d["description"].is_string()) return ctx.error("/description", "must be a string");
    f.description = d["description"];
  }
  if (d.contains("tags")) {
    if (!d["tags"].is_array()) return ctx.error("/tags", "must be an array of strings");
    for (std::size_t i = 0; i < d["tags"].size(); ++i) {
      if (!d["tags"][i].is_string()) return ctx.error(util::pointer_append("/tags", i), "must be a string");
      f.tags.push_back(d["tags"][i]);
    }
  }
  if (d.contains("profile")) {
    if (!d["profile"].is_string()) return ctx.error("/profile", "must be a string");
    f.profile = d["profile"];
  }
  return {};
}

// inputs: the flags a replay gives diagnose; a payloadFile read now (kept as text).
util::Status parse_inputs(Context& ctx, const util::Json& in, Fixture& f) {
  if (auto st = ctx.keys(in, "/inputs", kInputKeys, "inputs"); !st) return st;
  f.inputs = in;
  if (f.inputs.contains("payload") && f.inputs.contains("payloadFile"))
    return ctx.error("/inputs", "give either \"payload\" or \"payloadFile\", not both");
  if (f.inputs.contains("payloadFile")) {
    TRY_ASSIGN(auto content,
               ctx.support_file(f.inputs["payloadFile"], "/inputs/payloadFile", "\"payload\" (the body as JSON)"));
    // Kept as text: the payload step must see what the bot would send, even invalid JSON.
    f.inputs["payloadText"] = std::move(content);
    f.inputs.erase("payloadFile");
  }
  if (f.inputs.contains("execute") && !f.inputs["execute"].is_boolean())
    return ctx.error("/inputs/execute", "must be true or false");
  for (const char* k : {"conversationId", "queueId", "wrapupCodeId", "clientId", "clientSecret", "accessKeyId",
                        "accessKeySecret", "environment", "participantId"})
    if (f.inputs.contains(k) && !f.inputs[k].is_string())
      return ctx.error(std::string("/inputs/") + k, "must be a string");
  if (f.inputs.contains("contract")) {
    const auto& c = f.inputs["contract"];
    bool ok =
        c.is_string() || (c.is_array() && std::all_of(c.begin(), c.end(), [](const auto& x) { return x.is_string(); }));
    if (!ok) return ctx.error("/inputs/contract", "must be a contract name or file, or an array of them");
  }
  return {};
}

// scenario, required, priority, validatePayload, times, providerStates: how an interaction takes part.
util::Status parse_options(const Context& ctx, const util::Json& it, const std::string& ptr, const std::string& profile,
                           Interaction& x) {
  if (it.contains("scenario")) {
    const auto& s = it["scenario"];
    if (auto st = ctx.keys(s, ptr + "/scenario", kScenarioKeys, "scenario"); !st) return st;
    if (!s.contains("name") || !s["name"].is_string() || s["name"].get<std::string>().empty())
      return ctx.error(ptr + "/scenario", "scenario needs a \"name\"");
    for (const char* k : {"requiredState", "newState"})
      if (s.contains(k) && !s[k].is_string()) return ctx.error(ptr + "/scenario/" + k, "must be a string");
    x.scenario = ScenarioStep{s["name"], s.value("requiredState", ""), s.value("newState", "")};
  }
  if (it.contains("required")) {
    if (!it["required"].is_boolean()) return ctx.error(ptr + "/required", "must be true or false");
    x.required = it["required"];
  }
  if (it.contains("priority")) {
    if (!it["priority"].is_number_integer() || std::abs(it["priority"].get<long long>()) > 10000)
      return ctx.error(ptr + "/priority", "must be an integer from -10000 to 10000 (higher wins)");
    x.priority = it["priority"];
  }
  if (it.contains("validatePayload")) {
    const auto& v = it["validatePayload"];
    std::string at = ptr + "/validatePayload";
    if (v.is_boolean()) {
      x.validate_payload = v.get<bool>();
    } else {
      if (auto st = ctx.keys(v, at, kValidateKeys, "validatePayload"); !st) return st;
      x.validate_payload = true;
      if (v.contains("rejectStatus")) {
        const auto& rs = v["rejectStatus"];
        if (!rs.is_number_integer() || rs.get<int>() < 400 || rs.get<int>() > 499)
          return ctx.error(at + "/rejectStatus", "must be a 4xx status such as 400 or 422");
        x.reject_status = rs.get<int>();
      }
    }
    // Checked with the profile's contract unless serve --validate-payloads names others: a
    // profile without one would leave every body unchecked, silently answering 2xx.
    if (x.validate_payload)
      if (auto contract = contracts::profile_contract_name(profile); !contract)
        return ctx.error(at, "validatePayload checks bodies with the contract of the fixture's profile, but " +
                                 contract.error().message);
  }
  if (it.contains("times")) {
    if (!it["times"].is_number_integer() || it["times"].get<long long>() < 1)
      return ctx.error(ptr + "/times", "must be a positive integer (how many times it answers)");
    x.times = it["times"].get<std::uint64_t>();
  }
  if (it.contains("providerStates")) {
    const auto& states = it["providerStates"];
    const bool ok =
        states.is_array() && states.size() <= 64 && std::all_of(states.begin(), states.end(), [](const auto& s) {
          return s.is_string() && !s.template get_ref<const std::string&>().empty();
        });
    if (!ok) return ctx.error(ptr + "/providerStates", "must be an array of at most 64 provider state names");
    for (const auto& s : states) x.provider_states.push_back(s.get<std::string>());
  }
  return {};
}

// One interaction (i: its index; ids: the ids so far, for duplicates).
util::Result<Interaction> parse_interaction(Context& ctx, const util::Json& it, std::size_t i,
                                            const std::vector<util::TextPosition>& positions,
                                            std::set<std::string>& ids, const std::string& profile) {
  std::string ptr = util::pointer_append("/interactions", i);
  // A response or request key put on the interaction itself: say where it belongs.
  if (it.is_object())
    for (const auto* group : {&kResponseKeys, &kRequestKeys})
      for (const auto& k : *group)
        if (it.contains(k) &&
            std::find(kInteractionKeys.begin(), kInteractionKeys.end(), k) == kInteractionKeys.end()) {
          std::string parent = group == &kResponseKeys ? "response" : "request";
          std::string why = "\"" + k + "\" belongs in the interaction's \"";
          why.append(parent).append("\": {\"").append(parent).append("\": {\"").append(k).append("\": ...}}");
          return ctx.error(util::pointer_append(ptr, k), why);
        }
  TRY(ctx.keys(it, ptr, kInteractionKeys, "an interaction"));
  Interaction x;
  if (it.contains("id") && (!it["id"].is_string() || it["id"].get<std::string>().empty()))
    return ctx.error(ptr + "/id", "must be a non-empty string");
  if (it.contains("description") && !it["description"].is_string())
    return ctx.error(ptr + "/description", "must be a string");
  x.id = it.contains("id") ? it["id"].get<std::string>() : "interaction-" + std::to_string(i);
  if (!ids.insert(x.id).second) return ctx.error(ptr + "/id", "duplicate interaction id \"" + x.id + "\"");
  x.origin = i < positions.size() ? ctx.origin(positions[i]) : ctx.origin(ptr);
  if (!it.contains("request")) return ctx.error(ptr, "interaction needs a \"request\"");
  TRY_ASSIGN(auto req, parse_request(ctx, it["request"], ptr + "/request"));
  x.request = std::move(req);
  const util::Json response = it.value("response", util::Json::object());
  TRY_ASSIGN(auto res, parse_response(ctx, response, ptr + "/response"));
  x.response = std::move(res);
  if (response.is_object() && response.contains("template")) TRY(compile_templates(ctx, response, ptr, x));
  TRY(parse_options(ctx, it, ptr, profile, x));
  return x;
}

}  // namespace

util::Result<Fixture> parse_fixture(std::string_view text, const fs::path& file, SupportFiles support) {
  TRY_ASSIGN(auto doc, util::parse_json(text, file.string()));
  const util::Json& d = doc;
  Context ctx(text, file, support == SupportFiles::beside_the_file);
  TRY(not_a_payload(ctx, d, file));
  Fixture f;
  f.file = file;
  TRY(parse_head(ctx, d, f));
  if (d.contains("inputs")) TRY(parse_inputs(ctx, d["inputs"], f));
  if (!d.contains("interactions") || !d["interactions"].is_array())
    return ctx.error("", "missing \"interactions\" array");
  std::set<std::string> ids;
  // Every interaction's position in one pass over the text (a look-up each would be quadratic).
  const auto positions = util::locate_elements(text, "/interactions");
  f.interactions.reserve(d["interactions"].size());
  for (std::size_t i = 0; i < d["interactions"].size(); ++i) {
    TRY_ASSIGN(auto x, parse_interaction(ctx, d["interactions"][i], i, positions, ids, f.profile));
    f.interactions.push_back(std::move(x));
  }
  if (d.contains("expect")) {
    TRY_ASSIGN(auto e, parse_expect(ctx, d["expect"], "/expect"));
    f.expect = std::move(e);
  }
  return f;
}

util::Result<std::vector<fs::path>> fixture_files(const std::vector<std::string>& inputs) {
  auto files = util::expand_paths(inputs, {".json"}, {"payloads", "bodies"});
  if (!files) return files;
  // A folder's JSON Schemas (fixtures/fixture.schema.json, for editors) are not scenarios; a
  // schema named on its own is still loaded, and refused as a scenario.
  std::erase_if(*files, [&](const fs::path& f) {
    return f.filename().string().ends_with(".schema.json") &&
           std::find(inputs.begin(), inputs.end(), f.string()) == inputs.end();
  });
  return files;
}

}  // namespace mockserver
