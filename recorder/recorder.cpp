// The recording proxy and the scenario it writes.
#include "recorder/recorder.hpp"

#include <algorithm>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "client/replay.hpp"
#include "client/save_fixture.hpp"
#include "contracts/catalogue.hpp"
#include "mockserver/fixture_loader.hpp"
#include "util/file.hpp"
#include "util/redact.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"

namespace recorder {

using OJson = nlohmann::ordered_json;

util::Result<Mode> parse_mode(std::string_view text) {
  if (text == "once") return Mode::once;
  if (text == "none") return Mode::none;
  if (text == "new_episodes") return Mode::new_episodes;
  if (text == "all") return Mode::all;
  return util::make_error("--mode \"" + std::string(text) + "\": expected once, none, new_episodes or all");
}

std::string_view mode_name(Mode mode) {
  switch (mode) {
    case Mode::once: return "once";
    case Mode::none: return "none";
    case Mode::new_episodes: return "new_episodes";
    case Mode::all: return "all";
  }
  return "once";
}

util::Result<std::pair<std::string, std::string>> parse_route(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || text[0] != '/' ||
      !(text.compare(eq + 1, 7, "http://") == 0 || text.compare(eq + 1, 8, "https://") == 0))
    return util::make_error("--route \"" + text + "\": expected /PATH-PREFIX=http(s)://HOST, e.g. /inContactAPI=https://api-na1.niceincontact.com");
  return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

namespace {

bool hop_by_hop(std::string_view name) {
  for (const char* h : {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
                        "transfer-encoding", "upgrade", "content-length", "host", "accept-encoding", "content-encoding"})
    if (util::iequals(name, h)) return true;
  return false;
}

bool credential_header(std::string_view name) {
  std::string n = util::to_lower(name);
  for (const char* part : {"authorization", "token", "api-key", "apikey", "secret", "cookie", "password"})
    if (n.find(part) != std::string::npos) return true;
  return false;
}

bool kept_response_header(std::string_view name) {
  for (const char* h : {"content-type", "retry-after", "x-correlation-id", "inin-correlation-id", "x-request-id", "location"})
    if (util::iequals(name, h)) return true;
  return false;
}

bool is_form(const util::Headers& h) {
  return util::to_lower(h.get("content-type")).starts_with("application/x-www-form-urlencoded");
}

// An OAuth token request (either profile's style): a form POST with a grant_type.
bool is_token_request(const util::HttpRequest& r) {
  return util::iequals(r.method, "POST") && is_form(r.headers) && util::parse_form(r.body).count("grant_type") > 0;
}

// What must not reach the file, learned from the whole recording first: credentials and tokens
// become "***"; values at the --redact pointers become stable placeholders ("redacted-1", ...).
class Scrubber {
 public:
  Scrubber(const RecordOptions& options, const client::Profile& profile) : options_(options), profile_(profile) {}

  void learn(const RecordedExchange& x) {
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
        if (k == "client_secret" || k == "password" || k == "username" || k == "refresh_token" || k == "assertion")
          secrets_.add_secret(v);
    for (const auto& [name, value] : x.response.headers)
      if (util::iequals(name, "set-cookie")) secrets_.add_secret(value);
    for (const auto* body : {&x.request.body, &x.response.body}) {
      util::Json doc = util::parse_json_lenient(*body);
      if (doc.is_discarded()) continue;
      if (doc.is_object())
        for (const auto* ptr : {&profile_.auth.token_pointer, &profile_.auth.refresh_token_pointer, &profile_.auth.id_token_pointer})
          if (!ptr->empty())
            util::for_each_at(doc, *ptr, [&](util::Json& v) {
              if (v.is_string()) secrets_.add_secret(v.get<std::string>());
            });
      for (const auto& ptr : options_.redact_pointers)
        util::for_each_at(doc, ptr, [&](util::Json& v) {
          if (v.is_null() || v.is_object() || v.is_array()) return;
          std::string text = v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, util::kInvalidUtf8Replaced);
          if (!text.empty() && !placeholders_.count(text))
            placeholders_[text] = "redacted-" + std::to_string(placeholders_.size() + 1);
        });
    }
  }

  std::string text(std::string s) const {
    if (auto it = placeholders_.find(s); it != placeholders_.end()) return it->second;
    for (const auto& [value, placeholder] : placeholders_) {
      if (value.size() < 4) continue;  // short values only as whole strings
      for (std::size_t at = s.find(value); at != std::string::npos; at = s.find(value, at + placeholder.size()))
        s.replace(at, value.size(), placeholder);
    }
    return secrets_.text(std::move(s));
  }

  void json(util::Json& doc) const {
    if (doc.is_string()) {
      doc = text(doc.get<std::string>());
    } else if (doc.is_number() || doc.is_boolean()) {
      if (auto it = placeholders_.find(doc.dump(-1, ' ', false, util::kInvalidUtf8Replaced)); it != placeholders_.end()) doc = it->second;
    } else if (doc.is_object() || doc.is_array()) {
      for (auto& child : doc) json(child);
    }
  }

 private:
  const RecordOptions& options_;
  const client::Profile& profile_;
  util::Redactor secrets_;
  std::map<std::string, std::string> placeholders_;
};

std::string slug(const std::string& path) {
  std::string last;
  for (const auto& seg : util::split(path, '/'))
    if (!seg.empty() && seg.find_first_of("0123456789") == std::string::npos) last = seg;
  std::string out;
  for (char c : last.empty() ? std::string("root") : last)
    out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '-';
  return out;
}

std::string query_text(const std::map<std::string, std::string>& query) {
  std::string q;
  for (const auto& [k, v] : query) q += (q.empty() ? "" : "&") + util::url_encode(k) + "=" + util::url_encode(v);
  return q;
}

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

// The scenario's inputs read from the traffic with the profile's endpoint templates.
OJson derive_inputs(const std::vector<RecordedExchange>& xs, const client::Profile& p, const Scrubber& scrub) {
  OJson inputs = OJson::object();
  std::map<std::string, std::string> found;
  const RecordedExchange* transfer = nullptr;
  for (const auto& [ep, is_transfer] : {std::pair{&p.conversation.endpoint, false}, std::pair{&p.queue.endpoint, false},
                                        std::pair{&p.transfer.endpoint, true}}) {
    auto [re, names] = template_regex(ep->path);
    for (const auto& x : xs) {
      if (!util::iequals(x.request.method, ep->method)) continue;
      auto m = re.captures(x.request.path);
      if (!m) continue;
      for (std::size_t i = 0; i < names.size() && i < m->size(); ++i)
        if (!found.count(names[i])) found[names[i]] = scrub.text(util::url_decode((*m)[i]));
      if (is_transfer) transfer = &x;
    }
  }
  for (const auto& x : xs) {
    // The client ID of a client-credentials token request (an identifier, not a secret; a
    // recorded token interaction may match on it).
    if (p.auth.style != "client-credentials-form" || !is_form(x.request.headers)) continue;
    auto form = util::parse_form(x.request.body);
    if (form.count("client_id")) inputs["clientId"] = form["client_id"];
  }
  if (found.count("conversationId")) inputs["conversationId"] = found["conversationId"];
  if (transfer) {
    util::Json payload = util::parse_json_lenient(transfer->request.body);
    if (payload.is_object()) {
      for (const auto& k : p.transfer.query_from_payload)
        if (auto it = transfer->request.query.find(k); it != transfer->request.query.end()) payload[k] = it->second;
      scrub.json(payload);
      inputs["payload"] = OJson::parse(payload.dump(-1, ' ', false, util::kInvalidUtf8Replaced));
    }
    inputs["execute"] = true;
  } else if (found.count("queueId")) {
    inputs["queueId"] = found["queueId"];
  }
  return inputs;
}

}  // namespace

util::Json scenario_from_exchanges(const std::vector<RecordedExchange>& xs, const RecordOptions& options,
                                   const client::Profile& profile, const util::Json& kept_interactions,
                                   const util::Json& kept_inputs) {
  Scrubber scrub(options, profile);
  for (const auto& x : xs) scrub.learn(x);
  OJson interactions = OJson::array();
  for (const auto& k : kept_interactions) interactions.push_back(OJson::parse(k.dump(-1, ' ', false, util::kInvalidUtf8Replaced)));
  std::set<std::string> ids;
  for (const auto& k : interactions) ids.insert(k.value("id", ""));
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const auto& x = xs[i];
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
      response["json"] = OJson::parse(body.dump(-1, ' ', false, util::kInvalidUtf8Replaced));
    } else if (!x.response.body.empty()) {
      response["body"] = scrub.text(x.response.body);
    }
    std::string id;
    for (int n = static_cast<int>(i) + 1; id.empty() || ids.count(id); ++n)
      id = "rec-" + std::string(n < 10 ? "0" : "") + std::to_string(n) + "-" + slug(x.request.path);
    ids.insert(id);
    OJson interaction = {{"id", id}, {"request", request}, {"response", response}};
    // The same request later again (a retry, a refresh): answered once, so the sequence replays.
    for (std::size_t j = i + 1; j < xs.size(); ++j) {
      if (xs[j].request.method == x.request.method && xs[j].request.path == x.request.path &&
          xs[j].request.query == x.request.query) {
        interaction["times"] = 1;
        break;
      }
    }
    interactions.push_back(std::move(interaction));
  }
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
  // new_episodes: the file's inputs, completed by what this session's traffic shows.
  OJson inputs = kept_inputs.is_object() ? OJson::parse(kept_inputs.dump(-1, ' ', false, util::kInvalidUtf8Replaced)) : OJson::object();
  OJson derived = derive_inputs(xs, profile, scrub);
  inputs.update(derived);
  doc["inputs"] = inputs;
  doc["interactions"] = interactions;
  return util::Json::parse(doc.dump(-1, ' ', false, util::kInvalidUtf8Replaced));
}

util::Result<std::unique_ptr<Recorder>> Recorder::create(RecordOptions options) {
  std::unique_ptr<Recorder> r(new Recorder(std::move(options)));
  auto profile = client::load_profile(r->options_.profile);
  if (!profile) return profile.error();
  r->profile_ = std::move(*profile);
  std::error_code ec;
  bool exists = std::filesystem::exists(r->options_.out, ec);
  Mode mode = r->options_.mode;
  if (mode == Mode::none && !exists)
    return util::make_error("--mode none replays " + r->options_.out.string() + ", which does not exist");
  if ((mode == Mode::once || mode == Mode::none || mode == Mode::new_episodes) && exists) {
    auto fixture = mockserver::load_fixture(r->options_.out);
    if (!fixture) return fixture.error();
    r->cassette_ = std::make_shared<mockserver::MockEngine>();
    r->cassette_->add_fixture(*fixture);
    r->replay_only_ = mode != Mode::new_episodes;
    if (mode == Mode::new_episodes) {
      auto text = util::read_file(r->options_.out);
      if (!text) return text.error();
      auto doc = util::parse_json(*text, r->options_.out.string());
      if (!doc) return doc.error();
      r->kept_interactions = (*doc)["interactions"];
      r->kept_inputs = doc->value("inputs", util::Json::object());
    }
  }
  if (!r->replay_only_) {
    if (r->options_.target.empty()) return util::make_error("--target is required to record (mode " + std::string(mode_name(mode)) + ")");
    if (!r->options_.target.starts_with("http://") && !r->options_.target.starts_with("https://"))
      return util::make_error("--target \"" + r->options_.target + "\" must start with http:// or https://");
    while (r->options_.target.ends_with('/')) r->options_.target.pop_back();
    // Found out now, not after the customer has reproduced the failure through the proxy.
    auto folder = r->options_.out.parent_path();
    if (folder.empty()) folder = ".";
    if (!std::filesystem::is_directory(folder, ec))
      return util::make_error("--out " + r->options_.out.string() + ": no folder " + folder.string());
    r->transport_ = client::make_transport(r->options_.upstream);
  }
  return r;
}

std::size_t Recorder::recorded() const {
  std::lock_guard lock(mu_);
  return exchanges_.size();
}

std::string Recorder::upstream_for(const std::string& path) const {
  std::size_t best = 0;
  std::string base = options_.target;
  for (const auto& [prefix, url] : options_.routes) {
    if (path.starts_with(prefix) && prefix.size() > best) {
      best = prefix.size();
      base = url;
    }
  }
  while (base.ends_with('/')) base.pop_back();
  return base;
}

mockserver::Reply Recorder::handle(const util::HttpRequest& request) {
  std::lock_guard lock(mu_);
  std::optional<mockserver::Reply> from_file;
  if (cassette_) {
    mockserver::Reply reply = cassette_->handle(request);
    if (replay_only_ || request.path.starts_with("/__admin/")) return reply;
    // new_episodes: a token request the file answers still goes upstream, so the client holds a
    // token the tenant issued. The file's token is a placeholder ("recorded-access-token"): a
    // new episode sent upstream with it is refused, and the refusal would be recorded as the
    // answer. It is not recorded again; if the upstream cannot be reached, the file answers.
    if (!reply.interaction_id.empty() && !is_token_request(request)) return reply;
    if (!reply.interaction_id.empty()) from_file = std::move(reply);
  }
  client::OutgoingRequest out;
  out.method = request.method;
  out.url = upstream_for(request.path) + request.path;
  if (!request.query.empty()) out.url += "?" + query_text(request.query);
  for (const auto& [k, v] : request.headers)
    if (!hop_by_hop(k)) out.headers.add(k, v);
  out.body = request.body;
  client::TransportResult result = transport_->send(out);
  mockserver::Reply reply;
  if (result.error && from_file) return std::move(*from_file);
  if (result.error) {
    reply.response = mockserver::error_response(
        502, "cxone-mock record: the upstream failed (" + std::string(client::network_error_kind_name(result.error->kind)) +
                 "): " + result.error->message,
        "recorder.upstream.failed");
    return reply;
  }
  for (const auto& [k, v] : result.response->headers)
    if (!hop_by_hop(k)) reply.response.headers.add(k, v);
  reply.response.status = result.response->status;
  reply.response.body = result.response->body;
  reply.interaction_id = "recorded";
  if (from_file) return reply;  // the file already has this exchange
  exchanges_.push_back({request, *result.response});
  // Written after every exchange (atomically): a recorder killed hard loses nothing recorded.
  (void)write(false);
  return reply;
}

util::Status Recorder::write(bool with_expect) {
  util::Json doc = scenario_from_exchanges(exchanges_, options_, profile_, kept_interactions, kept_inputs);
  if (with_expect) {
    // The recording replayed once: the classification it reproduces becomes its expectation.
    auto fixture = mockserver::parse_fixture(doc.dump(-1, ' ', false, util::kInvalidUtf8Replaced), options_.out.string());
    auto catalogue = contracts::Catalogue::builtin();
    if (fixture && catalogue && doc["inputs"].contains("conversationId")) {
      auto outcome = client::replay_fixture(*fixture, *catalogue, client::ReplayOptions{});
      if (outcome.input_error.empty())
        doc["expect"] = {{"classification", outcome.report.classification},
                         {"failedStep", outcome.report.failed_step.empty() ? util::Json(nullptr)
                                                                            : util::Json(outcome.report.failed_step)}};
    }
  }
  // Keys in SPEC order.
  OJson ordered;
  for (const char* k : {"fixtureVersion", "name", "description", "tags", "profile", "inputs", "interactions", "expect"})
    if (doc.contains(k)) ordered[k] = OJson::parse(doc[k].dump(-1, ' ', false, util::kInvalidUtf8Replaced));
  return util::write_file_atomic(options_.out, ordered.dump(2, ' ', false, util::kInvalidUtf8Replaced) + "\n");
}

util::Result<std::string> Recorder::finish() {
  std::lock_guard lock(mu_);
  if (replay_only_) return std::string("replayed ") + options_.out.string() + " (mode " + std::string(mode_name(options_.mode)) + "), nothing recorded";
  if (exchanges_.empty() && kept_interactions.empty()) return std::string("nothing recorded; ") + options_.out.string() + " not written";
  if (auto st = write(true); !st) return st.error();
  std::string summary = "recorded " + std::to_string(exchanges_.size()) + " exchange(s) into " + options_.out.string();
  auto text = util::read_file(options_.out);
  if (text) {
    util::Json doc = util::parse_json_lenient(*text);
    if (doc.is_object() && doc.contains("expect"))
      summary += "; it replays to " + doc["expect"]["classification"].get<std::string>() +
                 (doc["expect"]["failedStep"].is_string() ? " @ " + doc["expect"]["failedStep"].get<std::string>() : "");
    else
      summary += "; no expect (no conversation in the traffic): add inputs and expect by hand";
  }
  return summary;
}

}  // namespace recorder
