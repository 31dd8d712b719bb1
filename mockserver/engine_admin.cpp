// MockEngine's admin API (/__admin/): who may reach it, and each endpoint's answer.
#include <fnmatch.h>

#include <algorithm>
#include <charconv>

#include "mockserver/engine.hpp"
#include "mockserver/fixture_loader.hpp"
#include "mockserver/pact_file.hpp"
#include "util/strings.hpp"

namespace mockserver {

extern const std::string_view kConsolePage;  // console.html, compiled in (cmake/embed_page.cmake)

namespace {

// Compares in time independent of where the first difference is (the token is a secret).
bool same_secret(std::string_view given, std::string_view token) {
  if (given.size() != token.size()) return false;  // the length is no secret
  unsigned char diff = 0;
  for (std::size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ token[i]);
  return diff == 0;
}

constexpr std::string_view kConsoleCookie = "cxone_mock_admin";

// The web console: one page, everything inline, talking only to this mock's admin API.
util::HttpResponse console_page() {
  util::HttpResponse r;
  r.status = 200;
  r.headers.add("Content-Type", "text/html; charset=utf-8");
  r.headers.add("Cache-Control", "no-store");
  r.headers.add("Content-Security-Policy",
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  r.headers.add("X-Content-Type-Options", "nosniff");
  r.body = std::string(kConsolePage);
  return r;
}

// The console's cookie value in a Cookie header ("" when absent).
std::string console_cookie(std::string_view header) {
  while (!header.empty()) {
    auto end = header.find(';');
    std::string_view pair = util::trim(header.substr(0, end));
    if (pair.starts_with(kConsoleCookie) && pair.size() > kConsoleCookie.size() && pair[kConsoleCookie.size()] == '=')
      return std::string(pair.substr(kConsoleCookie.size() + 1));
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return "";
}

}  // namespace

std::vector<std::string> MockEngine::known_provider_states() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> known;
  for (const auto& e : entries_)
    for (const auto& s : e.interaction.provider_states)
      if (std::find(known.begin(), known.end(), s) == known.end()) known.push_back(s);
  return known;
}

std::optional<Reply> MockEngine::admin_refusal(const util::HttpRequest& request) const {
  Reply reply;
  if (!options_.admin_token.empty()) {
    std::string given;
    if (const auto* auth = request.headers.find("Authorization"); auth && auth->starts_with("Bearer "))
      given = auth->substr(7);
    else if (const auto* header = request.headers.find("X-Admin-Token"))
      given = *header;
    else if (const auto* cookie = request.headers.find("Cookie"))
      given = console_cookie(*cookie);
    if (same_secret(given, options_.admin_token)) return std::nullopt;
    reply.response = error_response(401, "the admin API needs the admin token (Authorization: Bearer TOKEN)",
                                    "mock.admin.unauthorized");
    reply.response.headers.add("WWW-Authenticate", "Bearer realm=\"cxone-mock admin\"");
    return reply;
  }
  // In-process requests (no peer) come from the program itself.
  if (request.peer.empty() || util::is_loopback_address(request.peer)) return std::nullopt;
  reply.response = error_response(403,
                                  "the admin API answers loopback clients only; start the mock with "
                                  "--admin-token (or CXONE_MOCK_ADMIN_TOKEN) to reach it from " +
                                      request.peer,
                                  "mock.admin.forbidden");
  return reply;
}

Reply MockEngine::handle_admin(const util::HttpRequest& request) {
  if (request.method == "GET" && request.path == "/__admin/ui" && request.query.count("token"))
    return console_login(request);
  if (auto refused = admin_refusal(request)) return std::move(*refused);
  std::string what = request.path.substr(kAdminPrefix.size());
  Reply reply;
  if (request.method == "GET" && what == "health") {
    std::lock_guard lock(mu_);
    auto up = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
    reply.response = json_response(200, {{"status", "ok"},
                                         {"interactions", entries_.size()},
                                         {"fixtures", fixtures_},
                                         {"requests", journal_.total()},
                                         {"uptimeMs", up.count()}});
  } else if (request.method == "GET" && what == "ui") {
    reply.response = console_page();
  } else if (what == "requests" || what.starts_with("requests/")) {
    reply.response = requests_admin(request, std::string_view(what).substr(std::string_view("requests").size()));
  } else if (request.method == "GET" && what == "unmatched") {
    util::Json list = util::Json::array();
    for (const auto& e : journal_.unmatched()) list.push_back(to_json(e));
    reply.response = json_response(200, {{"total", journal_.total()}, {"requests", list}});
  } else if (request.method == "GET" && what == "verify") {
    reply.response = json_response(200, verify_report());
  } else if (request.method == "GET" && what == "interactions") {
    reply.response = json_response(200, interactions_report());
  } else if (what.starts_with("interactions/")) {
    reply.response =
        interactions_admin(request, std::string_view(what).substr(std::string_view("interactions/").size()));
  } else if (what == "scenarios" || what.starts_with("scenarios/")) {
    reply.response = scenarios_admin(request, std::string_view(what).substr(std::string_view("scenarios").size()));
  } else if (what == "provider-states" && (request.method == "GET" || request.method == "POST")) {
    reply.response = provider_states_.admin(request, known_provider_states());
  } else if (request.method == "POST" && what == "reset") {
    reset();
    reply.response = json_response(200, {{"status", "reset"}});
  } else if (what == "fixtures" && (request.method == "POST" || request.method == "DELETE")) {
    reply.response = fixtures_admin(request);
  } else {
    reply.response = error_response(
        404, "unknown admin endpoint " + request.method + " " + request.path, "mock.admin.unknown",
        {{"endpoints",
          {"GET health", "GET requests[?limit=&method=&path=&scenario=&unmatched=]", "DELETE requests",
           "POST requests/find", "POST requests/count", "GET unmatched", "GET verify", "GET interactions",
           "GET|PUT|DELETE interactions/[SCENARIO/]ID", "GET scenarios", "GET scenarios/NAME",
           "PUT scenarios/NAME/state", "POST scenarios/reset", "POST scenarios/NAME/reset", "POST reset",
           "POST fixtures", "DELETE fixtures[?name=N]", "GET provider-states", "POST provider-states"}}});
  }
  return reply;
}

// POST fixtures (a scenario or a pact loaded at run time), DELETE fixtures[?name=N].
util::HttpResponse MockEngine::fixtures_admin(const util::HttpRequest& request) {
  util::HttpResponse response;
  if (request.method == "POST") {
    // A scenario loaded at run time: it has no folder, so it may not read files (the mock's
    // working folder is no business of an HTTP client).
    // A pact document (Pact v2-v4 JSON) is served as a pact; anything else is a scenario.
    std::vector<std::string> pact_warnings;
    util::Json posted = util::parse_json_lenient(request.body);
    auto fixture = looks_like_pact(posted) ? fixture_from_pact_document(posted, "(posted pact)", pact_warnings)
                                           : parse_fixture(request.body, "(posted fixture)", SupportFiles::none);
    if (!fixture) {
      response = error_response(400, fixture.error().message, "mock.admin.fixture_invalid");
    } else {
      std::string name = fixture->name;
      std::size_t count = fixture->interactions.size();
      util::Json warnings = util::Json::array();
      for (const auto& w : pact_warnings) warnings.push_back(w);
      for (const auto& w : overlaps_with_loaded(*fixture)) warnings.push_back(w);
      add_fixture(std::move(*fixture));
      util::Json body = {{"loaded", name}, {"interactions", count}};
      if (!warnings.empty()) body["warnings"] = warnings;
      response = json_response(201, body);
    }
  } else {
    // Removing everything takes no parameter at all; an empty or misspelt one removes nothing.
    auto name = request.query.find("name");
    std::string unknown;
    for (const auto& [key, _] : request.query)
      if (key != "name") unknown = key;
    if (!unknown.empty()) {
      response = error_response(400,
                                "unknown parameter \"" + unknown +
                                    "\" (DELETE fixtures?name=NAME removes one fixture; no parameter removes all)",
                                "mock.admin.bad_parameter");
    } else if (name != request.query.end() && name->second.empty()) {
      response = error_response(400, "empty fixture name (DELETE fixtures without a parameter removes all)",
                                "mock.admin.bad_parameter");
    } else {
      std::string which = name == request.query.end() ? "" : name->second;
      if (remove_fixture(which))
        response = json_response(200, {{"removed", which.empty() ? "all" : which}});
      else
        response = error_response(404, "no fixture named \"" + which + "\"", "mock.admin.fixture_unknown");
    }
  }
  return response;
}

// The console's login: GET /__admin/ui?token=T with the admin token sets it as a cookie (the
// browser sends it with the page's calls; HttpOnly, SameSite=Strict, only under /__admin/) and
// sends the browser on to the page without the token in its address.
Reply MockEngine::console_login(const util::HttpRequest& request) const {
  Reply reply;
  const std::string& token = request.query.at("token");
  if (options_.admin_token.empty() || !same_secret(token, options_.admin_token)) {
    reply.response = error_response(401, "the admin API needs the admin token (Authorization: Bearer TOKEN)",
                                    "mock.admin.unauthorized");
    return reply;
  }
  reply.response.status = 303;
  reply.response.headers.add("Location", "/__admin/ui");
  reply.response.headers.add("Set-Cookie",
                             std::string(kConsoleCookie) + "=" + token + "; Path=/__admin; HttpOnly; SameSite=Strict");
  reply.response.headers.add("Cache-Control", "no-store");
  return reply;
}

namespace {

// GET requests' filters: ?limit=N&method=M&path=P (a * glob)&scenario=S&unmatched=true|false.
struct RequestFilter {
  std::size_t limit = 0;
  std::string method, path, scenario;
  std::optional<bool> unmatched;
  bool operator()(const JournalEntry& e) const {
    if (!method.empty() && !util::iequals(method, e.method)) return false;
    if (!path.empty() && ::fnmatch(path.c_str(), e.path.c_str(), 0) != 0) return false;
    if (!scenario.empty() && scenario != e.scenario && scenario != e.fixture) return false;
    if (unmatched && *unmatched != e.interaction_id.empty()) return false;
    return true;
  }
};

util::Result<RequestFilter> request_filter(const std::map<std::string, std::string>& query) {
  RequestFilter f;
  for (const auto& [key, value] : query) {
    if (key == "limit") {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), f.limit);
      if (ec != std::errc() || end != value.data() + value.size() || value.empty())
        return util::Error{"limit=" + value + ": expected a whole number"};
    } else if (key == "method") {
      f.method = value;
    } else if (key == "path") {
      f.path = value;
    } else if (key == "scenario") {
      f.scenario = value;
    } else if (key == "unmatched") {
      if (value != "true" && value != "false") return util::Error{"unmatched=" + value + ": expected true or false"};
      f.unmatched = value == "true";
    } else {
      return util::Error{"unknown parameter \"" + key + "\" (limit, method, path, scenario, unmatched)"};
    }
  }
  return f;
}

// A journal entry as the request the matcher sees (what was kept of it).
util::HttpRequest as_request(const JournalEntry& e) {
  util::HttpRequest r;
  r.method = e.method;
  r.path = e.path;
  r.query = e.query_params;
  r.headers = e.headers;
  r.body = e.body;
  return r;
}

}  // namespace

// GET requests[?filters], POST requests/find and requests/count (a request pattern in the
// scenario format), DELETE requests.
util::HttpResponse MockEngine::requests_admin(const util::HttpRequest& request, std::string_view what) {
  if (what.empty() && request.method == "DELETE") {
    journal_.clear();
    return json_response(200, {{"cleared", true}});
  }
  if (what.empty() && request.method == "GET") {
    auto filter = request_filter(request.query);
    if (!filter) return error_response(400, filter.error().message, "mock.admin.bad_parameter");
    util::Json list = util::Json::array();
    for (const auto& e : journal_.find(*filter, filter->limit)) list.push_back(to_json(e));
    return json_response(200, {{"total", journal_.total()}, {"count", list.size()}, {"requests", list}});
  }
  if ((what == "/find" || what == "/count") && request.method == "POST") {
    util::Json pattern = util::parse_json_lenient(request.body, 64);
    if (!pattern.is_object())
      return error_response(400, "expected a request pattern as in a scenario's \"request\" (JSON object)",
                            "mock.admin.bad_body");
    util::Json wrapper = {
        {"fixtureVersion", 1}, {"name", "find"}, {"interactions", {{{"id", "find"}, {"request", pattern}}}}};
    auto parsed = parse_fixture(util::dump_pretty(wrapper), "(request pattern)", SupportFiles::none);
    if (!parsed) return error_response(400, parsed.error().message, "mock.admin.bad_body");
    const RequestPattern& p = parsed->interactions.front().request;
    auto matches = [&p](const JournalEntry& e) {
      util::HttpRequest r = as_request(e);
      return match_request(p, IncomingRequest(r)).matched();
    };
    if (what == "/count") return json_response(200, {{"count", journal_.count(matches)}});
    util::Json list = util::Json::array();
    for (const auto& e : journal_.find(matches)) list.push_back(to_json(e));
    return json_response(200, {{"count", list.size()}, {"requests", list}});
  }
  return error_response(
      404, "unknown admin endpoint " + request.method + " " + request.path, "mock.admin.unknown",
      {{"endpoints", {"GET requests", "DELETE requests", "POST requests/find", "POST requests/count"}}});
}

util::Json MockEngine::verify_report() const {
  // A request the upstream answered (--proxy-unmatched) was sent there on purpose: counted, not
  // unexpected.
  util::Json unexpected = util::Json::array();
  std::size_t proxied = 0;
  for (const auto& e : journal_.unmatched()) {
    if (!e.proxied.empty())
      ++proxied;
    else
      unexpected.push_back(to_json(e));
  }
  auto missing = required_not_called();
  bool ok = missing.empty() && unexpected.empty();
  util::Json report = {{"ok", ok}, {"requiredNotCalled", missing}, {"unexpected", unexpected}};
  if (options_.upstream) report["proxied"] = proxied;
  return report;
}

util::Json MockEngine::interactions_report() const {
  std::lock_guard lock(mu_);
  util::Json list = util::Json::array();
  for (const auto& e : entries_) {
    util::Json j = {{"fixture", e.fixture},
                    {"id", e.interaction.id},
                    {"method", e.interaction.request.method},
                    {"path", e.interaction.request.path()},
                    {"calls", e.calls},
                    {"required", e.interaction.required}};
    if (e.interaction.times) j["times"] = *e.interaction.times;
    if (e.interaction.priority) j["priority"] = e.interaction.priority;
    list.push_back(std::move(j));
  }
  return {{"interactions", list}};
}

}  // namespace mockserver
