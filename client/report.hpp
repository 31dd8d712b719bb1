// Rendering a diagnose report: the step table for people, the SPEC §2 JSON document for tools.
// Every renderer masks the report's secrets.
#pragma once

#include <string>

#include "client/diagnose.hpp"
#include "util/json_text.hpp"

namespace client {

struct TextStyle {
  bool color = false;  // only on a TTY, never with NO_COLOR
};

std::string render_text(const DiagnoseReport& report, const TextStyle& style);
// Keys in the SPEC §2 order (tool, version, profile, classification, ...).
nlohmann::ordered_json report_json(const DiagnoseReport& report);
std::string render_json(const DiagnoseReport& report);

}  // namespace client
