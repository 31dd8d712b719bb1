// The recording proxy: requests forwarded upstream (or answered from the file), and the file kept
// up to date exchange by exchange (scenario.cpp renders what goes in it).
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
#include "recorder/scenario.hpp"
#include "util/file.hpp"
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
  TRY_ASSIGN(auto profile, client::load_profile(r->options_.profile));
  r->profile_ = std::move(profile);
  std::error_code ec;
  bool exists = std::filesystem::exists(r->options_.out, ec);
  Mode mode = r->options_.mode;
  if (mode == Mode::none && !exists)
    return util::make_error("--mode none replays " + r->options_.out.string() + ", which does not exist");
  if ((mode == Mode::once || mode == Mode::none || mode == Mode::new_episodes) && exists) {
    TRY_ASSIGN(auto fixture, mockserver::load_fixture(r->options_.out));
    r->cassette_ = std::make_shared<mockserver::MockEngine>();
    r->cassette_->add_fixture(fixture);
    r->replay_only_ = mode != Mode::new_episodes;
    if (mode == Mode::new_episodes) {
      TRY_ASSIGN(auto text, util::read_file(r->options_.out));
      TRY_ASSIGN(auto doc, util::parse_json(text, r->options_.out.string()));
      r->kept_interactions = doc["interactions"];
      r->kept_inputs = doc.value("inputs", util::Json::object());
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

client::OutgoingRequest outgoing_request(const util::HttpRequest& request, const std::string& base) {
  client::OutgoingRequest out;
  out.method = request.method;
  out.url = base + request.path;
  if (!request.query.empty()) out.url += "?" + query_text(request.query);
  for (const auto& [k, v] : request.headers)
    if (!hop_by_hop(k)) out.headers.add(k, v);
  out.body = request.body;
  return out;
}

util::HttpResponse upstream_response(const client::TransportResult& result, const std::string& who,
                                     const std::string& code) {
  if (result.error)
    return mockserver::error_response(502,
                                      who + ": the upstream failed (" +
                                          std::string(client::network_error_kind_name(result.error->kind)) +
                                          "): " + result.error->message,
                                      code);
  util::HttpResponse response;
  for (const auto& [k, v] : result.response->headers)
    if (!hop_by_hop(k)) response.headers.add(k, v);
  response.status = result.response->status;
  response.body = result.response->body;
  return response;
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
  client::TransportResult result = transport_->send(outgoing_request(request, upstream_for(request.path)));
  if (result.error && from_file) return std::move(*from_file);
  mockserver::Reply reply;
  reply.response = upstream_response(result, "cxone-mock record", "recorder.upstream.failed");
  if (result.error) return reply;
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
  TRY(write(true));
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
