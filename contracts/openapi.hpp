// Schemas inside API descriptions: "FILE#/definitions/Name" (Swagger 2.0) or
// "FILE#/components/schemas/Name" (OpenAPI 3.0/3.1) as a contract. The named schema becomes the
// root of a document that keeps the description's definitions, so its internal $refs resolve;
// OpenAPI's own keywords are read as JSON Schema says them (nullable: null allowed), the
// informational ones (readOnly, writeOnly, discriminator, example, x-…) change nothing; a
// "format: uri" is read as uri-reference (vendors answer relative selfUris under it). A $ref to a
// definition an extract left out allows anything (the rest of the contract still holds).
#pragma once

#include <string>
#include <string_view>

#include "util/json_text.hpp"
#include "util/result.hpp"

namespace contracts {

// "swagger" 2.0 or "openapi" 3.x at the top of the document.
bool is_api_description(const util::Json& doc);

// The schema document for the schema at fragment (a JSON pointer such as
// "/components/schemas/Conversation") inside doc; an error names the fragment when nothing is
// there. source names the file in messages.
util::Result<util::Json> schema_at(const util::Json& doc, std::string_view fragment, std::string_view source);

// The same for the document in a file (at most 64 MB): "FILE#pointer" as contract and compat
// read it.
util::Result<util::Json> schema_in_file(const std::string& file, std::string_view fragment);

}  // namespace contracts
