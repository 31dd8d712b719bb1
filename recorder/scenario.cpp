// The scenario a recording becomes: what is scrubbed, the inputs read from the traffic, one
// interaction per exchange, and the file's text (recorder.cpp keeps the file up to date with it).
#include "recorder/scenario.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "client/save_fixture.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace recorder {

using OJson = util::OrderedJson;

bool hop_by_hop(std::string_view name) {
  for (const char* h :
       {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding",
        "upgrade", "content-length", "host", "accept-encoding", "content-encoding"})
    if (util::iequals(name, h)) return true;
  return false;
}

namespace {

bool credential_header(std::string_view name) { return util::is_credential_header(name); }

bool kept_response_header(std::string_view name) {
  for (const char* h :
       {"content-type", "retry-after", "x-correlation-id", "inin-correlation-id", "x-request-id", "location"})
    if (util::iequals(name, h)) return true;
  return false;
}

bool is_form(const util::Headers& h) {
  return util::to_lower(h.get("content-type")).starts_with("application/x-www-form-urlencoded");
}

}  // namespace

bool is_token_request(const util::HttpRequest& r) {
  return util::iequals(r.method, "POST") && is_form(r.headers) && util::parse_form(r.body).count("grant_type") > 0;
}

void Scrubber::learn(const RecordedExchange& x) {
  for (const auto& [name, value] : x.request.headers) {
    if (!credential_header(name)) continue;
    secrets_.add_secret(value);
    auto space = value.find(' ');
    std::string credential = space == std::string::npos ? value : value.substr(space + 1);
    secrets_.add_secret(credential);
    if (util::iequals(value.substr(0, space == std::string::npos ? 0 : space), "basic")) {
      if (auto decoded = util::base64_decode(credential)) {
        auto colon = decoded->find(':');
        secrets_.add_secret(decoded->substr(0, colon));
        if (colon != std::string::npos) secrets_.add_secret(decoded->substr(colon + 1));
      }
    }
  }
  if (is_form(x.request.headers))
    for (const auto& [k, v] : util::parse_form(x.request.body))
      if (util::is_credential_field(k)) secrets_.add_secret(v);
  for (const auto& [name, value] : x.response.headers)
    if (util::iequals(name, "set-cookie")) secrets_.add_secret(value);
  for (const auto* body : {&x.request.body, &x.response.body}) {
    util::Json doc = util::parse_json_lenient(*body);
    if (doc.is_discarded()) continue;
    if (doc.is_object())
      for (const auto* ptr :
           {&profile_.auth.token_pointer, &profile_.auth.refresh_token_pointer, &profile_.auth.id_token_pointer})
        if (!ptr->empty())
          util::for_each_at(doc, *ptr, [&](util::Json& v) {
            if (v.is_string()) secrets_.add_secret(v.get<std::string>());
          });
    for (const auto& ptr : options_.redact_pointers)
      util::for_each_at(doc, ptr, [&](util::Json& v) {
        if (v.is_null() || v.is_object() || v.is_array()) return;
        std::string text = v.is_string() ? v.get<std::string>() : util::dump_line(v);
        if (!text.empty() && !placeholders_.count(text))
          placeholders_[text] = "redacted-" + std::to_string(placeholders_.size() + 1);
      });
  }
}

std::string Scrubber::text(std::string s) const {
  if (auto it = placeholders_.find(s); it != placeholders_.end()) return it->second;
  for (const auto& [value, placeholder] : placeholders_) {
    if (value.size() < 4) continue;  // short values only as whole strings
    for (std::size_t at = s.find(value); at != std::string::npos; at = s.find(value, at + placeholder.size()))
      s.replace(at, value.size(), placeholder);
  }
  return secrets_.text(std::move(s));
}

void Scrubber::json(util::Json& doc) const {
  if (doc.is_string()) {
    doc = text(doc.get<std::string>());
  } else if (doc.is_number() || doc.is_boolean()) {
    if (auto it = placeholders_.find(util::dump_line(doc)); it != placeholders_.end()) doc = it->second;
  } else if (doc.is_object() || doc.is_array()) {
    for (auto& child : doc) json(child);
  }
}

namespace {

std::string slug(const std::string& path) {
  std::string last;
  for (const auto& seg : util::split(path, '/'))
    if (!seg.empty() && seg.find_first_of("0123456789") == std::string::npos) last = seg;
  std::string out;
  for (char c : last.empty() ? std::string("root") : last)
    out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                                                       : '-';
  return out;
}

}  // namespace

std::string query_text(const std::map<std::string, std::string>& query) {
  std::string q;
  for (const auto& [k, v] : query) {
    if (!q.empty()) q += '&';
    q += util::url_encode(k);
    q += '=';
    q += util::url_encode(v);
  }
  return q;
}

namespace {

// A path template ("/skills/{queueId}") as a regex matching the end of a request path, with
// one capture per placeholder, in order.
std::pair<util::Regex, std::vector<std::string>> template_regex(const std::string& tmpl) {
  std::string re = "(?:^|/)";
  std::vector<std::string> names;
  std::size_t i = tmpl.starts_with('/') ? 1 : 0;
  while (i < tmpl.size()) {
    auto open = tmpl.find('{', i);
    std::string literal = tmpl.substr(i, open == std::string::npos ? std::string::npos : open - i);
    for (char c : literal) {
      if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) re += '\\';
      re += c;
    }
    if (open == std::string::npos) break;
    auto close = tmpl.find('}', open);
    names.push_back(tmpl.substr(open + 1, close - open - 1));
    re += "([^/]+)";
    i = close + 1;
  }
  // Built from escaped literals and fixed groups: it always compiles.
  return {util::value_or_throw(util::Regex::compile(re + "$")), names};
}

}  // namespace

InputsFromTraffic::InputsFromTraffic(const client::Profile& p) : profile_(p) {
  for (const auto* ep : {&p.conversation.endpoint, &p.queue.endpoint, &p.transfer.endpoint}) {
    auto [re, names] = template_regex(ep->path);
    endpoints_.push_back({ep->method, std::move(re), std::move(names), {}});
  }
}

void InputsFromTraffic::add(const std::vector<RecordedExchange>& xs, std::size_t index) {
  const RecordedExchange& x = xs[index];
  for (std::size_t e = 0; e < endpoints_.size(); ++e) {
    auto& ep = endpoints_[e];
    if (!util::iequals(x.request.method, ep.method)) continue;
    auto m = ep.re.captures(x.request.path);
    if (!m) continue;
    for (std::size_t i = 0; i < ep.names.size() && i < m->size(); ++i)
      ep.first.emplace(ep.names[i], util::url_decode((*m)[i]));  // the first capture per name stays
    if (e == 2) transfer_ = index;                               // the last transfer
  }
  // The client ID of a client-credentials token request (an identifier, not a secret; a
  // recorded token interaction may match on it).
  if (profile_.auth.style == "client-credentials-form" && is_form(x.request.headers)) {
    auto form = util::parse_form(x.request.body);
    if (form.count("client_id")) client_id_ = form["client_id"];
  }
}

OJson InputsFromTraffic::inputs(const std::vector<RecordedExchange>& xs, const Scrubber& scrub) const {
  const client::Profile& p = profile_;
  OJson inputs = OJson::object();
  std::map<std::string, std::string> found;  // endpoints in order: the conversation's names first
  for (const auto& ep : endpoints_)
    for (const auto& [name, value] : ep.first)
      if (!found.count(name)) found[name] = scrub.text(value);
  if (client_id_) inputs["clientId"] = *client_id_;
  if (found.count("conversationId")) inputs["conversationId"] = found["conversationId"];
  if (found.count("participantId")) inputs["participantId"] = found["participantId"];
  if (transfer_ && !p.transfer.requests.empty()) {
    // A transfer made of several requests (genesys) carries no bot payload to replay: the IDs do.
    if (found.count("queueId")) inputs["queueId"] = found["queueId"];
    inputs["execute"] = true;
  } else if (transfer_) {
    const RecordedExchange* transfer = &xs[*transfer_];
    util::Json payload = util::parse_json_lenient(transfer->request.body);
    if (payload.is_object()) {
      for (const auto& k : p.transfer.query_from_payload)
        if (auto it = transfer->request.query.find(k); it != transfer->request.query.end()) payload[k] = it->second;
      scrub.json(payload);
      inputs["payload"] = OJson::parse(util::dump_line(payload));
    }
    inputs["execute"] = true;
  } else if (found.count("queueId")) {
    inputs["queueId"] = found["queueId"];
  }
  return inputs;
}

OJson render_interaction(const RecordedExchange& x, const std::string& id, bool once, const Scrubber& scrub,
                         const client::Profile& profile) {
  OJson request = {{"method", x.request.method}, {"path", scrub.text(x.request.path)}};
  if (!x.request.query.empty()) {
    OJson q = OJson::object();
    for (const auto& [k, v] : x.request.query) q[k] = scrub.text(v);
    request["query"] = q;
  }
  if (is_form(x.request.headers)) {
    // Only the grant type: the credentials differ between whoever recorded and whoever replays.
    auto form = util::parse_form(x.request.body);
    if (form.count("grant_type")) request["form"] = {{"grant_type", form["grant_type"]}};
  }
  OJson response = {{"status", x.response.status}};
  OJson headers = OJson::object();
  for (const auto& [k, v] : x.response.headers)
    if (kept_response_header(k)) headers[k] = scrub.text(v);
  if (!headers.empty()) response["headers"] = headers;
  util::Json body = util::parse_json_lenient(x.response.body);
  if (!x.response.body.empty() && !body.is_discarded() && (body.is_object() || body.is_array())) {
    if (body.is_object()) client::placeholder_tokens(body, profile);
    scrub.json(body);
    response["json"] = OJson::parse(util::dump_line(body));
  } else if (!x.response.body.empty()) {
    response["body"] = scrub.text(x.response.body);
  }
  OJson interaction = {{"id", id}, {"request", request}, {"response", response}};
  if (once) interaction["times"] = 1;
  return interaction;
}

std::string interaction_id(std::size_t i, const std::string& path, std::set<std::string>& ids) {
  std::string id;
  for (int n = static_cast<int>(i) + 1; id.empty() || ids.count(id); ++n)
    id = "rec-" + std::string(n < 10 ? "0" : "") + std::to_string(n) + "-" + slug(path);
  ids.insert(id);
  return id;
}

std::string request_key(const RecordedExchange& x) {
  std::string key = x.request.method;
  key += '\0';
  key += x.request.path;
  key += '\0';
  key += query_text(x.request.query);
  return key;
}

namespace {

OJson scenario_head(const RecordOptions& options, const client::Profile& profile, OJson inputs) {
  char when[32];
  std::time_t now = std::time(nullptr);
  std::strftime(when, sizeof when, "%Y-%m-%d", std::gmtime(&now));
  std::string target = util::split(options.target, '?')[0];
  OJson doc;
  doc["fixtureVersion"] = 1;
  doc["name"] = options.out.stem().string();
  doc["description"] = "Recorded by cxone-mock record from " + target + " on " + when + " (mode " +
                       std::string(mode_name(options.mode)) + "); credentials and tokens replaced, " +
                       std::to_string(options.redact_pointers.size()) + " --redact pointer(s) as placeholders.";
  doc["tags"] = {"recorded", profile.name};
  doc["profile"] = options.profile;
  doc["inputs"] = std::move(inputs);
  return doc;
}

}  // namespace

OJson merged_inputs(const util::Json& kept_inputs, const OJson& derived) {
  OJson inputs = kept_inputs.is_object() ? OJson::parse(util::dump_line(kept_inputs)) : OJson::object();
  inputs.update(derived);
  return inputs;
}

std::string dump_item(const OJson& item) {
  util::Json sorted = util::Json::parse(util::dump_line(item));
  std::string text = util::dump_pretty(sorted), out = "    ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

util::Json scenario_from_exchanges(const std::vector<RecordedExchange>& xs, const RecordOptions& options,
                                   const client::Profile& profile, const util::Json& kept_interactions,
                                   const util::Json& kept_inputs) {
  Scrubber scrub(options, profile);
  InputsFromTraffic traffic(profile);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    scrub.learn(xs[i]);
    traffic.add(xs, i);
  }
  OJson interactions = OJson::array();
  for (const auto& k : kept_interactions) interactions.push_back(OJson::parse(util::dump_line(k)));
  std::set<std::string> ids;
  for (const auto& k : interactions) ids.insert(k.value("id", ""));
  std::map<std::string, std::size_t> last;
  for (std::size_t i = 0; i < xs.size(); ++i) last[request_key(xs[i])] = i;
  for (std::size_t i = 0; i < xs.size(); ++i)
    interactions.push_back(render_interaction(xs[i], interaction_id(i, xs[i].request.path, ids),
                                              last[request_key(xs[i])] != i, scrub, profile));
  OJson doc = scenario_head(options, profile, merged_inputs(kept_inputs, traffic.inputs(xs, scrub)));
  doc["interactions"] = interactions;
  return util::Json::parse(util::dump_line(doc));
}

std::string scenario_text(const util::Json& doc) {
  // Keys in SPEC order.
  OJson ordered;
  for (const char* k : {"fixtureVersion", "name", "description", "tags", "profile", "inputs", "interactions", "expect"})
    if (doc.contains(k)) ordered[k] = OJson::parse(util::dump_line(doc[k]));
  return util::dump_pretty(ordered) + "\n";
}

}  // namespace recorder
