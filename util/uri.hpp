// RFC 3986 reference resolution, as JSON Schema needs for $id and $ref.
#pragma once

#include <string>
#include <string_view>

namespace util {

// Resolves reference against base ("http://x/a/b.json" + "c.json#/d" -> "http://x/a/c.json#/d").
std::string resolve_uri(std::string_view base, std::string_view reference);

// The URI without its fragment.
std::string strip_fragment(std::string_view uri);

}  // namespace util
