// One redactor for every output path: known secret values (and the encodings they travel in)
// are replaced by "***" wherever they occur in text about to leave the process, and values at
// configured JSON pointers (customer names, phone numbers) are masked in JSON documents.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/json_text.hpp"

namespace util {

inline constexpr const char* kMask = "***";

// Secrets shorter than 4 characters are not replaced inside other text (they would mask
// ordinary words); such values are kept out of output by construction instead.
std::string redact(std::string text, const std::vector<std::string>& secrets);

// Calls fn on every value at pointer in doc ("*" segments: every array element or member). A
// string holding a JSON document is entered like the document ("/p4/customerName" reaches into
// a Signal parameter); it is re-serialized when fn changed something in it.
void for_each_at(Json& doc, std::string_view pointer, const std::function<void(Json&)>& fn);

class Redactor {
 public:
  // The value itself and the forms it takes on the wire: URL-encoded (form bodies) and
  // JSON-escaped (bodies, reports). Empty values are ignored.
  void add_secret(std::string_view value);
  // A JSON pointer whose value is masked in every document passed to json(); a "*" segment
  // stands for every array element or object member. "/" masks nothing (not the whole body).
  void add_pointer(std::string pointer);

  std::string text(std::string s) const { return redact(std::move(s), secrets_); }
  // Masks the configured pointers, then every string containing a secret. Values found at the
  // pointers are remembered as secrets too, so they are masked wherever else they appear.
  void json(Json& doc);
  // The same without learning new values.
  void json_const(Json& doc) const;

  const std::vector<std::string>& secrets() const { return secrets_; }
  const std::vector<std::string>& pointers() const { return pointers_; }
  // Whether a pointer named anything in a document masked so far (a typo names nothing, and
  // the value it meant would go out in clear: say so).
  bool matched(const std::string& pointer) const { return matched_.count(pointer) > 0; }

 private:
  void mask_pointers(Json& doc, std::vector<std::string>* learned) const;
  std::vector<std::string> secrets_;
  std::vector<std::string> pointers_;
  mutable std::set<std::string> matched_;
};

// RFC 6901: empty, or "/" followed by tokens in which "~" is only "~0" or "~1".
bool is_json_pointer(std::string_view pointer);

// A header whose value is a credential (Authorization, cookies, API keys, tokens, secrets,
// passwords), by name, in any case.
bool is_credential_header(std::string_view name);
// A form field or JSON member whose value is a credential: client_secret, password, username,
// refresh_token, assertion, access_token, id_token, and any name holding "secret" or "password".
bool is_credential_field(std::string_view name);

}  // namespace util
