// A payload violation: one thing wrong with a handover body, with where and how to fix it.
#pragma once

#include <string>

namespace contracts {

struct Violation {
  std::string code;      // SCHEMA_REQUIRED, UNRESOLVED_TEMPLATE, ... (SPEC §2)
  std::string pointer;   // RFC 6901 pointer into the payload
  std::string message;
  std::string hint;
  std::string contract;  // which contract (or lint set) reported it
};

}  // namespace contracts
