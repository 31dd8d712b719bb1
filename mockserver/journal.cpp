// Journal: bounded, thread-safe, snapshot on read.
#include "mockserver/journal.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "util/redact.hpp"
#include "util/strings.hpp"

namespace mockserver {

std::size_t entry_bytes(const JournalEntry& e) {
  std::size_t n = sizeof(JournalEntry) + e.method.size() + e.path.size() + e.query.size() + e.body.size() +
                  e.interaction_id.size() + e.fixture.size() + e.scenario.size() + e.proxied.size();
  for (const auto& [k, v] : e.headers) n += k.size() + v.size() + 64;
  for (const auto& [k, v] : e.query_params) n += k.size() + v.size() + 64;
  // The JSON members (near misses, violations): what they print to, a fair measure of their size.
  for (const auto* j : {&e.closest, &e.violations, &e.spec, &e.payload_form})
    if (!j->is_null()) n += 2 * j->dump(-1, ' ', false, util::kInvalidUtf8Replaced).size();
  return n;
}

void Journal::record(JournalEntry entry) {
  entry.bytes = entry_bytes(entry);
  std::lock_guard lock(mu_);
  entry.seq = ++total_;
  bytes_ += entry.bytes;
  entries_.push_back(std::move(entry));
  while (entries_.size() > limit_ || (bytes_ > max_bytes_ && entries_.size() > 1)) {
    bytes_ -= entries_.front().bytes;
    entries_.pop_front();
  }
}

std::vector<JournalEntry> Journal::find(const std::function<bool(const JournalEntry&)>& keep, std::size_t limit) const {
  std::lock_guard lock(mu_);
  std::vector<JournalEntry> out;
  for (auto it = entries_.rbegin(); it != entries_.rend() && (limit == 0 || out.size() < limit); ++it)
    if (keep(*it)) out.push_back(*it);
  std::reverse(out.begin(), out.end());
  return out;
}

std::size_t Journal::count(const std::function<bool(const JournalEntry&)>& keep) const {
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(std::count_if(entries_.begin(), entries_.end(), keep));
}

std::size_t Journal::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

void capture_request(JournalEntry& entry, const util::HttpRequest& request) {
  entry.time = std::chrono::system_clock::now();
  entry.query_params = request.query;
  util::Redactor secrets;
  for (const auto& [name, value] : request.headers) {
    if (!util::is_credential_header(name)) {
      entry.headers.add(name, value);
      continue;
    }
    entry.headers.add(name, util::kMask);
    secrets.add_secret(value);
    if (auto space = value.find(' '); space != std::string::npos) secrets.add_secret(value.substr(space + 1));
  }
  for (auto& [k, v] : entry.query_params)
    if (util::is_credential_field(k)) {
      secrets.add_secret(v);
      v = util::kMask;
    }
  std::string_view body = request.body;
  entry.body_truncated = body.size() > kJournalBodyMax;
  if (entry.body_truncated) body = body.substr(0, kJournalBodyMax);
  if (body.empty()) return;
  // Credential fields by name: a form's fields, a JSON body's members at any depth.
  for (const auto& [k, v] : util::parse_form(request.body))
    if (util::is_credential_field(k)) secrets.add_secret(v);
  if (request.body.find_first_of("{[") != std::string::npos) {
    util::Json doc = util::parse_json_lenient(request.body, 64);
    std::vector<const util::Json*> todo{&doc};
    while (!todo.empty()) {
      const util::Json* j = todo.back();
      todo.pop_back();
      if (j->is_object()) {
        for (const auto& [k, v] : j->items()) {
          if (util::is_credential_field(k) && v.is_string()) secrets.add_secret(v.get<std::string>());
          todo.push_back(&v);
        }
      } else if (j->is_array()) {
        for (const auto& v : *j) todo.push_back(&v);
      }
    }
  }
  entry.body = secrets.secrets().empty() ? std::string(body) : secrets.text(std::string(body));
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
  std::erase_if(entries_, [&](const JournalEntry& e) {
    if (e.scenario != scenario) return false;
    bytes_ -= e.bytes;
    return true;
  });
}

void Journal::clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
  bytes_ = 0;
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
  if (!e.proxied.empty()) j["proxied"] = e.proxied;
  if (!e.closest.is_null()) j["closest"] = e.closest;
  if (!e.violations.is_null()) j["violations"] = e.violations;
  if (!e.spec.is_null()) j["spec"] = e.spec;
  if (!e.payload_form.is_null()) j["payloadForm"] = e.payload_form;
  if (e.time != std::chrono::system_clock::time_point{}) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.time.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&secs, &utc);
    char text[32];
    std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms % 1000));
    j["time"] = text;
    j["latencyMs"] = std::round(e.latency_ms * 1000) / 1000;
    util::Json headers = util::Json::object();
    for (const auto& [k, v] : e.headers) headers[k] = v;
    j["headers"] = std::move(headers);
    if (!e.body.empty()) j["body"] = e.body;
    if (e.body_truncated) j["bodyTruncated"] = true;
  }
  return j;
}

}  // namespace mockserver
