// WireMock mappings into a v1 scenario: urls, value patterns, JSON bodies, responses, delays,
// faults, priorities and scenario states.
#include "mockserver/wiremock_import.hpp"

#include <algorithm>
#include <set>

#include "util/file.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"

namespace mockserver {

namespace {

namespace fs = std::filesystem;
constexpr std::size_t kMaxMappingBytes = 16u << 20;
constexpr std::size_t kMaxMappings = 50000;

struct Context {
  fs::path files_dir;  // __files, for bodyFileName
  std::vector<std::string>& notes;
  std::string where;
  void note(const std::string& what) { notes.push_back(where + ": " + what); }
};

// One WireMock value pattern ({"equalTo": …}, {"matches": …}, …) as our text matcher; null when
// it does not map (noted).
util::OrderedJson text_matcher(const util::Json& p, const std::string& what, Context& ctx) {
  if (p.contains("equalTo") && !p.value("caseInsensitive", false))
    return p["equalTo"].is_string() ? util::OrderedJson(p["equalTo"].get<std::string>())
                                    : util::OrderedJson(p["equalTo"].dump());
  if (p.contains("matches") && p["matches"].is_string())
    return {{"matches", "^(?:" + p["matches"].get<std::string>() + ")$"}};  // WireMock matches the whole value
  if (p.contains("contains") && p["contains"].is_string())
    return {{"matches", util::regex_literal(p["contains"].get<std::string>())}};
  if (p.contains("absent") && p["absent"] == true) return {{"absent", true}};
  ctx.note(what + ": " + util::excerpt(p.dump(), 80) + " has no equivalent (left out)");
  return nullptr;
}

void map_values(const util::Json& from, const char* what, util::OrderedJson& into, Context& ctx) {
  if (!from.is_object()) return;
  util::OrderedJson out = util::OrderedJson::object();
  for (const auto& [name, pattern] : from.items()) {
    auto m = text_matcher(pattern, std::string(what) + " " + name, ctx);
    if (!m.is_null()) out[name] = m;
  }
  if (!out.empty()) into[std::string(what) == "query parameter" ? "query" : "headers"] = out;
}

// url / urlPath / urlPathTemplate / urlPathPattern / urlPattern into path or pathPattern (and query).
void map_url(const util::Json& req, util::OrderedJson& out, Context& ctx) {
  if (req.contains("url") && req["url"].is_string()) {
    std::string url = req["url"].get<std::string>();
    auto q = url.find('?');
    out["path"] = url.substr(0, q);
    if (q != std::string::npos) {
      util::OrderedJson query = util::OrderedJson::object();
      for (const auto& [k, v] : util::parse_form(url.substr(q + 1))) query[k] = v;
      out["query"] = query;
      ctx.note("url: other query parameters than the url's are not refused here (WireMock's url is exact)");
    }
  } else if (req.contains("urlPath") && req["urlPath"].is_string()) {
    out["path"] = req["urlPath"].get<std::string>();
  } else if (req.contains("urlPathTemplate") && req["urlPathTemplate"].is_string()) {
    out["path"] = req["urlPathTemplate"].get<std::string>();
  } else if (req.contains("urlPathPattern") && req["urlPathPattern"].is_string()) {
    out["pathPattern"] = "^(?:" + req["urlPathPattern"].get<std::string>() + ")$";
  } else if (req.contains("urlPattern") && req["urlPattern"].is_string()) {
    out["pathPattern"] = "^(?:" + req["urlPattern"].get<std::string>() + ")(?:\\?.*)?$";
    ctx.note("urlPattern: matched against the path only (query parameters are not part of it here)");
  } else {
    out["pathPattern"] = "^/.*$";  // WireMock: no url matches any
  }
}

void map_body(const util::Json& req, util::OrderedJson& out, Context& ctx) {
  if (!req.contains("bodyPatterns") || !req["bodyPatterns"].is_array()) return;
  util::OrderedJson fields = util::OrderedJson::object();
  for (const auto& p : req["bodyPatterns"]) {
    if (p.contains("equalToJson")) {
      util::Json j = p["equalToJson"].is_string() ? util::parse_json_lenient(p["equalToJson"].get<std::string>())
                                                  : p["equalToJson"];
      if (j.is_discarded()) {
        ctx.note("equalToJson: not JSON (left out)");
        continue;
      }
      out["json"] = util::OrderedJson::parse(j.dump());
      if (!p.value("ignoreExtraElements", false))
        ctx.note("equalToJson: matched as a subset (extra members are not refused here)");
    } else if (p.contains("matchesJsonPath") && p["matchesJsonPath"].is_string()) {
      std::string path = p["matchesJsonPath"].get<std::string>();
      bool simple = path.rfind("$.", 0) == 0 && path.find_first_of("[]()?*@ ") == std::string::npos;
      if (!simple) {
        ctx.note("matchesJsonPath " + path + ": only $.a.b paths map (left out)");
        continue;
      }
      std::string pointer;
      for (const auto& part : util::split(path.substr(2), '.')) pointer += "/" + part;
      fields[pointer] = {{"present", true}};
    } else {
      ctx.note("body pattern " + util::excerpt(p.dump(), 80) + " has no equivalent (left out)");
    }
  }
  if (!fields.empty()) out["bodyFields"] = fields;
}

util::Result<util::OrderedJson> map_response(const util::Json& res, Context& ctx) {
  util::OrderedJson out = {{"status", res.value("status", 200)}};
  if (res.contains("headers") && res["headers"].is_object()) {
    util::OrderedJson headers = util::OrderedJson::object();
    for (const auto& [name, value] : res["headers"].items())
      headers[name] = value.is_array() && !value.empty() ? value[0] : value;
    out["headers"] = headers;
  }
  if (res.contains("jsonBody")) {
    out["json"] = util::OrderedJson::parse(res["jsonBody"].dump());
  } else if (res.contains("body") && res["body"].is_string()) {
    out["body"] = res["body"];
  } else if (res.contains("bodyFileName") && res["bodyFileName"].is_string()) {
    fs::path file = ctx.files_dir / res["bodyFileName"].get<std::string>();
    TRY_ASSIGN(auto text, util::read_file(file, kMaxMappingBytes));
    out["body"] = text;
  } else if (res.contains("base64Body")) {
    ctx.note("base64Body: not imported");
  }
  if (res.contains("fixedDelayMilliseconds") && res["fixedDelayMilliseconds"].is_number_integer())
    out["delayMs"] = res["fixedDelayMilliseconds"];
  if (res.contains("delayDistribution") && res["delayDistribution"].value("type", "") == "uniform")
    out["delayMs"] = {{"min", res["delayDistribution"].value("lower", 0)},
                      {"max", res["delayDistribution"].value("upper", 0)}};
  if (res.contains("fault") && res["fault"].is_string()) {
    static const std::map<std::string, std::string> kFaults = {{"CONNECTION_RESET_BY_PEER", "connection-reset"},
                                                               {"EMPTY_RESPONSE", "empty-response"},
                                                               {"MALFORMED_RESPONSE_CHUNK", "malformed-body"},
                                                               {"RANDOM_DATA_THEN_CLOSE", "malformed-body"}};
    auto it = kFaults.find(res["fault"].get<std::string>());
    if (it != kFaults.end())
      out["fault"] = it->second;
    else
      ctx.note("fault " + res["fault"].get<std::string>() + " has no equivalent (left out)");
  }
  return out;
}

util::Result<util::OrderedJson> map_mapping(const util::Json& m, Context& ctx, std::set<std::string>& ids) {
  if (!m.is_object() || !m.contains("request") || !m["request"].is_object())
    return util::make_error(ctx.where + ": a mapping needs a \"request\" object");
  const auto& req = m["request"];
  util::OrderedJson request = util::OrderedJson::object();
  std::string method = req.value("method", "ANY");
  if (method != "ANY") request["method"] = method;
  map_url(req, request, ctx);
  map_values(req.value("queryParameters", util::Json()), "query parameter", request, ctx);
  map_values(req.value("headers", util::Json()), "header", request, ctx);
  map_body(req, request, ctx);
  std::string id = m.contains("name") && m["name"].is_string() ? m["name"].get<std::string>()
                   : m.contains("id") && m["id"].is_string()   ? m["id"].get<std::string>()
                                                               : "mapping-" + std::to_string(ids.size() + 1);
  const std::string base = id;
  for (int n = 2; ids.count(id); ++n) id = std::string(base).append("-").append(std::to_string(n));
  ids.insert(id);
  util::OrderedJson x = {{"id", id}, {"request", request}};
  TRY_ASSIGN(auto response, map_response(m.value("response", util::Json::object()), ctx));
  x["response"] = response;
  // WireMock: 1 is the highest priority, 5 the default; here higher wins and 0 is the default.
  if (m.contains("priority") && m["priority"].is_number_integer())
    x["priority"] = std::clamp(5 - m["priority"].get<int>(), -10000, 10000);
  if (m.contains("scenarioName") && m["scenarioName"].is_string()) {
    util::OrderedJson scenario = {{"name", m["scenarioName"]}};
    if (m.contains("requiredScenarioState")) scenario["requiredState"] = m["requiredScenarioState"];
    if (m.contains("newScenarioState")) scenario["newState"] = m["newScenarioState"];
    x["scenario"] = scenario;
  }
  return x;
}

}  // namespace

util::Result<WiremockImport> import_wiremock(const fs::path& path, const std::string& name) {
  WiremockImport out;
  std::vector<fs::path> files;
  fs::path files_dir;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    fs::path mappings = fs::is_directory(path / "mappings", ec) ? path / "mappings" : path;
    files_dir = mappings.parent_path() / "__files";
    for (const auto& e : fs::directory_iterator(mappings, ec))
      if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
  } else if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
    files_dir = path.parent_path().parent_path() / "__files";
  } else {
    return util::make_error(path.string() + ": not a WireMock folder or mapping file");
  }
  if (files.empty()) return util::make_error(path.string() + ": no mappings (*.json)");
  util::OrderedJson interactions = util::OrderedJson::array();
  std::set<std::string> ids;
  for (const auto& file : files) {
    TRY_ASSIGN(auto text, util::read_file(file, kMaxMappingBytes));
    TRY_ASSIGN(auto doc, util::parse_json(text, file.string()));
    const util::Json list = doc.contains("mappings") ? doc["mappings"] : util::Json::array({doc});
    if (!list.is_array()) return util::make_error(file.string() + ": \"mappings\" must be an array");
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (interactions.size() >= kMaxMappings)
        return util::make_error(path.string() + ": more than " + std::to_string(kMaxMappings) + " mappings");
      Context ctx{files_dir, out.notes, file.string() + ": mapping " + std::to_string(i)};
      TRY_ASSIGN(auto x, map_mapping(list[i], ctx, ids));
      interactions.push_back(std::move(x));
    }
  }
  out.fixture = {{"fixtureVersion", 1},
                 {"name", name},
                 {"description", "imported from the WireMock mappings in " + path.string()},
                 {"interactions", interactions}};
  return out;
}

}  // namespace mockserver
