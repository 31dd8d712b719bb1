// One redactor for every output path: known secret values are replaced by "***" wherever
// they occur in text about to leave the process.
#pragma once

#include <string>
#include <vector>

namespace util {

inline constexpr const char* kMask = "***";

// Secrets shorter than 4 characters are not replaced inside other text (they would mask
// ordinary words); such values are kept out of output by construction instead.
std::string redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace util
