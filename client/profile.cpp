// Profile loading and the small path language used in profiles.
#include "client/profile.hpp"

#include <filesystem>

#include "contracts/embedded.hpp"
#include "contracts/schema.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace client {

namespace {

util::Error at(std::string_view source, const std::string& ptr, const std::string& what) {
  return util::make_error(std::string(source) + ": " + ptr + ": " + what);
}

std::vector<std::string> strings(const util::Json& j, const char* key) {
  return j.contains(key) ? util::string_list(j[key]) : std::vector<std::string>{};
}

std::vector<int> ints(const util::Json& j) {
  std::vector<int> out;
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_number_integer()) out.push_back(v.get<int>());
  return out;
}

util::Result<Endpoint> endpoint(const util::Json& doc, const char* key, std::string_view source) {
  std::string ptr = std::string("/") + key;
  if (!doc.contains(key) || !doc[key].is_object()) return at(source, ptr, "missing endpoint object");
  const auto& e = doc[key];
  Endpoint ep;
  ep.method = e.value("method", "GET");
  ep.path = e.value("path", "");
  if (ep.path.empty() || ep.path[0] != '/') return at(source, ptr + "/path", "needs a path starting with /");
  if (e.contains("query") && e["query"].is_object())
    for (const auto& [k, v] : e["query"].items())
      ep.query[k] = v.is_string() ? v.get<std::string>() : util::dump_line(v);
  ep.scopes = strings(e, "scopes");
  ep.response_contract = e.value("responseContract", "");
  return ep;
}

// The profile format, compiled once: the same strictness as fixtures, through the project's own
// validator.
const contracts::Schema& profile_schema() {
  static const contracts::Schema schema = [] {
    auto text = contracts::embedded_file("meta/profile.schema.json");
    auto doc = util::parse_json(text ? *text : std::string_view("{}"), "meta/profile.schema.json");
    return util::value_or_throw(contracts::Schema::compile(util::value_or_throw(std::move(doc)), "profile"));
  }();
  return schema;
}

}  // namespace

namespace {

// The profile against contracts/meta/profile.schema.json: the first problem, where and what.
util::Status check_meta(const util::Json& doc, std::string_view source, std::string_view text) {
  std::vector<contracts::Violation> problems;
  profile_schema().validate(doc, problems, false);
  if (!problems.empty()) {
    const auto& v = problems.front();
    std::string where = text.empty() ? std::string(source) + ": " + (v.pointer.empty() ? "/" : v.pointer)
                                     : util::where(source, text, v.pointer);
    std::string hint = v.hint.starts_with("did you mean") ? " (" + v.hint + ")" : "";
    return util::make_error(
        where + ": " + v.message + hint +
        (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more; docs/profiles.md)" : ""));
  }
  return {};
}

// OpenID and tenant discovery (profile cxone).
util::Status parse_discovery(const util::Json& d, std::string_view source, Profile& p) {
  const auto& openid = d.value("openid", util::Json::object());
  p.discovery.openid_path = openid.value("path", "");
  p.discovery.token_endpoint_pointer = openid.value("tokenEndpointPointer", "/token_endpoint");
  const auto& api = d.value("api", util::Json::object());
  p.discovery.api_path = api.value("path", "");
  p.discovery.api_endpoint_pointer = api.value("apiEndpointPointer", "/api_endpoint");
  if (api.contains("query") && api["query"].is_object())
    for (const auto& [k, v] : api["query"].items()) p.discovery.api_query[k] = scalar_text(v);
  p.discovery.tenant_claim = d.value("tenantIdClaim", "tenantId");
  if (!p.discovery.api_path.empty() && p.api_root.find("{apiEndpoint}") == std::string::npos)
    return at(source, "/apiRoot", "API discovery is configured but apiRoot does not use {apiEndpoint}");
  return {};
}

util::Status parse_auth(const util::Json& doc, std::string_view source, Profile& p) {
  auto auth = endpoint(doc, "auth", source);
  if (!auth) return auth.error();
  const auto& a = doc["auth"];
  p.auth.endpoint = *auth;
  p.auth.style = a.value("style", "client-credentials-form");
  if (p.auth.style != "client-credentials-form" && p.auth.style != "password-basic" &&
      p.auth.style != "client-credentials-basic")
    return at(
        source, "/auth/style",
        "unknown style \"" + p.auth.style + "\" (client-credentials-form, client-credentials-basic, password-basic)");
  p.auth.token_pointer = a.value("tokenPointer", "/access_token");
  p.auth.expires_in_pointer = a.value("expiresInPointer", "/expires_in");
  p.auth.scope_pointer = a.value("scopePointer", "/scope");
  p.auth.id_token_pointer = a.value("idTokenPointer", "/id_token");
  p.auth.refresh_token_pointer = a.value("refreshTokenPointer", "/refresh_token");
  if (a.contains("refreshOn")) p.auth.refresh_on = ints(a["refreshOn"]);

  return {};
}

util::Status parse_conversation(const util::Json& doc, std::string_view source, Profile& p) {
  TRY_ASSIGN(auto conv, endpoint(doc, "conversation", source));
  const auto& c = doc["conversation"];
  p.conversation.endpoint = conv;
  p.conversation.list_pointer = c.value("listPointer", "");
  p.conversation.match_pointer = c.value("matchPointer", "");
  if (!p.conversation.list_pointer.empty() && p.conversation.match_pointer.empty())
    return at(source, "/conversation/matchPointer", "a list look-up needs the pointer of the ID in each element");
  p.conversation.not_listed_code = c.value("notListedCode", "CONVERSATION_NOT_FOUND");
  p.conversation.state_pointer = c.value("statePointer", "/state");
  p.conversation.active_states = strings(c, "activeStates");
  p.conversation.ended_states = strings(c, "endedStates");
  p.conversation.customer_name_path = c.value("customerNamePath", "");
  p.conversation.state_path = c.value("statePath", "");
  if (c.contains("participant")) {
    const auto& t = c["participant"];
    auto& part = p.conversation.participant;
    part.list_pointer = t.value("listPointer", "/participants");
    part.id_pointer = t.value("idPointer", "/id");
    part.purpose_pointer = t.value("purposePointer", "/purpose");
    part.state_path = t.value("statePath", "");
    part.purposes = strings(t, "purposes");
    part.ended_states = strings(t, "endedStates");
  }

  return {};
}

// queue and wrapup: the look-ups before the transfer.
util::Status parse_lookups(const util::Json& doc, std::string_view source, Profile& p) {
  auto queue = endpoint(doc, "queue", source);
  if (!queue) return queue.error();
  p.queue.endpoint = *queue;
  p.queue.state_pointer = doc["queue"].value("statePointer", "/state");
  p.queue.name_pointer = doc["queue"].value("namePointer", "/name");
  p.queue.state_required = doc["queue"].value("stateRequired", true);
  p.queue.active_states = strings(doc["queue"], "activeStates");
  p.queue.joined_agents_pointer = doc["queue"].value("joinedAgentsPointer", "");
  p.queue.evidence_pointers = strings(doc["queue"], "evidencePointers");

  auto wrapup = endpoint(doc, "wrapup", source);
  if (!wrapup) return wrapup.error();
  const auto& w = doc["wrapup"];
  p.wrapup.endpoint = *wrapup;
  p.wrapup.entities_pointer = w.value("entitiesPointer", "/entities");
  p.wrapup.id_pointer = w.value("idPointer", "/id");
  p.wrapup.name_pointer = w.value("namePointer", "/name");
  p.wrapup.page_count_pointer = w.value("pageCountPointer", "");
  p.wrapup.total_pointer = w.value("totalPointer", "");
  p.wrapup.page_size = std::max(1, w.value("pageSize", 100));
  p.wrapup.max_pages = w.value("maxPages", 50);

  return {};
}

// transfer, the payload's IDs and template, the empty-list statuses.
util::Status parse_transfer(const util::Json& doc, std::string_view source, Profile& p) {
  auto transfer = endpoint(doc, "transfer", source);
  if (!transfer) return transfer.error();
  p.transfer.endpoint = *transfer;
  if (doc["transfer"].contains("successStatuses"))
    p.transfer.success_statuses = ints(doc["transfer"]["successStatuses"]);
  if (p.transfer.success_statuses.empty()) p.transfer.success_statuses = {200, 201, 202, 204};
  p.transfer.query_from_payload = strings(doc["transfer"], "queryFromPayload");
  if (doc["transfer"].contains("requests")) {
    const auto& list = doc["transfer"]["requests"];
    for (std::size_t i = 0; i < list.size(); ++i) {
      util::Json wrapped = {{"request", list[i]}};
      TRY_ASSIGN(auto ep, endpoint(wrapped, "request", source));
      decltype(p.transfer)::Request r;
      r.name = list[i].value("name", "request " + std::to_string(i + 1));
      r.endpoint = std::move(ep);
      r.body = list[i].value("body", util::Json());
      r.success_statuses = list[i].contains("successStatuses") ? ints(list[i]["successStatuses"]) : std::vector<int>{};
      if (r.success_statuses.empty()) r.success_statuses = {200, 201, 202, 204};
      p.transfer.requests.push_back(std::move(r));
    }
  }

  const auto& payload = doc.value("payload", util::Json::object());
  p.payload_queue_pointer = payload.value("queueIdPointer", "/transferTo/id");
  p.payload_wrapup_pointer = payload.value("wrapupIdPointer", "/wrapupCode/id");
  p.payload_template = payload.value("build", util::Json());
  if (!p.payload_template.is_null() && !p.payload_template.is_object())
    return at(source, "/payload/build", "the payload template must be an object");
  if (doc.contains("emptyListStatuses")) p.empty_list_statuses = ints(doc["emptyListStatuses"]);
  return {};
}

}  // namespace

util::Result<Profile> parse_profile(const util::Json& doc, std::string_view source, std::string_view text) {
  if (!doc.is_object()) return at(source, "", "a profile is a JSON object");
  TRY(check_meta(doc, source, text));
  if (doc.value("profileVersion", 0) != 1) return at(source, "/profileVersion", "expected profileVersion 1");
  Profile p;
  p.name = doc.value("name", "");
  if (p.name.empty()) return at(source, "/name", "missing name");
  p.description = doc.value("description", "");
  p.base_url = doc.value("baseUrl", "");
  p.login_url = doc.value("loginUrl", "");
  p.default_environment = doc.value("defaultEnvironment", "");
  p.contract = doc.value("contract", "");
  p.api_root = doc.value("apiRoot", "{baseUrl}");
  if (doc.contains("ids") && doc["ids"].is_object())
    for (const auto& [k, v] : doc["ids"].items()) p.id_formats[k] = v.value("format", "any");

  if (doc.contains("discovery") && doc["discovery"].is_object()) TRY(parse_discovery(doc["discovery"], source, p));
  for (auto part : {parse_auth, parse_conversation, parse_lookups, parse_transfer}) TRY(part(doc, source, p));
  return p;
}

util::Result<Profile> load_profile(std::string_view name_or_path) {
  std::string key(name_or_path);
  if (auto text = contracts::embedded_file("profiles/" + key + ".json")) {
    TRY_ASSIGN(auto doc, util::parse_json(*text, "profile " + key));
    return parse_profile(doc, "profile " + key, *text);
  }
  std::error_code ec;
  if (!std::filesystem::exists(key, ec)) {
    std::vector<std::string> names;
    for (const auto& f : contracts::embedded_files())
      if (f.path.starts_with("profiles/")) names.emplace_back(f.path.substr(9, f.path.size() - 9 - 5));
    return util::make_error("profile \"" + key + "\": neither a built-in profile (" + util::join(names, ", ") +
                            ") nor a file");
  }
  TRY_ASSIGN(auto text, util::read_file(key, 1u << 20));
  TRY_ASSIGN(auto doc, util::parse_json(text, key));
  return parse_profile(doc, key, text);
}

util::Result<std::string> profile_contract(std::string_view name_or_path) {
  std::string key(name_or_path);
  if (auto text = contracts::embedded_file("profiles/" + key + ".json")) {
    TRY_ASSIGN(auto doc, util::parse_json(*text, "profile " + key));
    return doc.value("contract", std::string());
  }
  TRY_ASSIGN(auto profile, load_profile(name_or_path));
  return profile.contract;
}

std::string expand_template(std::string_view pattern, const std::map<std::string, std::string>& values, bool encode) {
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    auto open = pattern.find('{', i);
    if (open == std::string_view::npos) break;
    auto close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(pattern.substr(i, open - i));
    std::string name(pattern.substr(open + 1, close - open - 1));
    auto it = values.find(name);
    if (it == values.end())
      out.append(pattern.substr(open, close - open + 1));
    else
      out += encode ? util::url_encode(it->second) : it->second;
    i = close + 1;
  }
  out.append(pattern.substr(i));
  return out;
}

std::vector<const util::Json*> select_path(const util::Json& root, std::string_view path) {
  std::vector<const util::Json*> current{&root};
  if (path.empty()) return current;
  for (const auto& raw : util::split(path.substr(path.starts_with('/') ? 1 : 0), '/')) {
    std::vector<const util::Json*> next;
    if (raw.starts_with("*")) {
      std::string key, want;
      if (raw.size() > 3 && raw[1] == '[' && raw.back() == ']') {
        std::string cond = raw.substr(2, raw.size() - 3);
        auto eq = cond.find('=');
        key = cond.substr(0, eq);
        want = eq == std::string::npos ? "" : cond.substr(eq + 1);
      }
      for (const auto* node : current) {
        if (!node->is_array()) continue;
        for (const auto& e : *node) {
          if (!key.empty()) {
            if (!e.is_object() || !e.contains(key) || !e[key].is_string() || e[key].get<std::string>() != want)
              continue;
          }
          next.push_back(&e);
        }
      }
    } else {
      std::string name = util::pointer_token(raw);
      for (const auto* node : current) {
        if (node->is_object()) {
          auto it = node->find(name);
          if (it != node->end()) next.push_back(&*it);
        } else if (node->is_array() && !name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) {
          std::size_t idx = std::stoul(name);
          if (idx < node->size()) next.push_back(&(*node)[idx]);
        }
      }
    }
    current = std::move(next);
  }
  return current;
}

bool id_has_format(std::string_view id, std::string_view format) {
  if (format == "uuid") return util::is_uuid(id);
  if (format == "integer")
    return !id.empty() && id.size() < 19 &&
           std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
  return !id.empty();
}

std::string scalar_text(const util::Json& v) { return v.is_string() ? v.get<std::string>() : util::dump_line(v); }

namespace {

// Fills one template value; returns false when the member is to be dropped (an empty
// placeholder, or a {"$payload": pointer} with nothing there).
bool fill(const util::Json& in, const std::map<std::string, std::string>& vars, const util::Json* payload,
          util::Json& out) {
  if (in.is_string()) {
    const std::string& s = in.get_ref<const std::string&>();
    std::string filled = expand_template(s, vars, false);
    if (filled.empty() && !s.empty()) return false;
    out = filled;
    return true;
  }
  if (in.is_object()) {
    if (in.size() == 1 && in.contains("$payload") && in["$payload"].is_string()) {
      const util::Json* v = payload ? util::at_pointer(*payload, in["$payload"].get<std::string>()) : nullptr;
      if (!v) return false;
      out = *v;
      return true;
    }
    if (in.size() == 1 && in.contains("$json")) {
      util::Json inner;
      if (!fill(in["$json"], vars, payload, inner)) return false;
      out = util::dump_line(inner);
      return true;
    }
    out = util::Json::object();
    for (const auto& [k, v] : in.items()) {
      util::Json child;
      if (fill(v, vars, payload, child)) out[k] = std::move(child);
    }
    return true;
  }
  if (in.is_array()) {
    out = util::Json::array();
    for (const auto& v : in) {
      util::Json child;
      if (fill(v, vars, payload, child)) out.push_back(std::move(child));
    }
    return true;
  }
  out = in;
  return true;
}

}  // namespace

util::Json build_payload(const util::Json& tmpl, const std::map<std::string, std::string>& vars) {
  util::Json out;
  if (!fill(tmpl, vars, nullptr, out)) return util::Json::object();
  return out;
}

util::Json build_request_body(const util::Json& tmpl, const util::Json& payload,
                              const std::map<std::string, std::string>& vars) {
  util::Json out;
  if (!fill(tmpl, vars, &payload, out)) return util::Json::object();
  return out;
}

}  // namespace client
