// The error catalogue (contracts/catalogue.json): every classification and violation code with
// its cause and fix, and the rules mapping (step, HTTP status, error body) to a code. Data, not
// code: a new error shape is a new rule plus a fixture.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "util/regex.hpp"

#include "util/json_text.hpp"
#include "util/result.hpp"

namespace contracts {

struct CatalogueEntry {
  std::string code;
  std::string kind;  // "classification", "violation" (a payload's) or "flow" (handover-diag flows)
  std::string title;
  std::string cause;
  std::vector<std::string> fix;  // numbered steps
};

struct BodyCondition {
  std::string pointer;  // empty: match the raw body text
  std::string source;
  util::Regex re;
};

struct Rule {
  std::string id;
  std::vector<std::string> steps;   // empty: any step
  std::vector<int> statuses;        // exact statuses
  std::vector<int> status_classes;  // 4 for "4xx", 5 for "5xx"
  std::vector<BodyCondition> body;  // all must hold
  std::string code;
};

struct RuleMatch {
  std::string code;
  std::string rule_id;
};

class Catalogue {
 public:
  static util::Result<Catalogue> parse(std::string_view text, std::string_view source);
  static util::Result<Catalogue> builtin();

  const CatalogueEntry* find(std::string_view code) const;
  const std::vector<CatalogueEntry>& entries() const { return entries_; }
  const std::vector<Rule>& rules() const { return rules_; }

  // The first rule that holds for this step's HTTP answer; body may be null when not JSON.
  std::optional<RuleMatch> classify(std::string_view step, int status, const util::Json* body,
                                    std::string_view body_text) const;

  // What to lift out of an error answer as evidence.
  const std::vector<std::string>& evidence_headers() const { return evidence_headers_; }
  const std::vector<std::string>& evidence_pointers() const { return evidence_pointers_; }

 private:
  std::vector<CatalogueEntry> entries_;
  std::vector<Rule> rules_;
  std::vector<std::string> evidence_headers_;
  std::vector<std::string> evidence_pointers_;
};

}  // namespace contracts
