// The recording proxy and the scenario it writes.
#include "recorder/recorder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
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

using OJson = util::OrderedJson;

util::Result<Mode> parse_mode(std::string_view text) {
  if (text == "once") return Mode::once;
  if (text == "none") return Mode::none;
  if (text == "new_episodes") return Mode::new_episodes;
  if (text == "all") return Mode::all;
  return util::make_error("--mode \"" + std::string(text) + "\": expected once, none, new_episodes or all");
}

std::string_view mode_name(Mode mode) {
  switch (mode) {
    case Mode::once:
      return "once";
    case Mode::none:
      return "none";
    case Mode::new_episodes:
      return "new_episodes";
    case Mode::all:
      return "all";
  }
  return "once";
}

util::Result<std::pair<std::string, std::string>> parse_route(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || text[0] != '/' ||
      !(text.compare(eq + 1, 7, "http://") == 0 || text.compare(eq + 1, 8, "https://") == 0))
    return util::make_error(
        "--route \"" + text +
        "\": expected /PATH-PREFIX=http(s)://HOST, e.g. /inContactAPI=https://api-na1.niceincontact.com");
  return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

namespace {

bool hop_by_hop(std::string_view name) {
  for (const char* h :
       {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding",
        "upgrade", "content-length", "host", "accept-encoding", "content-encoding"})
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
  for (const char* h :
       {"content-type", "retry-after", "x-correlation-id", "inin-correlation-id", "x-request-id", "location"})
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

  std::string text(std::string s) const {
    if (auto it = placeholders_.find(s); it != placeholders_.end()) return it->second;
    for (const auto& [value, placeholder] : placeholders_) {
      if (value.size() < 4) continue;  // short values only as whole strings
      for (std::size_t at = s.find(value); at != std::string::npos; at = s.find(value, at + placeholder.size()))
        s.replace(at, value.size(), placeholder);
    }
    return secrets_.text(std::move(s));
  }

  // Grows whenever learn() finds a value not known before (what earlier text was scrubbed
  // without).
  std::size_t learned() const { return secrets_.secrets().size() + placeholders_.size(); }

  void json(util::Json& doc) const {
    if (doc.is_string()) {
      doc = text(doc.get<std::string>());
    } else if (doc.is_number() || doc.is_boolean()) {
      if (auto it = placeholders_.find(util::dump_line(doc)); it != placeholders_.end()) doc = it->second;
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
    out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                                                       : '-';
  return out;
}

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

// The scenario's inputs read from the traffic with the profile's endpoint templates, one
// exchange at a time (the recorder adds each as it comes; a whole recording is the same loop).
class InputsFromTraffic {
 public:
  explicit InputsFromTraffic(const client::Profile& p) : profile_(p) {
    for (const auto* ep : {&p.conversation.endpoint, &p.queue.endpoint, &p.transfer.endpoint}) {
      auto [re, names] = template_regex(ep->path);
      endpoints_.push_back({ep->method, std::move(re), std::move(names), {}});
    }
  }

  void add(const std::vector<RecordedExchange>& xs, std::size_t index) {
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

  OJson inputs(const std::vector<RecordedExchange>& xs, const Scrubber& scrub) const {
    const client::Profile& p = profile_;
    OJson inputs = OJson::object();
    std::map<std::string, std::string> found;  // endpoints in order: the conversation's names first
    for (const auto& ep : endpoints_)
      for (const auto& [name, value] : ep.first)
        if (!found.count(name)) found[name] = scrub.text(value);
    if (client_id_) inputs["clientId"] = *client_id_;
    if (found.count("conversationId")) inputs["conversationId"] = found["conversationId"];
    if (transfer_) {
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

 private:
  struct Endpoint {
    std::string method;
    util::Regex re;
    std::vector<std::string> names;
    std::map<std::string, std::string> first;  // name -> the first capture (unscrubbed)
  };
  const client::Profile& profile_;
  std::vector<Endpoint> endpoints_;  // conversation, queue, transfer
  std::optional<std::size_t> transfer_;
  std::optional<std::string> client_id_;
};

// One exchange as the scenario's interaction (once: a later exchange repeats its request, so it
// answers once and the sequence replays).
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

// The id of the i-th recorded exchange ("rec-03-queues"), unique among ids (which it joins).
std::string interaction_id(std::size_t i, const std::string& path, std::set<std::string>& ids) {
  std::string id;
  for (int n = static_cast<int>(i) + 1; id.empty() || ids.count(id); ++n)
    id = "rec-" + std::string(n < 10 ? "0" : "") + std::to_string(n) + "-" + slug(path);
  ids.insert(id);
  return id;
}

// Two exchanges with the same request: the earlier answers once.
std::string request_key(const RecordedExchange& x) {
  std::string key = x.request.method;
  key += '\0';
  key += x.request.path;
  key += '\0';
  key += query_text(x.request.query);
  return key;
}

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

// new_episodes: the file's inputs, completed by what this session's traffic shows.
OJson merged_inputs(const util::Json& kept_inputs, const OJson& derived) {
  OJson inputs = kept_inputs.is_object() ? OJson::parse(util::dump_line(kept_inputs)) : OJson::object();
  inputs.update(derived);
  return inputs;
}

// One interaction's text as it sits in the file: the document's nested objects have their keys
// sorted (it passes through util::Json), four spaces in.
std::string dump_item(const OJson& item) {
  util::Json sorted = util::Json::parse(util::dump_line(item));
  std::string text = util::dump_pretty(sorted), out = "    ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

}  // namespace

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

// The recording as it stands on disk between exchanges, kept so that an exchange adds its
// interaction with one write at the end of the file instead of rebuilding and rewriting the whole
// scenario (which made recording quadratic in the number of exchanges). The whole file is
// rebuilt only when earlier text would change: the scrubber learned a new secret or placeholder,
// or the derived inputs changed (a handful of times per recording).
struct Recorder::Progress {
  Progress(const RecordOptions& options, const client::Profile& profile) : scrub(options, profile), traffic(profile) {}
  Scrubber scrub;
  InputsFromTraffic traffic;
  std::string inputs_text;  // the inputs as last written
  std::set<std::string> ids;
  std::map<std::string, std::size_t> last;  // request key -> its last exchange
  std::vector<std::string> exchange_ids;
  std::vector<bool> once;
  // The file: head, then item i at offsets[i] (its separator first), then tail from `end`.
  bool valid = false;
  std::size_t kept = 0;  // kept interactions (new_episodes) before the recorded ones
  std::string head, tail;
  std::vector<std::string> items;
  std::vector<std::size_t> offsets;
  std::size_t end = 0;
  std::size_t full_writes = 0, appends = 0;
};

Recorder::Recorder(RecordOptions options) : options_(std::move(options)) {}
Recorder::~Recorder() = default;

util::Result<std::unique_ptr<Recorder>> Recorder::create(RecordOptions options,
                                                         std::unique_ptr<client::Transport> transport) {
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
    if (r->options_.target.empty())
      return util::make_error("--target is required to record (mode " + std::string(mode_name(mode)) + ")");
    if (!r->options_.target.starts_with("http://") && !r->options_.target.starts_with("https://"))
      return util::make_error("--target \"" + r->options_.target + "\" must start with http:// or https://");
    while (r->options_.target.ends_with('/')) r->options_.target.pop_back();
    // Found out now, not after the customer has reproduced the failure through the proxy.
    auto folder = r->options_.out.parent_path();
    if (folder.empty()) folder = ".";
    if (!std::filesystem::is_directory(folder, ec))
      return util::make_error("--out " + r->options_.out.string() + ": no folder " + folder.string());
    r->transport_ = transport ? std::move(transport) : client::make_transport(r->options_.upstream);
  }
  r->progress_ = std::make_unique<Progress>(r->options_, r->profile_);
  r->progress_->kept = r->kept_interactions.size();
  for (const auto& k : r->kept_interactions) r->progress_->ids.insert(k.value("id", ""));
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
    reply.response = mockserver::error_response(502,
                                                "cxone-mock record: the upstream failed (" +
                                                    std::string(client::network_error_kind_name(result.error->kind)) +
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
  // Written after every exchange: a recorder killed hard loses nothing recorded.
  (void)write_progress();
  return reply;
}

util::Status Recorder::write(bool with_expect) {
  util::Json doc = scenario_from_exchanges(exchanges_, options_, profile_, kept_interactions, kept_inputs);
  if (with_expect) {
    // The recording replayed once: the classification it reproduces becomes its expectation.
    auto fixture = mockserver::parse_fixture(util::dump_line(doc), options_.out.string());
    auto catalogue = contracts::Catalogue::builtin();
    if (fixture && catalogue && doc["inputs"].contains("conversationId")) {
      auto outcome = client::replay_fixture(*fixture, *catalogue, client::ReplayOptions{});
      if (outcome.input_error.empty())
        doc["expect"] = {{"classification", outcome.report.classification},
                         {"failedStep", outcome.report.failed_step.empty() ? util::Json(nullptr)
                                                                           : util::Json(outcome.report.failed_step)}};
    }
  }
  std::string text = scenario_text(doc);
  if (auto st = util::write_file_atomic(options_.out, text); !st) return st;
  if (with_expect) return {};
  // The layout the following exchanges append to.
  Progress& p = *progress_;
  ++p.full_writes;
  p.valid = false;
  p.inputs_text = merged_inputs(kept_inputs, p.traffic.inputs(exchanges_, p.scrub)).dump();
  p.items.clear();
  for (const auto& item : doc["interactions"]) p.items.push_back(dump_item(OJson::parse(util::dump_line(item))));
  static const std::string kOpen = "\n  \"interactions\": [";
  auto at = text.rfind(kOpen);
  if (at == std::string::npos || p.items.empty()) return {};
  p.head = text.substr(0, at + kOpen.size());
  p.tail = "\n  ]\n}\n";
  std::string joined = p.head;
  p.offsets.clear();
  for (std::size_t i = 0; i < p.items.size(); ++i) {
    p.offsets.push_back(joined.size());
    joined += i ? ",\n" : "\n";
    joined += p.items[i];
  }
  p.end = joined.size();
  joined += p.tail;
  p.valid = joined == text;  // else the next exchange rebuilds the whole file again
  return {};
}

// After each exchange: its interaction appended at the end of the file (and the interaction of
// the same request before it, which now answers once, rewritten in place), in one write; the
// whole file rebuilt only when earlier text changes.
util::Status Recorder::write_progress() {
  Progress& p = *progress_;
  std::size_t j = exchanges_.size() - 1;
  const RecordedExchange& x = exchanges_[j];
  std::size_t known = p.scrub.learned();
  p.scrub.learn(x);
  p.traffic.add(exchanges_, j);
  std::string key = request_key(x);
  std::optional<std::size_t> repeat;
  if (auto it = p.last.find(key); it != p.last.end()) repeat = it->second;
  p.last[key] = j;
  p.exchange_ids.push_back(interaction_id(j, x.request.path, p.ids));
  p.once.push_back(false);
  if (repeat) p.once[*repeat] = true;
  std::string inputs_text = merged_inputs(kept_inputs, p.traffic.inputs(exchanges_, p.scrub)).dump();
  if (!p.valid || p.scrub.learned() != known || inputs_text != p.inputs_text) return write(false);
  std::size_t from = p.kept + (repeat ? *repeat : j);
  std::size_t at = from < p.offsets.size() ? p.offsets[from] : p.end;
  if (repeat)
    p.items[p.kept + *repeat] =
        dump_item(render_interaction(exchanges_[*repeat], p.exchange_ids[*repeat], true, p.scrub, profile_));
  p.items.push_back(dump_item(render_interaction(x, p.exchange_ids[j], false, p.scrub, profile_)));
  p.offsets.resize(from);
  std::string text;
  for (std::size_t i = from; i < p.items.size(); ++i) {
    p.offsets.push_back(at + text.size());
    text += i ? ",\n" : "\n";
    text += p.items[i];
  }
  p.end = at + text.size();
  text += p.tail;
  // One write of the changed end: the file is whole before and after it (it only grows, so
  // nothing of the old end is left behind).
  int fd = ::open(options_.out.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    p.valid = false;
    return util::make_error(options_.out.string() + ": cannot open: " + std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::pwrite(fd, text.data() + done, text.size() - done, static_cast<off_t>(at + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      p.valid = false;
      return util::make_error(options_.out.string() + ": write failed: " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  ++p.appends;
  return {};
}

std::pair<std::size_t, std::size_t> Recorder::writes() const {
  std::lock_guard lock(mu_);
  return {progress_->full_writes, progress_->appends};
}

util::Result<std::string> Recorder::finish() {
  std::lock_guard lock(mu_);
  if (replay_only_)
    return std::string("replayed ") + options_.out.string() + " (mode " + std::string(mode_name(options_.mode)) +
           "), nothing recorded";
  if (exchanges_.empty() && kept_interactions.empty())
    return std::string("nothing recorded; ") + options_.out.string() + " not written";
  if (auto st = write(true); !st) return st.error();
  std::string summary = "recorded " + std::to_string(exchanges_.size()) + " exchange(s) into " + options_.out.string();
  auto text = util::read_file(options_.out);
  if (text) {
    util::Json doc = util::parse_json_lenient(*text);
    if (doc.is_object() && doc.contains("expect"))
      summary +=
          "; it replays to " + doc["expect"]["classification"].get<std::string>() +
          (doc["expect"]["failedStep"].is_string() ? " @ " + doc["expect"]["failedStep"].get<std::string>() : "");
    else
      summary += "; no expect (no conversation in the traffic): add inputs and expect by hand";
  }
  return summary;
}

}  // namespace recorder
