// The validate command's engine and its four report formats.
#include "client/validate.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <iterator>
#include <memory>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "util/file.hpp"
#include "util/json_text.hpp"
#include "util/strings.hpp"

namespace client {

namespace {

constexpr std::size_t kMaxPayloadFile = 64u << 20;    // a .json file, a stdin document, one .jsonl line
constexpr std::size_t kBatchBytes = 1024u << 10;      // text per batch, after the first ones:
constexpr std::size_t kFirstBatchBytes = 128u << 10;  // 128 KB, doubled each batch up to 1 MB
constexpr std::size_t kBlockBytes = 128u << 10;       // one read of a .jsonl source

// Items for each non-blank line of text (held by owner, readable up to readable_end), numbered
// from first_line. Returns the newlines seen (one walk: the reader's line count comes from here).
std::size_t split_lines(std::string_view file, std::size_t first_line, const std::shared_ptr<const void>& owner,
                        std::string_view text, const char* readable_end, std::vector<PayloadItem>& out) {
  std::size_t line = first_line, start = 0, newlines = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    std::string_view row(text.data() + start, (nl == std::string_view::npos ? text.size() : nl) - start);
    if (!util::trim(row).empty()) out.push_back(PayloadItem{file, line, owner, row, readable_end});
    ++line;
    if (nl == std::string_view::npos) break;
    ++newlines;
    start = nl + 1;
  }
  return newlines;
}

}  // namespace

util::Result<PayloadReader> PayloadReader::open(const std::vector<std::string>& inputs, bool stdin_jsonl) {
  PayloadReader r;
  for (const auto& input : inputs) {
    if (input == "-") {
      r.sources_.push_back({"-", stdin_jsonl});
      continue;
    }
    TRY_ASSIGN(auto files, util::expand_paths({input}, {".json", ".jsonl"}));
    for (const auto& f : files) r.sources_.push_back({f.string(), f.extension() == ".jsonl"});
  }
  return r;
}

PayloadReader::PayloadReader(PayloadReader&& o) noexcept
    : sources_(std::move(o.sources_)),
      current_(o.current_),
      fd_(std::exchange(o.fd_, -1)),
      eof_(o.eof_),
      line_(o.line_),
      carry_(std::move(o.carry_)),
      batch_bytes_(o.batch_bytes_),
      left_(o.left_) {}

PayloadReader::~PayloadReader() {
  if (fd_ >= 0) ::close(fd_);
}

BlockPool::~BlockPool() {
  for (void* slab : slabs_) util::huge_page_deallocate(slab, kSlab);
}

BlockPool::Block BlockPool::take(std::size_t size) {
  if (size > kCapacity) {
    Block b;
    b.owned = std::make_unique_for_overwrite<char[]>(size);
    b.bytes = b.owned.get();
    b.capacity = size;
    return b;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (free_.empty()) {
    char* slab = static_cast<char*>(util::huge_page_allocate(kSlab));
    slabs_.push_back(slab);
    for (std::size_t at = kSlab; at > 0; at -= kCapacity) free_.push_back(Block{slab + at - kCapacity, kCapacity, {}});
  }
  Block b = std::move(free_.back());
  free_.pop_back();
  return b;
}

PooledBlock::~PooledBlock() {
  if (pool_ && block_.bytes) pool_->give_back(std::move(block_));
}

void BlockPool::give_back(Block block) {
  if (block.owned) return;  // a block grown for a long line is freed
  std::lock_guard<std::mutex> lock(mu_);
  free_.push_back(std::move(block));
}

// One block of whole lines from the open .jsonl source (the partial last line waits for the
// next block); at the end of the source, closes it. Read straight into a block of the pool, as
// much as it holds (a line longer than that grows it).
util::Status PayloadReader::read_jsonl_block(std::vector<PayloadItem>& batch, std::size_t& bytes, std::size_t budget) {
  const Source& src = sources_[current_];
  constexpr std::size_t kPad = contracts::kPayloadPadding;
  BlockPool::Block block = blocks_->take(carry_.size() + kBlockBytes + kPad);
  std::size_t used = carry_.size();
  std::memcpy(block.bytes, carry_.data(), used);
  carry_.clear();
  while (true) {
    // What the block holds is the start of one line (no newline read since): past the limit, stop.
    if (used > kMaxPayloadFile)
      return util::make_error(src.name + ":" + std::to_string(line_ + 1) + ": a line longer than the limit of " +
                              std::to_string(kMaxPayloadFile) + " bytes (is this JSON Lines?)");
    if (block.capacity < used + kBlockBytes + kPad) {  // a line longer than the block: a larger one
      BlockPool::Block larger = blocks_->take(std::max(2 * block.capacity, used + kBlockBytes + kPad));
      std::memcpy(larger.bytes, block.bytes, used);
      blocks_->give_back(std::exchange(block, std::move(larger)));
    }
    // Never more than one byte past the limit: a line that long is refused, however the reads fall.
    // And no more than the batch still wants (but a whole read): the first and last batches are small.
    const std::size_t want =
        std::min({block.capacity - used - kPad, kMaxPayloadFile + 1 - used, std::max(budget, kBlockBytes)});
    ssize_t n;
    do n = ::read(fd_, block.bytes + used, want);
    while (n < 0 && errno == EINTR);
    if (n < 0) return util::make_error(src.name + ": read error: " + std::strerror(errno));
    left_ -= std::min(left_, static_cast<std::uint64_t>(n));
    if (n == 0) {
      eof_ = true;
      break;
    }
    const char* fresh = block.bytes + used;
    used += static_cast<std::size_t>(n);
    // The last newline, looked for in the bytes just read (what came before holds none).
    if (const void* hit = ::memrchr(fresh, '\n', static_cast<std::size_t>(n))) {
      std::size_t nl = static_cast<std::size_t>(static_cast<const char*>(hit) - block.bytes);
      carry_.assign(block.bytes + nl + 1, used - nl - 1);
      used = nl + 1;
      break;
    }
  }
  bytes += used;
  auto owner = std::make_shared<const PooledBlock>(blocks_, std::move(block));
  const char* start = owner->bytes();
  std::string_view text(start, used);
  line_ += split_lines(src.name, line_ + 1, owner, text, start + owner->capacity(), batch);
  return {};
}

util::Result<bool> PayloadReader::next(std::vector<PayloadItem>& batch) {
  batch.clear();
  std::size_t bytes = 0;
  batch_bytes_ = batch_bytes_ ? std::min(2 * batch_bytes_, kBatchBytes) : kFirstBatchBytes;
  std::size_t target = batch_bytes_;
  // Full when what was read, the partial last line too, comes within 1/16 of the target (a block
  // of 512 KB holds a little less than 512 KB of text: no extra read of a block for the rest).
  while (bytes + carry_.size() + target / 16 < target && current_ < sources_.size()) {
    const Source& src = sources_[current_];
    if (src.jsonl) {
      if (fd_ < 0 && !eof_) {
        fd_ = src.name == "-" ? ::dup(0) : ::open(src.name.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) return util::make_error(src.name + ": cannot open: " + std::strerror(errno));
        line_ = 0;
        carry_.clear();
        struct stat st {};
        left_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : UINT64_MAX;
      }
      // The last batches of a file shrink by halves, so that the one this thread appends alone at
      // the end, the other threads idle, is small.
      if (bytes == 0 && left_ < 2 * target) target = std::max<std::size_t>(kFirstBatchBytes, left_ / 2);
      TRY(read_jsonl_block(batch, bytes, target - bytes - carry_.size()));
      if (eof_) {
        ::close(fd_);
        fd_ = -1;
        eof_ = false;
        ++current_;
      }
      continue;
    }
    util::Result<std::string> text = util::make_error("");
    if (src.name == "-") {
      std::string all(std::istreambuf_iterator<char>(std::cin), {});
      if (all.size() > kMaxPayloadFile)
        return util::make_error("-: standard input is larger than the limit of " + std::to_string(kMaxPayloadFile) +
                                " bytes (for JSON Lines give --jsonl)");
      all.reserve(all.size() + contracts::kPayloadPadding);
      text = std::move(all);
    } else {
      text = util::read_file(src.name, kMaxPayloadFile, contracts::kPayloadPadding);
    }
    if (!text) return text.error();
    bytes += text->size();
    auto buffer = std::make_shared<const std::string>(std::move(*text));
    batch.push_back(PayloadItem{src.name, 0, buffer, *buffer, buffer->data() + buffer->capacity()});
    ++current_;
  }
  return !batch.empty() || current_ < sources_.size();  // a block of blank lines is an empty batch
}

namespace {

// Validates the results not claimed yet, a run of neighbours at a time: one atomic step per run,
// not per payload, and each thread writes its own stretch of results (claimed one by one, two
// threads wrote neighbouring results on every payload and fought over the counter's and the
// results' cache lines: 37 % more CPU with --jobs 2 on 20,000 small payloads). Runs shrink with
// what is left (an eighth of it, at most 64), so that the threads finish a batch together instead
// of one waiting on the other's last run of 64 (~150 us a batch).
void validate_claimed(std::atomic<std::size_t>& next, std::vector<PayloadResult>& results,
                      const std::vector<contracts::Contract>& contracts,
                      const std::function<void(PayloadResult&)>& after) {
  const std::size_t n = results.size();
  for (std::size_t start = next.load(std::memory_order_relaxed); start < n;) {
    const std::size_t claim = std::clamp<std::size_t>((n - start) / 8, 1, 64);
    if (!next.compare_exchange_weak(start, start + claim, std::memory_order_relaxed)) continue;  // start reloaded
    const std::size_t end = std::min(start + claim, n);
    for (std::size_t i = start; i < end; ++i) {
      results[i].violations = contracts::check_payload_text(contracts, results[i].item.text, results[i].item.padded());
      if (after) after(results[i]);
    }
    start = next.load(std::memory_order_relaxed);
  }
}

}  // namespace

std::vector<PayloadResult> validate_payloads(std::vector<PayloadItem> items,
                                             const std::vector<contracts::Contract>& contracts, unsigned jobs,
                                             const std::function<void(PayloadResult&)>& after) {
  std::vector<PayloadResult> results(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) results[i].item = std::move(items[i]);
  std::atomic<std::size_t> next{0};
  auto worker = [&] { validate_claimed(next, results, contracts, after); };
  jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(results.size())));
  std::vector<std::thread> pool;
  for (unsigned j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return results;
}

std::function<void()> start_validating(WorkerPool& pool, std::vector<PayloadItem> items,
                                       const std::vector<contracts::Contract>& contracts,
                                       const std::function<void(PayloadResult&)>& after,
                                       std::vector<PayloadResult>& results) {
  results.clear();
  results.resize(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) results[i].item = std::move(items[i]);
  auto next = std::make_shared<std::atomic<std::size_t>>(0);
  std::function<void()> task = [next, &results, &contracts, after] {  // after by value: may be a temporary
    validate_claimed(*next, results, contracts, after);
  };
  pool.start(task);
  return task;
}

util::Result<ValidateTotals> validate_stream(PayloadReader& reader, const std::vector<contracts::Contract>& contracts,
                                             WorkerPool* pool, std::vector<ValidateReport>& reports) {
  ValidateTotals totals;
  auto render_parts = [&](PayloadResult& r) {
    r.parts.reserve(reports.size());
    for (const auto& report : reports) r.parts.push_back(report.render(r));
  };
  auto append = [&](std::vector<PayloadResult>& results) -> util::Status {
    for (auto& r : results) {
      ++totals.payloads;
      totals.invalid += r.violations.empty() ? 0 : 1;
      totals.violations += r.violations.size();
      for (std::size_t k = 0; k < reports.size(); ++k)
        if (auto st = reports[k].add_rendered(std::move(r.parts[k])); !st) return st;
    }
    results.clear();
    return {};
  };
  std::vector<PayloadItem> batch, next_batch;
  std::vector<PayloadResult> done, working;
  TRY_ASSIGN(auto first, reader.next(batch));
  bool more = first;
  while (more) {
    util::Result<bool> read_ahead = false;
    util::Status appended;
    if (pool) {
      auto task = start_validating(*pool, std::move(batch), contracts, render_parts, working);
      appended = append(done);
      if (appended) read_ahead = reader.next(next_batch);
      task();  // this thread takes what the pool has not
      pool->wait();
    } else {
      appended = append(done);
      working = validate_payloads(std::move(batch), contracts, 1, render_parts);
      read_ahead = reader.next(next_batch);
    }
    if (!appended) return appended.error();
    if (!read_ahead) return read_ahead.error();
    more = *read_ahead;
    std::swap(batch, next_batch);
    std::swap(done, working);
  }
  TRY(append(done));
  return totals;
}

util::TextPosition violation_position(const PayloadItem& item, const contracts::Violation& v) {
  util::TextPosition pos;
  if (v.line) {
    pos = {v.line, v.column};
  } else if (!v.pointer.empty()) {
    std::string p = v.pointer;
    while (true) {
      if (auto at = util::locate_pointer(item.text, p)) {
        pos = *at;
        break;
      }
      auto slash = p.rfind('/');
      if (slash == std::string::npos || p.empty()) break;
      p.resize(slash);  // a missing member: point at its parent object
    }
  }
  if (item.line) pos.line = item.line;  // .jsonl: one payload per line of the file
  return pos;
}

std::string xml_escape(std::string_view s) { return util::escape_markup(s, util::Markup::xml); }

namespace {

using OJson = util::OrderedJson;

// A document whose array under key is left empty, split around it: the text before its items,
// the text after, and the indentation of an item, so items dumped one by one make the same
// document as dumping it whole.
struct ArraySplit {
  std::string head, tail;
  std::size_t indent = 0;
};

ArraySplit split_at_array(const OJson& doc, const std::string& key) {
  std::string text = util::dump_pretty(doc);
  std::string marker = "\"" + key + "\": []";
  auto at = text.rfind(marker);
  auto line_start = text.rfind('\n', at);
  std::size_t indent = at - (line_start == std::string::npos ? 0 : line_start + 1);
  std::size_t open = at + marker.size() - 1;  // the ']'
  return {text.substr(0, open), text.substr(open) + "\n", indent + 2};
}

std::string indented(const OJson& item, std::size_t indent) {
  std::string text = util::dump_pretty(item);
  std::string pad(indent, ' '), out = pad;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

std::string text_part(const PayloadResult& r, bool color) {
  auto paint = [&](const std::string& t, const char* c) { return color ? std::string(c) + t + "\033[0m" : t; };
  if (r.violations.empty()) return paint("ok  ", "\033[32m") + "  " + r.source() + "\n";
  std::string out = paint("FAIL", "\033[1;31m") + "  " + r.source() + "\n";
  for (const auto& v : r.violations) {
    std::string code = v.code;
    code.resize(std::max<std::size_t>(code.size(), 26), ' ');
    auto pos = violation_position(r.item, v);
    std::string where = v.pointer.empty() ? "(whole payload)" : v.pointer;
    where += " (" + std::string(r.item.file) + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ")";
    out += "      " + paint(code, "\033[33m") + " " + where + "  " + v.message + "  [" + v.contract + "]\n";
    if (!v.hint.empty()) out += "      " + std::string(27, ' ') + "hint: " + v.hint + "\n";
  }
  return out;
}

// One result as the JSON report's array item, indented as it sits in the document: written
// directly (the same bytes nlohmann's dump of the whole report made, checked by the e2e tests),
// because building and dumping a JSON value per payload was most of a large run's time.
std::string json_part(const PayloadResult& r) {
  std::string out = "    {\n      \"source\": ";
  util::append_json_string(out, r.source());
  out += ",\n      \"file\": ";
  util::append_json_string(out, r.item.file);
  if (r.item.line) out += ",\n      \"line\": " + std::to_string(r.item.line);
  out += r.violations.empty() ? ",\n      \"valid\": true,\n      \"violations\": []\n    }"
                              : ",\n      \"valid\": false,\n      \"violations\": [";
  if (r.violations.empty()) return out;
  bool first = true;
  for (const auto& v : r.violations) {
    auto at = violation_position(r.item, v);  // the line and column in the file, as text and SARIF show
    out += first ? "\n        {\n          \"code\": " : ",\n        {\n          \"code\": ";
    first = false;
    util::append_json_string(out, v.code);
    out += ",\n          \"pointer\": ";
    util::append_json_string(out, v.pointer);
    out += ",\n          \"line\": " + std::to_string(at.line) +
           ",\n          \"column\": " + std::to_string(at.column) + ",\n          \"message\": ";
    util::append_json_string(out, v.message);
    out += ",\n          \"hint\": ";
    util::append_json_string(out, v.hint);
    out += ",\n          \"contract\": ";
    util::append_json_string(out, v.contract);
    out += "\n        }";
  }
  return out + "\n      ]\n    }";
}

std::string junit_part(const PayloadResult& r) {
  std::string out = "    <testcase classname=\"validate\" name=\"" + xml_escape(r.source()) + "\"";
  if (r.violations.empty()) return out + "/>\n";
  std::string body;
  for (const auto& v : r.violations)
    body += v.code + " " + (v.pointer.empty() ? "/" : v.pointer) + ": " + v.message +
            (v.hint.empty() ? "" : " (hint: " + v.hint + ")") + "\n";
  return out + ">\n      <failure type=\"" + xml_escape(r.violations.front().code) + "\" message=\"" +
         xml_escape(std::to_string(r.violations.size()) + " violation(s), first: " + r.violations.front().code) +
         "\">" + xml_escape(body) + "</failure>\n    </testcase>\n";
}

// SARIF 2.1.0: one result per violation, located at the offending line and column of the file,
// so code scanning annotates the payload file in a pull request.
std::vector<OJson> sarif_items(const PayloadResult& r) {
  std::vector<OJson> out;
  for (const auto& v : r.violations) {
    util::TextPosition pos = violation_position(r.item, v);
    std::string uri = r.item.file == "-" ? "stdin" : std::string(r.item.file);
    if (uri.starts_with("./")) uri = uri.substr(2);
    OJson loc = {{"physicalLocation",
                  {{"artifactLocation", {{"uri", uri}}},
                   {"region",
                    {{"startLine", std::max<std::size_t>(1, pos.line)},
                     {"startColumn", std::max<std::size_t>(1, pos.column)}}}}}};
    if (!v.pointer.empty())
      loc["logicalLocations"] = OJson::array({{{"fullyQualifiedName", v.pointer}, {"kind", "member"}}});
    out.push_back(
        {{"ruleId", v.code},
         {"level", "error"},
         {"message",
          {{"text", v.message + (v.hint.empty() ? "" : ". Hint: " + v.hint) + " [contract: " + v.contract + "]"}}},
         {"locations", OJson::array({loc})}});
  }
  return out;
}

OJson sarif_document(const contracts::Catalogue& catalogue) {
  OJson rules = OJson::array();
  for (const auto& e : catalogue.entries()) {
    if (e.kind != "violation") continue;
    std::string help;
    for (std::size_t i = 0; i < e.fix.size(); ++i) help += std::to_string(i + 1) + ". " + e.fix[i] + "\n";
    rules.push_back({{"id", e.code},
                     {"name", e.title},
                     {"shortDescription", {{"text", e.title}}},
                     {"fullDescription", {{"text", e.cause}}},
                     {"help", {{"text", help}}},
                     {"defaultConfiguration", {{"level", "error"}}}});
  }
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs",
           OJson::array(
               {{{"tool", {{"driver", {{"name", "handover-diag"}, {"version", HARNESS_VERSION}, {"rules", rules}}}}},
                 {"results", OJson::array()}}})}};
}

}  // namespace

ValidateReport::ValidateReport(std::string format, std::vector<std::string> contracts,
                               const contracts::Catalogue* catalogue, bool color,
                               std::function<util::Status(std::string_view)> out_direct, std::size_t spill_at)
    : format_(std::move(format)),
      contracts_(std::move(contracts)),
      catalogue_(catalogue),
      color_(color),
      direct_(format_ == "text" ? std::move(out_direct) : nullptr),
      spill_(spill_at) {}

ValidateReport::ValidateReport(ValidateReport&& o) noexcept
    : format_(std::move(o.format_)),
      contracts_(std::move(o.contracts_)),
      catalogue_(o.catalogue_),
      color_(o.color_),
      direct_(std::move(o.direct_)),
      parts_(o.parts_),
      pending_(std::move(o.pending_)),
      spill_(std::move(o.spill_)) {}

ValidateReport::~ValidateReport() = default;

util::Status ValidateReport::emit(std::string_view part) {
  ++parts_;
  if (!direct_) return spill_.append(part);  // kept in memory, then in a temporary file
  pending_.append(part);                     // straight out, in writes of 64 KB
  if (pending_.size() < (64u << 10)) return {};
  auto st = direct_(pending_);
  pending_.clear();
  return st;
}

std::string ValidateReport::render(const PayloadResult& r) const {
  if (format_ == "json") return json_part(r);
  if (format_ == "junit") return junit_part(r);
  if (format_ == "sarif") {
    std::string out;
    for (const auto& item : sarif_items(r)) out += (out.empty() ? "" : ",\n") + indented(item, 8);
    return out;
  }
  return text_part(r, color_);
}

util::Status ValidateReport::add_rendered(std::string part) {
  // json and sarif parts are items of an array: a comma between them, none before the first.
  if (format_ == "json" || format_ == "sarif") {
    if (part.empty()) return {};  // a valid payload has no SARIF result
    part.insert(0, parts_ ? ",\n" : "\n");
  }
  return emit(part);
}

util::Status ValidateReport::finish(const ValidateTotals& t,
                                    const std::function<util::Status(std::string_view)>& write) {
  std::string head, tail;
  if (format_ == "json") {
    OJson doc = {{"tool", "handover-diag"}, {"version", HARNESS_VERSION}, {"command", "validate"},
                 {"contracts", contracts_}, {"payloads", t.payloads},     {"valid", t.payloads - t.invalid},
                 {"invalid", t.invalid},    {"results", OJson::array()}};
    auto split = split_at_array(doc, "results");
    head = split.head;
    tail = (parts_ ? "\n" + std::string(split.indent - 2, ' ') : "") + split.tail;
  } else if (format_ == "junit") {
    head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"handover-diag validate\" tests=\"" +
           std::to_string(t.payloads) + "\" failures=\"" + std::to_string(t.invalid) + "\">\n" +
           "  <testsuite name=\"payload contracts\" tests=\"" + std::to_string(t.payloads) + "\" failures=\"" +
           std::to_string(t.invalid) + "\" errors=\"0\">\n";
    tail = "  </testsuite>\n</testsuites>\n";
  } else if (format_ == "sarif") {
    auto split = split_at_array(sarif_document(*catalogue_), "results");
    head = split.head;
    tail = (parts_ ? "\n" + std::string(split.indent - 2, ' ') : "") + split.tail;
  } else {
    tail = std::to_string(t.payloads - t.invalid) + " passed, " + std::to_string(t.invalid) + " failed (" +
           std::to_string(t.violations) + " violation" + (t.violations == 1 ? "" : "s") + ")\n";
  }
  if (auto st = write(head); !st) return st;
  if (auto st = spill_.copy_to(write); !st) return st;
  if (auto st = write(pending_); !st) return st;
  return write(tail);
}

}  // namespace client
