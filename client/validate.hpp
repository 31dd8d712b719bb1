// validate: check handover payload files (and .jsonl streams, one payload per line) against one
// or more contracts plus the Cognigy lints, in parallel, and report every violation.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/catalogue.hpp"
#include "contracts/contract.hpp"
#include "util/result.hpp"

namespace client {

struct PayloadItem {
  std::string file;      // path as given, or "-" for stdin
  std::size_t line = 0;  // 1-based line in a .jsonl file; 0 for a whole file
  // The file's text, read once with spare capacity for the parser's read-ahead; the payloads of
  // a .jsonl file are views into it (no copy per line).
  std::shared_ptr<const std::string> buffer;
  std::string_view text;
  // Readable bytes after text for the parser: the rest of the file, then the spare capacity.
  bool padded() const {
    return buffer && text.data() + text.size() + contracts::kPayloadPadding <= buffer->data() + buffer->capacity();
  }
};

struct PayloadResult {
  PayloadItem item;
  std::vector<contracts::Violation> violations;
  std::string source() const { return item.line ? item.file + ":" + std::to_string(item.line) : item.file; }
};

// Expands files, directories (recursive *.json and *.jsonl) and "-" into payload items; a
// .jsonl file (or stdin with jsonl) gives one item per non-empty line.
util::Result<std::vector<PayloadItem>> collect_payloads(const std::vector<std::string>& inputs, bool stdin_jsonl);

std::vector<PayloadResult> validate_payloads(std::vector<PayloadItem> items,
                                             const std::vector<contracts::Contract>& contracts, unsigned jobs);

std::string render_validate_text(const std::vector<PayloadResult>& results, bool color);
std::string render_validate_json(const std::vector<PayloadResult>& results, const std::vector<std::string>& contracts);
std::string render_validate_junit(const std::vector<PayloadResult>& results);
// SARIF 2.1.0: one result per violation, located at the offending line and column of the file,
// so code scanning annotates the payload file in a pull request.
std::string render_validate_sarif(const std::vector<PayloadResult>& results, const contracts::Catalogue& catalogue);

// Where a violation points in the payload's file: its own position (INVALID_JSON), else the
// pointer or its nearest existing parent; a .jsonl payload's line is its line in the file.
util::TextPosition violation_position(const PayloadItem& item, const contracts::Violation& violation);

// XML text escaping (for JUnit).
std::string xml_escape(std::string_view s);

}  // namespace client
