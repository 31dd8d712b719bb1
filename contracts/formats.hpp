// Private to the contracts module: what the validation walk checks of a string beyond its type
// ("format", and the length minLength and maxLength count).
#pragma once

#include <cstddef>
#include <string_view>

#include "contracts/schema_impl.hpp"

namespace contracts {

// Whether s is a valid value of the format (decided when the schema was compiled: no string
// comparisons per value). Formats the walk does not know are annotations in draft-07: true.
bool format_ok(FormatKind format, std::string_view s);
// The length of s in characters (code points of its UTF-8), as minLength and maxLength count it.
std::size_t utf8_length(std::string_view s);

}  // namespace contracts
