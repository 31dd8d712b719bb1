// Journal: bounded, thread-safe, snapshot on read.
#include "mockserver/journal.hpp"

namespace mockserver {

void Journal::record(JournalEntry entry) {
  std::lock_guard lock(mu_);
  entry.seq = ++total_;
  entries_.push_back(std::move(entry));
  while (entries_.size() > limit_) entries_.pop_front();
}

std::vector<JournalEntry> Journal::snapshot() const {
  std::lock_guard lock(mu_);
  return {entries_.begin(), entries_.end()};
}

std::vector<JournalEntry> Journal::unmatched() const {
  std::lock_guard lock(mu_);
  std::vector<JournalEntry> out;
  for (const auto& e : entries_)
    if (e.interaction_id.empty()) out.push_back(e);
  return out;
}

std::vector<JournalEntry> Journal::unmatched_in(const std::string& scenario) const {
  std::lock_guard lock(mu_);
  std::vector<JournalEntry> out;
  for (const auto& e : entries_)
    if (e.interaction_id.empty() && e.scenario == scenario) out.push_back(e);
  return out;
}

void Journal::clear_scenario(const std::string& scenario) {
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [&](const JournalEntry& e) { return e.scenario == scenario; });
}

void Journal::clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
}

std::uint64_t Journal::total() const {
  std::lock_guard lock(mu_);
  return total_;
}

util::Json to_json(const JournalEntry& e) {
  util::Json j = {{"seq", e.seq},
                  {"method", e.method},
                  {"path", e.path},
                  {"status", e.status},
                  {"matched", !e.interaction_id.empty()}};
  if (!e.query.empty()) j["query"] = e.query;
  if (!e.scenario.empty()) j["scenario"] = e.scenario;
  if (!e.interaction_id.empty()) {
    j["interaction"] = e.interaction_id;
    j["fixture"] = e.fixture;
  }
  if (!e.closest.is_null()) j["closest"] = e.closest;
  if (!e.violations.is_null()) j["violations"] = e.violations;
  if (!e.spec.is_null()) j["spec"] = e.spec;
  if (!e.payload_form.is_null()) j["payloadForm"] = e.payload_form;
  return j;
}

}  // namespace mockserver
