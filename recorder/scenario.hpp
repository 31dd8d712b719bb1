// The scenario a recording becomes (the recorder's inside; recorder.hpp is the interface): what
// must not reach the file and how it is replaced, the inputs read from the traffic, one
// interaction per exchange, and the file's text, piece by piece so that the recorder can append
// an exchange without rebuilding the file.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/profile.hpp"
#include "recorder/recorder.hpp"
#include "util/json_text.hpp"
#include "util/redact.hpp"
#include "util/regex.hpp"

namespace recorder {

// Headers a proxy does not pass on (hop-by-hop, framing and encoding: the proxy frames anew).
bool hop_by_hop(std::string_view name);
// An OAuth token request (either profile's style): a form POST with a grant_type.
bool is_token_request(const util::HttpRequest& r);
// The query as it goes on the wire ("a=1&b=2", encoded, in key order).
std::string query_text(const std::map<std::string, std::string>& query);

// What must not reach the file, learned from the whole recording first: credentials and tokens
// become "***"; values at the --redact pointers become stable placeholders ("redacted-1", ...).
class Scrubber {
 public:
  Scrubber(const RecordOptions& options, const client::Profile& profile) : options_(options), profile_(profile) {}
  void learn(const RecordedExchange& x);
  std::string text(std::string s) const;
  void json(util::Json& doc) const;
  // Grows whenever learn() finds a value not known before (what earlier text was scrubbed
  // without).
  std::size_t learned() const { return secrets_.secrets().size() + placeholders_.size(); }

 private:
  const RecordOptions& options_;
  const client::Profile& profile_;
  util::Redactor secrets_;
  std::map<std::string, std::string> placeholders_;
};

// The scenario's inputs read from the traffic with the profile's endpoint templates, one
// exchange at a time (the recorder adds each as it comes; a whole recording is the same loop).
class InputsFromTraffic {
 public:
  explicit InputsFromTraffic(const client::Profile& p);
  void add(const std::vector<RecordedExchange>& xs, std::size_t index);
  util::OrderedJson inputs(const std::vector<RecordedExchange>& xs, const Scrubber& scrub) const;

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
util::OrderedJson render_interaction(const RecordedExchange& x, const std::string& id, bool once, const Scrubber& scrub,
                                     const client::Profile& profile);
// The id of the i-th recorded exchange ("rec-03-queues"), unique among ids (which it joins).
std::string interaction_id(std::size_t i, const std::string& path, std::set<std::string>& ids);
// Two exchanges with the same request: the earlier answers once.
std::string request_key(const RecordedExchange& x);
// new_episodes: the file's inputs, completed by what this session's traffic shows.
util::OrderedJson merged_inputs(const util::Json& kept_inputs, const util::OrderedJson& derived);
// One interaction's text as it sits in the file: the document's nested objects have their keys
// sorted (it passes through util::Json), four spaces in.
std::string dump_item(const util::OrderedJson& item);

}  // namespace recorder
