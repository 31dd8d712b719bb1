// Handover nodes and their static checks (see handover.hpp).
#include "client/flows/handover.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include "client/flows/cognigy_script.hpp"
#include "client/profile.hpp"
#include "util/strings.hpp"

namespace client::flows {

namespace {

constexpr std::size_t kMaxSignalParams = 9;  // Studio's OnSignal receives p1..p9

// A built-in profile's transfer calls: method, path segments, whether the body is the payload.
struct ProfileCall {
  std::string profile, method, path;
  std::vector<std::string> segments;
  bool payload = false;
};

const std::vector<ProfileCall>& profile_calls() {
  static const std::vector<ProfileCall> calls = [] {
    std::vector<ProfileCall> out;
    for (const char* name : {"v2", "genesys", "cxone"}) {
      auto p = load_profile(name);
      if (!p) continue;
      if (p->transfer.requests.empty()) {
        out.push_back({name, p->transfer.endpoint.method, p->transfer.endpoint.path,
                       util::path_segments(p->transfer.endpoint.path), true});
      } else {
        for (const auto& r : p->transfer.requests)
          out.push_back({name, r.endpoint.method, r.endpoint.path, util::path_segments(r.endpoint.path), false});
      }
    }
    return out;
  }();
  return calls;
}

// The path of a URL template (scheme, host and query left out).
std::string url_path(std::string_view url) {
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    auto slash = url.find('/', scheme + 3);
    url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  }
  return std::string(url.substr(0, url.find('?')));
}

// The profile call an HTTP Request node's URL makes: its path ends with the call's segments, a
// {{template}} segment standing for a {placeholder}.
const ProfileCall* call_for_url(const std::string& method, const std::string& url) {
  auto path = util::path_segments(url_path(url));
  const ProfileCall* best = nullptr;
  for (const auto& c : profile_calls()) {
    if (!util::iequals(c.method, method.empty() ? "GET" : method) || c.segments.size() > path.size()) continue;
    std::size_t off = path.size() - c.segments.size();
    bool fits = true;
    for (std::size_t i = 0; i < c.segments.size() && fits; ++i) {
      bool placeholder = c.segments[i].starts_with('{');
      bool templated = path[off + i].find("{{") != std::string::npos;
      fits = placeholder ? !path[off + i].empty() : (!templated && c.segments[i] == path[off + i]);
    }
    if (fits && (!best || c.segments.size() > best->segments.size())) best = &c;
  }
  return best;
}

bool is_template(const util::Json& v) {
  return v.is_string() && v.get_ref<const std::string&>().find("{{") != std::string::npos;
}

// Keys whose value is a queue or skill ID.
bool id_key(std::string_view key) {
  std::string k = util::to_lower(key);
  for (const char* suffix : {"id", "_id"})
    if (k.ends_with(suffix)) k.resize(k.size() - std::string_view(suffix).size());
  return k == "skill" || k == "queue" || k == "transferto" || k == "target";
}

void walk_strings(const util::Json& v, const std::string& pointer,
                  const std::function<void(const std::string&, const std::string&)>& fn, int depth = 0) {
  if (depth > 64) return;
  if (v.is_string()) fn(pointer, v.get<std::string>());
  if (v.is_object())
    for (const auto& [k, c] : v.items()) walk_strings(c, util::pointer_append(pointer, k), fn, depth + 1);
  if (v.is_array())
    for (std::size_t i = 0; i < v.size(); ++i) walk_strings(v[i], util::pointer_append(pointer, i), fn, depth + 1);
}

class Checker {
 public:
  Checker(const FlowProject& project, std::vector<FlowFinding>& out) : project_(project), out_(out) {
    collect_writes();
  }

  void check(const HandoverNode& h) {
    const FlowNode& n = *h.node;
    templates(n);
    unset_paths(n);
    if (h.kind == HandoverKind::cxone_exit) exit_node(n);
    if (h.kind == HandoverKind::cxone_signal) signal_node(n);
    if (h.kind == HandoverKind::http_request) http_node(n);
  }

 private:
  void add(const FlowNode& n, const std::string& field_pointer, std::string code, std::string severity,
           std::string message, std::string hint) {
    const std::string* text = project_.text_of(n.file);
    std::string where = text ? util::where(n.file, *text, n.config_pointer + field_pointer) : n.where;
    if (where == n.file) where = n.where;
    if (n.disabled) severity = "warning";  // not what the bot runs: said, not failed
    out_.push_back({std::move(code), std::move(severity), std::move(where), std::move(message), std::move(hint), &n});
  }

  // Every path the project writes: Add to Context keys, assignments and api.addToContext in Code nodes.
  void collect_writes() {
    for (const auto& n : project_.nodes) {
      if (n.type == "addToContext" && n.config.contains("key") && n.config["key"].is_string())
        written_.push_back("context." + n.config["key"].get<std::string>());
      if (n.type != "code" || !n.config.contains("code") || !n.config["code"].is_string()) continue;
      const std::string& code = n.config["code"].get_ref<const std::string&>();
      for (auto& p : paths_assigned(code)) written_.push_back(std::move(p));
      for (std::size_t at = code.find("addToContext("); at != std::string::npos;
           at = code.find("addToContext(", at + 1)) {
        std::size_t q = code.find_first_of("'\"", at);
        std::size_t e = q == std::string::npos ? q : code.find(code[q], q + 1);
        if (e != std::string::npos) written_.push_back("context." + code.substr(q + 1, e - q - 1));
      }
    }
  }

  bool written(const std::string& path) const {
    return std::any_of(written_.begin(), written_.end(), [&](const std::string& w) {
      return path == w || path.starts_with(w + ".") || w.starts_with(path + ".");
    });
  }

  void templates(const FlowNode& n) {
    walk_strings(n.config, "", [&](const std::string& ptr, const std::string& s) {
      std::vector<TemplateError> errors;
      find_expressions(s, &errors);
      for (const auto& e : errors)
        add(n, ptr, "FLOW_TEMPLATE_SYNTAX", "error",
            "at " + ptr + ", byte " + std::to_string(e.offset) + ": " + e.message,
            "close every {{ with }} and keep the expression to a path such as context.customer.name");
    });
  }

  void unset_paths(const FlowNode& n) {
    walk_strings(n.config, "", [&](const std::string& ptr, const std::string& s) {
      for (const auto& e : find_expressions(s))
        for (const auto& path : paths_read(e.code))
          if (!written(path))
            add(n, ptr, "FLOW_UNSET_VARIABLE", "warning",
                std::string("at ").append(ptr).append(": ").append(path).append(
                    " is read, and no node of the project writes it"),
                path.starts_with("input.")
                    ? "it must come with the channel's input (CXone passes its data there); if it may not, it renders "
                      "as \"\" (a text) or drops its key (JSON)"
                    : "at run time it renders as \"\" (a text) or drops its key (JSON): set it with an Add to Context "
                      "or Code node before the handover, or fix the name");
    });
  }

  void params_count(const FlowNode& n, const std::string& field, std::size_t count, std::size_t first) {
    if (count + first - 1 > kMaxSignalParams)
      add(n, "/" + field, "FLOW_TOO_MANY_SIGNAL_PARAMS", "error",
          std::to_string(count + first - 1) + " Signal parameters (p1..p" + std::to_string(count + first - 1) +
              "): Studio's OnSignal receives p1..p9",
          "merge parameters into one JSON string, or drop the ones the Studio script does not read");
  }

  void contact_ids(const FlowNode& n) {
    for (const char* key : {"contactId", "spawnedContactId"})
      if (n.config.contains(key) && n.config[key].is_string() && !n.config[key].get<std::string>().empty() &&
          !is_template(n.config[key]))
        add(n, std::string("/") + key, "FLOW_HARDCODED_CONTACT_ID", "error",
            std::string(key) + " is the literal \"" + n.config[key].get<std::string>() +
                "\": every session would hand over that one contact",
            "take it from the session: {{context.data.contactId}} (the CXone Context Init node sets it)");
  }

  void display_names(const FlowNode& n, const util::Json& value, const std::string& field) {
    walk_strings(value, "/" + field, [&](const std::string& ptr, const std::string& s) {
      std::string key = ptr.substr(ptr.rfind('/') + 1);
      bool where_id = id_key(key) || ptr == "/payload/p2" || ptr == "/signalParams/1";
      if (where_id && s.find("{{") == std::string::npos && util::looks_like_display_name(s))
        add(n, ptr, "FLOW_NAME_NOT_ID", "error", "at " + ptr + ": \"" + s + "\" is a display name where an ID belongs",
            "use the skill or queue ID (CXone: ACD > Skills; Genesys: the queue's id), not its name");
    });
  }

  void exit_node(const FlowNode& n) {
    contact_ids(n);
    if (n.config.contains("action") && !is_template(n.config["action"])) {
      std::string action =
          n.config["action"].is_string() ? n.config["action"].get<std::string>() : n.config["action"].dump();
      if (action != "Escalate" && action != "End")
        add(n, "/action", "FLOW_INVALID_ACTION", "error",
            "action \"" + action + "\": the Exit Interaction node sends Escalate or End as p1",
            "choose Escalate (to an agent) or End in the node");
    }
    if (!json_field(n.config, "optionalParamsObject").is_null())
      parameters(n, "optionalParamsObject", 2, "the node sends no parameters",
                 "an array of objects: [{\"intent\": \"{{context.intent}}\"}]");
  }

  void signal_node(const FlowNode& n) {
    contact_ids(n);
    parameters(n, "signalParams", 1, "the node refuses to send", "an array of strings: [\"Escalate\", \"6368531\"]");
  }

  // A node's Signal parameters (field): an array (else what the node then does), at most p9 counting
  // from p<first>, no display name where an ID belongs.
  void parameters(const FlowNode& n, const std::string& field, std::size_t first, const std::string& otherwise,
                  const std::string& shape) {
    util::Json params = json_field(n.config, field);
    if (!params.is_array()) {
      add(n, "/" + field, "FLOW_PARAMS_NOT_ARRAY", "error",
          field + " is " + params.type_name() + ", not an array: " + otherwise, "write the parameters as " + shape);
      return;
    }
    params_count(n, field, params.size(), first);
    display_names(n, params, field);
  }

  void http_node(const FlowNode& n) {
    std::string url = n.config.contains("url") && n.config["url"].is_string() ? n.config["url"].get<std::string>() : "";
    for (const auto& seg : util::path_segments(url_path(url)))
      if (seg.size() >= 6 && seg.find_first_not_of("0123456789") == std::string::npos)
        add(n, "/url", "FLOW_HARDCODED_CONTACT_ID", "error",
            "the URL names the contact \"" + seg + "\": every session would hand over that one contact",
            "put the session's ID into the URL: …/interactions/{{context.data.contactId}}/signal");
    util::Json payload = json_field(n.config, "payload");
    if (!payload.is_null()) display_names(n, payload, "payload");
  }

  const FlowProject& project_;
  std::vector<FlowFinding>& out_;
  std::vector<std::string> written_;
};

}  // namespace

std::string_view kind_name(HandoverKind kind) {
  switch (kind) {
    case HandoverKind::cxone_exit:
      return "cxone-exit-interaction";
    case HandoverKind::cxone_signal:
      return "cxone-signal-interaction";
    case HandoverKind::http_request:
      return "http-request";
    case HandoverKind::builtin:
      return "handover-to-agent";
  }
  return "";
}

util::Json json_field(const util::Json& config, const std::string& key) {
  if (!config.is_object() || !config.contains(key)) return nullptr;
  const util::Json& v = config[key];
  if (v.is_string()) {
    util::Json parsed = util::parse_json_lenient(v.get<std::string>(), 64);
    if (!parsed.is_discarded()) return parsed;
  }
  return v;
}

std::vector<HandoverNode> find_handover_nodes(const FlowProject& project) {
  std::vector<HandoverNode> out;
  for (const auto& n : project.nodes) {
    if (n.type == "handoverToCXone") {
      out.push_back({&n, HandoverKind::cxone_exit, "cxone", "POST /interactions/{contactId}/signal?p1={action}", true});
    } else if (n.type == "sendCxoneSignal") {
      out.push_back({&n, HandoverKind::cxone_signal, "cxone", "POST /interactions/{contactId}/signal?p1..pN", true});
    } else if (n.type == "handover" || n.type == "handoverToAgent") {
      out.push_back({&n, HandoverKind::builtin, "", "", false});
    } else if (n.type == "httpRequest") {
      std::string url =
          n.config.contains("url") && n.config["url"].is_string() ? n.config["url"].get<std::string>() : "";
      std::string method =
          n.config.contains("method") && n.config["method"].is_string() ? n.config["method"].get<std::string>() : "GET";
      if (const auto* c = call_for_url(method, url))
        out.push_back({&n, HandoverKind::http_request, c->profile, c->method + " " + c->path, c->payload});
    }
  }
  return out;
}

std::vector<FlowFinding> static_checks(const FlowProject& project, const std::vector<HandoverNode>& handovers) {
  std::vector<FlowFinding> out;
  Checker checker(project, out);
  for (const auto& h : handovers) checker.check(h);
  return out;
}

}  // namespace client::flows
