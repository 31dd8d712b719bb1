// Pact's XML bodies, compared as the Pact specification's XML test cases define: elements by
// namespace and local name (prefixes free), attributes as keys (order free; unexpected ones allowed
// in a response only), child elements grouped by name (order across names free, order within a
// name kept), text trimmed; a rule's path names elements, "@attribute" and "#text"
// ("$.animals.alligator['@phoneNumber']"). A type, min or max rule on an element makes its first
// child of each name the example for every actual child of that name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mockserver/matcher.hpp"
#include "mockserver/pact.hpp"

namespace mockserver::pact {

// application/xml, text/xml and any +xml type (lower case, without parameters).
bool is_xml_type(std::string_view content_type);

// Every difference between two XML bodies (a body that does not parse is one mismatch at "$",
// naming the offset). allow_unexpected: a response's Postel (extra attributes and children).
void match_xml(std::string_view expected, std::string_view actual, const Rules& rules, bool allow_unexpected,
               std::vector<Mismatch>& out);

}  // namespace mockserver::pact
