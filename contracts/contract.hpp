// Contracts: a named schema plus its settings, loaded from the built-in set or a user's file,
// and the payload check that runs every contract and the lints over one body.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/lints.hpp"
#include "contracts/schema.hpp"
#include "contracts/violation.hpp"
#include "util/result.hpp"

namespace contracts {

struct Contract {
  std::string name;
  Schema schema;
  LintSettings lints;  // from the schema's "x-handover" block
};

// name_or_path: a built-in name ("transfer") or a path to a draft-07 schema file.
util::Result<Contract> load_contract(std::string_view name_or_path);
// Each of names loaded in order (a payload must satisfy them all); the first that fails is the error.
util::Result<std::vector<Contract>> load_contracts(const std::vector<std::string>& names);
std::vector<std::string> builtin_contract_names();
// The payload contract an API profile names ("contract"): a built-in profile (v2, cxone) or a
// profile file. The mock checks a fixture's validatePayload bodies with it by default.
util::Result<std::string> profile_contract_name(std::string_view profile_name_or_path);
// The profile's document as it is written (a built-in profile or a profile file).
util::Result<util::Json> profile_document(std::string_view profile_name_or_path);

// The schema document at an absolute URI: a built-in contract
// (https://contracts.handover-harness.local/<name>.schema.json) or a file:// URI.
std::optional<util::Json> load_schema_document(const std::string& uri);
// The base URI a contract loaded from name_or_path has (for resolving its relative $refs).
std::string contract_base_uri(std::string_view name_or_path);

// Parses text (INVALID_JSON with line:column on failure) and checks it against every contract
// and the lints. The result lists every violation, not only the first.
// padded_input: the kPayloadPadding bytes after text are readable (never written), so the text
// is parsed in place instead of being copied into a padded buffer.
std::vector<Violation> check_payload_text(const std::vector<Contract>& contracts, std::string_view text,
                                          bool padded_input = false);
inline constexpr std::size_t kPayloadPadding = 64;
inline bool has_payload_padding(const std::string& s) { return s.capacity() >= s.size() + kPayloadPadding; }
std::vector<Violation> check_payload(const std::vector<Contract>& contracts, const util::Json& payload,
                                     std::size_t size_bytes);

}  // namespace contracts
