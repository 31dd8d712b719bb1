// Small string helpers shared by every module (ASCII case folding, splitting, URL coding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace util {

std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// Percent-decoding ('+' as space when form is true) and encoding of unreserved characters.
std::string url_decode(std::string_view s, bool form = false);
std::string url_encode(std::string_view s);

// application/x-www-form-urlencoded or a query string: name -> value (last one wins).
std::map<std::string, std::string> parse_form(std::string_view body);
std::string build_form(const std::vector<std::pair<std::string, std::string>>& fields);

// Levenshtein distance, for "did you mean" hints.
// Past bound the exact figure is not computed: bound + 1 means "more than bound".
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t bound = SIZE_MAX - 1);
// The candidate nearest to word (case-insensitive), or "" if none is close enough; one that
// differs only in its digits (p1 for p3) is another member of a numbered family, never offered.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
std::string closest_match_views(std::string_view word,
                                const std::vector<std::string_view>& candidates);  // the same, no copies

// "Billing Support", "billing_queue": a letter, and a character beyond hex digits and '-' (a space,
// an underscore, a letter past f), so not an ID that lost a character: a display name where an ID
// belongs.
bool looks_like_display_name(std::string_view s);

// The non-empty segments of a URL path ("/a//b/" -> a, b).
std::vector<std::string> path_segments(std::string_view path);

bool is_uuid(std::string_view s);

// RFC 4648 base64 with padding (HTTP Basic credentials).
std::string base64_encode(std::string_view bytes);
// Base64 or base64url, padding optional (JWT segments); nullopt on a character outside both.
std::optional<std::string> base64_decode(std::string_view text);

// Text for HTML or XML content and attribute values: & < > " ' as references (' as &#39; in
// HTML, &apos; in XML); with xml, the control characters XML 1.0 forbids even escaped become '?'.
enum class Markup { html, xml };
std::string escape_markup(std::string_view s, Markup markup);

// First n bytes of s, cut at a UTF-8 boundary, with "…" when cut.
std::string excerpt(std::string_view s, std::size_t n);

}  // namespace util
