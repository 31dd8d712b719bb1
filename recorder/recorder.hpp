// cxone-mock record: a recording reverse proxy. Requests are forwarded to the real tenant (HTTP
// or HTTPS), answers go back unchanged, and the exchanges are written, redacted, as a v1
// scenario: credentials and tokens never reach the file (placeholders the replay can still use),
// values at --redact pointers become stable placeholders (the same value, the same placeholder,
// everywhere in the file, so the replay still matches). With a profile the recorder also derives
// the scenario's inputs from the traffic (conversation, queue, the transfer body as the payload)
// and, when it stops, replays the file once to fill in `expect`.
// Modes after VCR: all (always record), once (record if the file does not exist, else replay it),
// none (replay only), new_episodes (replay what the file answers, record what it does not).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/profile.hpp"
#include "client/transport.hpp"
#include "mockserver/engine.hpp"
#include "util/result.hpp"

namespace recorder {

enum class Mode { once, none, new_episodes, all };
util::Result<Mode> parse_mode(std::string_view text);
std::string_view mode_name(Mode mode);

struct RecordOptions {
  std::string target;  // the upstream base URL (the tenant, or a mock playing it)
  std::filesystem::path out;
  Mode mode = Mode::once;
  std::vector<std::string> redact_pointers;
  // Path prefix -> upstream base URL, for APIs on other hosts than the target (the CXone API
  // host beside the issuer): "/inContactAPI=https://api-na1.niceincontact.com".
  std::vector<std::pair<std::string, std::string>> routes;
  std::string profile = "v2";  // how inputs are derived from the traffic
  client::TransportOptions upstream;
};

// "PREFIX=URL" -> the pair, or an error naming what is wrong.
util::Result<std::pair<std::string, std::string>> parse_route(const std::string& text);

// The request as sent to the upstream at base: its path and query after base, every header but
// the hop-by-hop ones (scenario.hpp).
client::OutgoingRequest outgoing_request(const util::HttpRequest& request, const std::string& base);
// The upstream's answer as the client gets it (hop-by-hop headers dropped), or, when the exchange
// failed, a 502 from `who` saying how, with this code.
util::HttpResponse upstream_response(const client::TransportResult& result, const std::string& who,
                                     const std::string& code);

struct RecordedExchange {
  util::HttpRequest request;
  util::HttpResponse response;
};

class Recorder {
 public:
  // Checks the options and loads the existing file when the mode replays it.
  // transport: the upstream (tests give a scripted one); by default one made from the options.
  static util::Result<std::unique_ptr<Recorder>> create(RecordOptions options,
                                                        std::unique_ptr<client::Transport> transport = nullptr);

  // The proxy (or replay) answer to one request; records and rewrites the file as it goes.
  mockserver::Reply handle(const util::HttpRequest& request);
  // Derives inputs, replays the recording once for `expect`, writes the final file. Returns a
  // one-line summary.
  util::Result<std::string> finish();

  bool replay_only() const { return replay_only_; }
  std::size_t recorded() const;
  // How the file was kept up to date so far: whole rewrites, and appends of one exchange.
  std::pair<std::size_t, std::size_t> writes() const;
  ~Recorder();

 private:
  struct Progress;
  explicit Recorder(RecordOptions options);
  util::Status write(bool with_expect);
  util::Status write_progress();
  std::string upstream_for(const std::string& path) const;

  RecordOptions options_;
  client::Profile profile_;
  std::unique_ptr<client::Transport> transport_;
  std::shared_ptr<mockserver::MockEngine> cassette_;   // the existing file, when replayed
  util::Json kept_interactions = util::Json::array();  // new_episodes: the file's interactions, verbatim
  util::Json kept_inputs = util::Json::object();       // and its inputs
  bool replay_only_ = false;
  mutable std::mutex mu_;
  std::vector<RecordedExchange> exchanges_;
  std::unique_ptr<Progress> progress_;
};

// The scenario document for a list of exchanges (exposed for tests): redacted as described above.
// scenario_text is the file's text of such a document (keys in SPEC order).
util::Json scenario_from_exchanges(const std::vector<RecordedExchange>& exchanges, const RecordOptions& options,
                                   const client::Profile& profile, const util::Json& kept_interactions,
                                   const util::Json& kept_inputs);
std::string scenario_text(const util::Json& doc);

}  // namespace recorder
