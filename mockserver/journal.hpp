// The request journal: a bounded ring of what arrived and which interaction answered it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "util/http.hpp"
#include "util/json_text.hpp"

namespace mockserver {

// Every member has a default: built with designated initializers naming only what is known.
struct JournalEntry {
  std::uint64_t seq = 0;
  std::string method{};
  std::string path{};
  std::string query{};  // raw, decoded pairs joined
  int status = 0;
  std::string interaction_id{};  // empty when unmatched
  std::string fixture{};
  std::string scenario{};     // the scenario the request named (prefix, header or default), else ""
  util::Json closest{};       // near-miss candidates when unmatched (array), else null
  util::Json violations{};    // payload violations when the interaction validates payloads, else null
  util::Json spec{};          // serve --spec: the request's operation and what breaks it, else null
  util::Json payload_form{};  // where the handover's parameters travelled (payload_form.hpp), else null
  std::string proxied{};      // serve --proxy-unmatched: the upstream that answered it, else ""
  // The request as it arrived (capture_request): credentials masked, the body bounded.
  std::chrono::system_clock::time_point time{};
  util::Headers headers{};
  std::map<std::string, std::string> query_params{};
  std::string body{};
  bool body_truncated = false;
  double latency_ms = 0;  // the engine's time plus the answer's delay
  std::size_t bytes = 0;  // entry_bytes, set when recorded
};

// The largest body a journal entry keeps; beyond it, the first bytes and body_truncated.
inline constexpr std::size_t kJournalBodyMax = std::size_t{8} * 1024;

// Fills the entry's time, headers, query and body from the request: credential headers
// (Authorization, cookies, API keys: util::is_credential_header) as "***", and in the body every
// credential field's value (util::is_credential_field, in a form or JSON body) and every value a
// credential header carried, so that no token is ever kept in clear.
void capture_request(JournalEntry& entry, const util::HttpRequest& request);

// The bytes an entry holds, for the journal's byte bound.
std::size_t entry_bytes(const JournalEntry& e);

class Journal {
 public:
  // Keeps the newest entries, at most limit of them and max_bytes in all (entry_bytes).
  explicit Journal(std::size_t limit = 10000, std::size_t max_bytes = 32u << 20)
      : limit_(limit), max_bytes_(max_bytes) {}

  void record(JournalEntry entry);
  std::vector<JournalEntry> snapshot() const;
  // The newest `limit` entries (0: all) that keep passes, oldest first.
  std::vector<JournalEntry> find(const std::function<bool(const JournalEntry&)>& keep, std::size_t limit = 0) const;
  std::size_t count(const std::function<bool(const JournalEntry&)>& keep) const;
  std::size_t bytes() const;
  std::vector<JournalEntry> unmatched() const;
  // The unmatched requests that named this scenario.
  std::vector<JournalEntry> unmatched_in(const std::string& scenario) const;
  void clear();
  void clear_scenario(const std::string& scenario);  // the entries that named it
  std::uint64_t total() const;

 private:
  mutable std::mutex mu_;
  std::deque<JournalEntry> entries_;
  std::size_t limit_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::uint64_t total_ = 0;
};

util::Json to_json(const JournalEntry& e);

}  // namespace mockserver
