// The request journal: a bounded ring of what arrived and which interaction answered it.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

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
};

class Journal {
 public:
  explicit Journal(std::size_t limit = 10000) : limit_(limit) {}

  void record(JournalEntry entry);
  std::vector<JournalEntry> snapshot() const;
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
  std::uint64_t total_ = 0;
};

util::Json to_json(const JournalEntry& e);

}  // namespace mockserver
