// validate: check handover payload files (and .jsonl streams, one payload per line) against one
// or more contracts plus the Cognigy lints, in parallel, and report every violation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "client/worker_pool.hpp"
#include "contracts/catalogue.hpp"
#include "contracts/contract.hpp"
#include "util/file.hpp"
#include "util/result.hpp"

namespace client {

struct PayloadItem {
  // The path as given, or "-" for stdin: owned by whoever made the item (PayloadReader keeps
  // its sources' names for its whole life), not copied per payload.
  std::string_view file;
  std::size_t line = 0;  // 1-based line in a .jsonl file; 0 for a whole file
  // What holds the text (a whole file's string, a block of a .jsonl file): the payloads of a
  // block are views into it (no copy per line), and it lives while one of them does.
  std::shared_ptr<const void> owner;
  std::string_view text;
  // The end of the bytes readable after text (the rest of the block, then its spare room), for
  // the parser's read-ahead; null when nothing is known to be.
  const char* readable_end = nullptr;
  bool padded() const { return readable_end && text.data() + text.size() + contracts::kPayloadPadding <= readable_end; }
};

// The blocks a PayloadReader reads .jsonl text into: raw bytes (not zero-filled), handed back
// when the last payload viewing one is done and given out again, so that after the first batches
// reading touches no fresh memory. Blocks of kCapacity are carved four at a time from a 2 MB
// slab in huge pages (one page fault where 4 KB pages took 512: ~10 us each in a VM); a larger
// block (a long line) is its own allocation, freed when given back. Thread-safe (the last view
// may die anywhere).
class BlockPool {
 public:
  struct Block {
    char* bytes = nullptr;  // not zero-filled
    std::size_t capacity = 0;
    std::unique_ptr<char[]> owned;  // a larger block's own memory; null for a slab's
  };
  static constexpr std::size_t kCapacity = std::size_t{512} << 10;  // the blocks kept for reuse
  BlockPool() = default;
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;
  ~BlockPool();
  // A block of at least `size` bytes (a kept one when size fits kCapacity).
  Block take(std::size_t size);
  void give_back(Block block);

 private:
  static constexpr std::size_t kSlab = std::size_t{2} << 20;
  static_assert(kSlab % kCapacity == 0);
  std::mutex mu_;
  std::vector<Block> free_;
  std::vector<void*> slabs_;
};

// A block lent out by a BlockPool: what the payloads of one block keep alive (PayloadItem::owner),
// given back to the pool when the last of them is done.
class PooledBlock {
 public:
  PooledBlock(std::shared_ptr<BlockPool> pool, BlockPool::Block block)
      : pool_(std::move(pool)), block_(std::move(block)) {}
  PooledBlock(const PooledBlock&) = delete;
  PooledBlock& operator=(const PooledBlock&) = delete;
  ~PooledBlock();
  const char* bytes() const { return block_.bytes; }
  std::size_t capacity() const { return block_.capacity; }

 private:
  std::shared_ptr<BlockPool> pool_;
  BlockPool::Block block_;
};

struct PayloadResult {
  PayloadItem item;
  std::vector<contracts::Violation> violations;
  std::vector<std::string> parts;  // rendered for each report, in order (see ValidateReport::render)
  std::string source() const {
    std::string s(item.file);
    return item.line ? s + ":" + std::to_string(item.line) : s;
  }
};

// Reads payloads batch by batch: whole .json files, and .jsonl files (or stdin) in blocks of
// whole lines, so memory holds one batch (about 8 MB of text) whatever the input's size. Paths
// are expanded when opened (a missing file is an error before any payload is read).
class PayloadReader {
 public:
  static util::Result<PayloadReader> open(const std::vector<std::string>& inputs, bool stdin_jsonl);
  PayloadReader(PayloadReader&&) noexcept;
  PayloadReader& operator=(PayloadReader&&) = delete;
  ~PayloadReader();
  // The next payloads (batch is cleared first); false when none are left.
  util::Result<bool> next(std::vector<PayloadItem>& batch);

 private:
  struct Source {
    std::string name;  // "-" for stdin
    bool jsonl = false;
  };
  PayloadReader() = default;
  util::Status read_jsonl_block(std::vector<PayloadItem>& batch, std::size_t& bytes, std::size_t budget);
  std::vector<Source> sources_;
  std::size_t current_ = 0;
  int fd_ = -1;  // the open .jsonl source
  bool eof_ = false;
  std::size_t line_ = 0;         // lines of the open source handed out so far
  std::string carry_;            // the start of a line whose end is not read yet
  std::size_t batch_bytes_ = 0;  // text per batch: small at first, so other threads start soon
  std::uint64_t left_ = 0;       // bytes of the open source not read yet, if known (a file)
  std::shared_ptr<BlockPool> blocks_ = std::make_shared<BlockPool>();
};

// Validates items in parallel (jobs threads), results in input order. after, when given, runs on
// the worker thread right after each payload is validated (rendering its report parts while its
// text is in cache, in parallel).
std::vector<PayloadResult> validate_payloads(std::vector<PayloadItem> items,
                                             const std::vector<contracts::Contract>& contracts, unsigned jobs,
                                             const std::function<void(PayloadResult&)>& after = nullptr);

// validate_payloads on a pool: start_validating returns at once with the task the pool's
// threads run; the caller does its own work meanwhile, then runs the task too (it takes what is
// left), and the results are complete after pool.wait(). So `jobs` threads are a pool of jobs - 1
// and the caller: no more threads than cores compete for them.
std::function<void()> start_validating(WorkerPool& pool, std::vector<PayloadItem> items,
                                       const std::vector<contracts::Contract>& contracts,
                                       const std::function<void(PayloadResult&)>& after,
                                       std::vector<PayloadResult>& results);

struct ValidateTotals {
  std::size_t payloads = 0, invalid = 0, violations = 0;
};

// One report format (text, json, junit, sarif), streamed: each result's part is rendered as it
// comes (while its batch is in memory) and kept in a spill that moves to an anonymous temp file
// past a few MB; the head and tail, which hold the totals, are written once they are known. The
// output is the same document the whole-run renderer made.
class ValidateReport {
 public:
  // catalogue: the rules of a SARIF report (required for sarif, unused by the other formats).
  // out_direct: text parts written straight to out as they come (stdout), not spilled.
  // spill_at: bytes of parts kept in memory before they move to the temporary file.
  ValidateReport(std::string format, std::vector<std::string> contracts, const contracts::Catalogue* catalogue,
                 bool color, std::function<util::Status(std::string_view)> out_direct = nullptr,
                 std::size_t spill_at = 32u << 20);
  ValidateReport(ValidateReport&&) noexcept;
  ~ValidateReport();
  // The result's part of this report: thread-safe, so workers render in parallel; add_rendered
  // then appends it in order (with the separator the format needs).
  std::string render(const PayloadResult& result) const;
  util::Status add_rendered(std::string part);
  util::Status add(const PayloadResult& result) { return add_rendered(render(result)); }
  // The whole report to write (head, the parts, tail).
  util::Status finish(const ValidateTotals& totals, const std::function<util::Status(std::string_view)>& write);

 private:
  util::Status emit(std::string_view part);
  std::string format_;
  std::vector<std::string> contracts_;
  const contracts::Catalogue* catalogue_;
  bool color_;
  std::function<util::Status(std::string_view)> direct_;
  std::size_t parts_ = 0;
  std::string pending_;  // direct: the parts not written out yet
  util::Spill spill_;    // otherwise: the parts, in memory up to spill_at, then in a temporary file
};

// The whole run, streamed: batches from reader validated by this thread and the pool's (which
// also render each payload's part of every report; no pool: this thread alone) while this thread
// appends the previous batch's parts to the reports, in input order, and reads the next batch.
// Memory holds about two batches whatever the input's size. The reports are left to finish()
// with the totals. The caller makes the pool first thing, so that its threads are up and spinning
// by the first batch (client/worker_pool.cpp says what that saved).
util::Result<ValidateTotals> validate_stream(PayloadReader& reader, const std::vector<contracts::Contract>& contracts,
                                             WorkerPool* pool, std::vector<ValidateReport>& reports);

// Where a violation points in the payload's file: its own position (INVALID_JSON), else the
// pointer or its nearest existing parent; a .jsonl payload's line is its line in the file.
util::TextPosition violation_position(const PayloadItem& item, const contracts::Violation& violation);

// XML text escaping (for JUnit).
std::string xml_escape(std::string_view s);

}  // namespace client
