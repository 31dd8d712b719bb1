// Profile loading and the small path language used in profiles.
#include "client/profile.hpp"

#include <filesystem>

#include "contracts/embedded.hpp"
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

util::Result<Endpoint> endpoint(const util::Json& doc, const char* key, std::string_view source) {
  std::string ptr = std::string("/") + key;
  if (!doc.contains(key) || !doc[key].is_object()) return at(source, ptr, "missing endpoint object");
  const auto& e = doc[key];
  Endpoint ep;
  ep.method = e.value("method", "GET");
  ep.path = e.value("path", "");
  if (ep.path.empty() || ep.path[0] != '/') return at(source, ptr + "/path", "needs a path starting with /");
  if (e.contains("query") && e["query"].is_object())
    for (const auto& [k, v] : e["query"].items()) ep.query[k] = v.is_string() ? v.get<std::string>() : v.dump();
  ep.scopes = strings(e, "scopes");
  ep.response_contract = e.value("responseContract", "");
  return ep;
}

}  // namespace

util::Result<Profile> parse_profile(const util::Json& doc, std::string_view source) {
  if (!doc.is_object()) return at(source, "", "a profile is a JSON object");
  if (doc.value("profileVersion", 0) != 1) return at(source, "/profileVersion", "expected profileVersion 1");
  Profile p;
  p.name = doc.value("name", "");
  if (p.name.empty()) return at(source, "/name", "missing name");
  p.description = doc.value("description", "");
  p.base_url = doc.value("baseUrl", "");
  p.default_environment = doc.value("defaultEnvironment", "");
  p.contract = doc.value("contract", "");
  if (doc.contains("ids") && doc["ids"].is_object())
    for (const auto& [k, v] : doc["ids"].items()) p.id_formats[k] = v.value("format", "any");

  auto auth = endpoint(doc, "auth", source);
  if (!auth) return auth.error();
  p.auth.endpoint = *auth;
  p.auth.token_pointer = doc["auth"].value("tokenPointer", "/access_token");
  p.auth.expires_in_pointer = doc["auth"].value("expiresInPointer", "/expires_in");
  p.auth.scope_pointer = doc["auth"].value("scopePointer", "/scope");

  auto conv = endpoint(doc, "conversation", source);
  if (!conv) return conv.error();
  p.conversation.endpoint = *conv;
  p.conversation.state_pointer = doc["conversation"].value("statePointer", "/state");
  p.conversation.active_states = strings(doc["conversation"], "activeStates");
  p.conversation.ended_states = strings(doc["conversation"], "endedStates");
  p.conversation.customer_name_path = doc["conversation"].value("customerNamePath", "");

  auto queue = endpoint(doc, "queue", source);
  if (!queue) return queue.error();
  p.queue.endpoint = *queue;
  p.queue.state_pointer = doc["queue"].value("statePointer", "/state");
  p.queue.name_pointer = doc["queue"].value("namePointer", "/name");
  p.queue.active_states = strings(doc["queue"], "activeStates");

  auto wrapup = endpoint(doc, "wrapup", source);
  if (!wrapup) return wrapup.error();
  p.wrapup.endpoint = *wrapup;
  p.wrapup.entities_pointer = doc["wrapup"].value("entitiesPointer", "/entities");
  p.wrapup.id_pointer = doc["wrapup"].value("idPointer", "/id");
  p.wrapup.name_pointer = doc["wrapup"].value("namePointer", "/name");
  p.wrapup.page_count_pointer = doc["wrapup"].value("pageCountPointer", "");
  p.wrapup.max_pages = doc["wrapup"].value("maxPages", 50);

  auto transfer = endpoint(doc, "transfer", source);
  if (!transfer) return transfer.error();
  p.transfer.endpoint = *transfer;
  if (doc["transfer"].contains("successStatuses"))
    for (const auto& s : doc["transfer"]["successStatuses"])
      if (s.is_number_integer()) p.transfer.success_statuses.push_back(s);
  if (p.transfer.success_statuses.empty()) p.transfer.success_statuses = {200, 201, 202, 204};

  const auto& payload = doc.value("payload", util::Json::object());
  p.payload_queue_pointer = payload.value("queueIdPointer", "/transferTo/id");
  p.payload_wrapup_pointer = payload.value("wrapupIdPointer", "/wrapupCode/id");
  return p;
}

util::Result<Profile> load_profile(std::string_view name_or_path) {
  std::string key(name_or_path);
  if (auto text = contracts::embedded_file("profiles/" + key + ".json")) {
    auto doc = util::parse_json(*text, "profile " + key);
    if (!doc) return doc.error();
    return parse_profile(*doc, "profile " + key);
  }
  std::error_code ec;
  if (!std::filesystem::exists(key, ec)) {
    std::vector<std::string> names;
    for (const auto& f : contracts::embedded_files())
      if (f.path.starts_with("profiles/")) names.emplace_back(f.path.substr(9, f.path.size() - 9 - 5));
    return util::make_error("profile \"" + key + "\": neither a built-in profile (" + util::join(names, ", ") +
                            ") nor a file");
  }
  auto text = util::read_file(key, 1u << 20);
  if (!text) return text.error();
  auto doc = util::parse_json(*text, key);
  if (!doc) return doc.error();
  return parse_profile(*doc, key);
}

std::string expand_template(std::string_view pattern, const std::map<std::string, std::string>& values,
                            bool encode) {
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
    if (it == values.end()) out.append(pattern.substr(open, close - open + 1));
    else out += encode ? util::url_encode(it->second) : it->second;
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
            if (!e.is_object() || !e.contains(key) || !e[key].is_string() || e[key].get<std::string>() != want) continue;
          }
          next.push_back(&e);
        }
      }
    } else {
      // Undo RFC 6901 escaping for the member name.
      std::string name;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '~' && i + 1 < raw.size()) {
          name += raw[i + 1] == '1' ? '/' : '~';
          ++i;
        } else {
          name += raw[i];
        }
      }
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
    return !id.empty() && id.size() < 19 && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
  return !id.empty();
}

}  // namespace client
