// Response generators: Pact's "generators" read (with the types we do not generate said, not
// dropped silently), and fresh values put into each answer.
#include "mockserver/generators.hpp"

#include <array>
#include <ctime>
#include <functional>
#include <random>

#include "util/strings.hpp"

namespace mockserver {

namespace {

using Kind = Generator::Kind;

constexpr int kMaxDigits = 15;         // RandomDecimal: what a double holds exactly
constexpr int kMaxHexDigits = 1024;    // RandomHexadecimal
constexpr int kMaxStringSize = 65536;  // RandomString
constexpr std::size_t kMaxGenerators = 1024;

std::mt19937_64& rng() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

long long random_between(long long lo, long long hi) { return std::uniform_int_distribution<long long>(lo, hi)(rng()); }

std::string random_from(std::string_view alphabet, std::size_t n) {
  std::string out(n, ' ');
  for (auto& c : out)
    c = alphabet[static_cast<std::size_t>(random_between(0, static_cast<long long>(alphabet.size()) - 1))];
  return out;
}

std::string uuid(const std::string& format) {
  std::array<unsigned char, 16> b{};
  for (auto& x : b) x = static_cast<unsigned char>(random_between(0, 255));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  const bool upper = format == "upper-case-hyphenated";
  const char* hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (format != "simple" && (i == 4 || i == 6 || i == 8 || i == 10)) out += '-';
    out += hex[b[i] >> 4];
    out += hex[b[i] & 15];
  }
  return format == "URN" ? std::string("urn:uuid:").append(out) : out;
}

// A decimal of `digits` digits with the point somewhere inside (no leading zero).
util::Json random_decimal(int digits) {
  const auto point = static_cast<std::size_t>(digits > 1 ? random_between(1, digits - 1) : digits);
  std::string text = random_from("123456789", 1);
  for (int i = 1; i < digits; ++i) {
    if (static_cast<std::size_t>(i) == point) text += '.';
    text += random_from("0123456789", 1);
  }
  return util::Json::parse(text);
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char* default_format(Kind k) {
  return k == Kind::date ? "yyyy-MM-dd" : k == Kind::time ? "HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss";
}

// One value of a generator (a string for a header; the JSON type Pact gives it for a body).
util::Json generate(const Generator& g, const std::string& base_url) {
  switch (g.kind) {
    case Kind::uuid:
      return uuid(g.format);
    case Kind::random_int:
      return random_between(g.min, g.max);
    case Kind::random_decimal:
      return random_decimal(g.digits);
    case Kind::random_hexadecimal:
      return random_from("0123456789abcdef", static_cast<std::size_t>(g.digits));
    case Kind::random_string:
      return random_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                         static_cast<std::size_t>(g.size));
    case Kind::random_boolean:
      return random_between(0, 1) == 1;
    case Kind::date:
    case Kind::time:
    case Kind::date_time: {
      auto text = format_java_date(g.format.empty() ? default_format(g.kind) : g.format, now_ms());
      return text ? util::Json(*text) : util::Json();  // the format was checked when read
    }
    case Kind::mock_server_url: {
      auto groups = g.regex ? g.regex->captures(g.example) : std::nullopt;
      if (base_url.empty() || !groups || groups->empty()) return g.example;
      return base_url + groups->front();
    }
  }
  return {};
}

std::string as_text(const util::Json& v) { return v.is_string() ? v.get<std::string>() : util::dump_line(v); }

// Every value of body the JSONPath names (a wildcard names each element or member).
void each_place(util::Json& node, const std::vector<pact::PathToken>& path, std::size_t i,
                const std::function<void(util::Json&)>& f) {
  if (i == path.size()) return f(node);
  const auto& t = path[i];
  switch (t.kind) {
    case pact::PathToken::root:
      return each_place(node, path, i + 1, f);
    case pact::PathToken::field:
      if (node.is_object() && node.contains(t.name)) each_place(node[t.name], path, i + 1, f);
      return;
    case pact::PathToken::index:
      if (node.is_array() && t.at < node.size()) each_place(node[t.at], path, i + 1, f);
      return;
    case pact::PathToken::star:
    case pact::PathToken::star_index:
      if (node.is_array() || (node.is_object() && t.kind == pact::PathToken::star))
        for (auto& child : node) each_place(child, path, i + 1, f);
      return;
  }
}

const std::map<std::string, Kind> kKinds = {
    {"Uuid", Kind::uuid},
    {"RandomInt", Kind::random_int},
    {"RandomDecimal", Kind::random_decimal},
    {"RandomHexadecimal", Kind::random_hexadecimal},
    {"RandomString", Kind::random_string},
    {"RandomBoolean", Kind::random_boolean},
    {"Date", Kind::date},
    {"Time", Kind::time},
    {"DateTime", Kind::date_time},
    {"MockServerURL", Kind::mock_server_url},
};

util::Result<int> bounded_int(const util::Json& def, const char* key, int fallback, int lo, int hi,
                              const std::string& where) {
  if (!def.contains(key)) return fallback;
  const auto& v = def[key];
  if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
    return util::make_error(where + ": \"" + key + "\" must be an integer from " + std::to_string(lo) + " to " +
                            std::to_string(hi));
  return v.get<int>();
}

// One entry; nullopt (with the reason in unsupported) for a type we do not generate.
util::Result<std::optional<Generator>> read_one(const util::Json& def, Generator g, const std::string& where,
                                                std::vector<std::string>& unsupported) {
  if (!def.is_object() || !def.contains("type") || !def["type"].is_string())
    return util::make_error(where + ": a generator is an object with a \"type\"");
  const std::string type = def["type"].get<std::string>();
  auto kind = kKinds.find(type);
  if (kind == kKinds.end()) {
    unsupported.push_back(where + ": " + type + " generators are not supported: the example is answered");
    return std::optional<Generator>();
  }
  g.kind = kind->second;
  if (def.contains("expression")) {
    unsupported.push_back(where + ": a " + type + " \"expression\" is not supported: the example is answered");
    return std::optional<Generator>();
  }
  if (g.kind == Kind::random_int) {
    for (const char* k : {"min", "max"})
      if (def.contains(k) && !def[k].is_number_integer())
        return util::make_error(where + ": \"" + k + "\" must be an integer");
    g.min = def.value("min", 0LL);
    g.max = def.value("max", 2147483647LL);
    if (g.min > g.max) return util::make_error(where + ": \"min\" is above \"max\"");
    if (g.part == Generator::Part::status && (g.min < 100 || g.max > 599))
      return util::make_error(where + ": a status is from 100 to 599");
  } else if (g.part == Generator::Part::status) {
    return util::make_error(where + ": a status is generated with RandomInt only");
  }
  if (g.kind == Kind::random_decimal || g.kind == Kind::random_hexadecimal) {
    auto digits = bounded_int(def, "digits", 10, 1, g.kind == Kind::random_decimal ? kMaxDigits : kMaxHexDigits, where);
    if (!digits) return digits.error();
    g.digits = *digits;
  }
  if (g.kind == Kind::random_string) {
    auto size = bounded_int(def, "size", 20, 1, kMaxStringSize, where);
    if (!size) return size.error();
    g.size = *size;
  }
  if (def.contains("format") && !def["format"].is_string())
    return util::make_error(where + ": \"format\" must be a string");
  g.format = def.value("format", std::string());
  if (g.kind == Kind::uuid && !g.format.empty() && g.format != "simple" && g.format != "lower-case-hyphenated" &&
      g.format != "upper-case-hyphenated" && g.format != "URN")
    return util::make_error(where + ": Uuid \"format\" is simple, lower-case-hyphenated, upper-case-hyphenated or URN");
  if (g.kind == Kind::date || g.kind == Kind::time || g.kind == Kind::date_time)
    if (auto st = format_java_date(g.format.empty() ? default_format(g.kind) : g.format, 0); !st)
      return util::make_error(where + ": \"format\": " + st.error().message);
  if (g.kind == Kind::mock_server_url) {
    if (!def.contains("regex") || !def["regex"].is_string() || !def.contains("example") || !def["example"].is_string())
      return util::make_error(where + ": MockServerURL needs a \"regex\" and an \"example\"");
    auto re = util::Regex::compile(def["regex"].get<std::string>());
    if (!re) return util::make_error(where + ": \"regex\": " + re.error().message);
    g.regex = std::move(*re);
    g.example = def["example"].get<std::string>();
  }
  return std::optional<Generator>(std::move(g));
}

}  // namespace

util::Result<std::vector<Generator>> parse_generators(const util::Json& generators,
                                                      std::vector<std::string>& unsupported) {
  if (!generators.is_object()) return util::make_error("\"generators\" must be an object of categories");
  std::vector<Generator> out;
  auto add = [&](const util::Json& def, Generator g, const std::string& where) -> util::Status {
    if (out.size() >= kMaxGenerators)
      return util::make_error("more than " + std::to_string(kMaxGenerators) + " generators");
    TRY_ASSIGN(auto one, read_one(def, std::move(g), where, unsupported));
    if (one) out.push_back(std::move(*one));
    return {};
  };
  for (const auto& [category, entries] : generators.items()) {
    if (category == "status") {
      Generator g;
      g.part = Generator::Part::status;
      TRY(add(entries, std::move(g), "status"));
      continue;
    }
    if (category != "body" && category != "header") {
      unsupported.push_back(std::string(category).append(": generators here are not applied to a response"));
      continue;
    }
    if (!entries.is_object()) return util::make_error("\"" + category + "\" generators must be an object");
    for (const auto& [at, def] : entries.items()) {
      Generator g;
      g.part = category == "body" ? Generator::Part::body : Generator::Part::header;
      g.at = at;
      const std::string where = std::string(category).append(" ").append(at);
      if (g.part == Generator::Part::body) {
        // v3 writes body paths as JSONPaths; a bare name is a top-level key.
        auto path = pact::parse_json_path(at.rfind('$', 0) == 0 ? at : std::string("$.").append(at));
        if (!path) return util::make_error(where + ": " + path.error().message);
        g.path = std::move(*path);
      }
      TRY(add(def, std::move(g), where));
    }
  }
  return out;
}

void apply_generators(const std::vector<Generator>& generators, util::HttpResponse& response,
                      const util::HttpRequest& request, const std::string& scheme) {
  const std::string* host = request.headers.find("host");
  const std::string base_url = host ? scheme + "://" + *host : std::string();
  std::optional<util::Json> body;
  for (const auto& g : generators) {
    switch (g.part) {
      case Generator::Part::status:
        response.status = static_cast<int>(generate(g, base_url).get<long long>());
        break;
      case Generator::Part::header:
        response.headers.set(g.at, as_text(generate(g, base_url)));
        break;
      case Generator::Part::body:
        if (!body) body = util::Json::parse(response.body, nullptr, false);
        if (body->is_discarded()) break;  // a body that is not JSON has no places to fill
        each_place(*body, g.path, 0, [&](util::Json& v) { v = generate(g, base_url); });
        break;
    }
  }
  if (body && !body->is_discarded()) response.body = util::dump_line(*body);
}

namespace {

constexpr std::array<const char*, 12> kMonths = {"January", "February", "March",     "April",   "May",      "June",
                                                 "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<const char*, 7> kDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                              "Thursday", "Friday", "Saturday"};

std::string padded(long long v, std::size_t width) {
  std::string s = std::to_string(v);
  return s.size() < width ? std::string(width - s.size(), '0') + s : s;
}

// One run of n pattern letters c written for t; false for a letter we do not write.
bool write_field(char c, std::size_t n, const std::tm& t, int millis, std::string& out) {
  const int hour12 = t.tm_hour % 12 == 0 ? 12 : t.tm_hour % 12;
  const auto month = static_cast<std::size_t>(t.tm_mon), day = static_cast<std::size_t>(t.tm_wday);
  switch (c) {
    case 'y':
    case 'u':
      out += n == 2 ? padded((t.tm_year + 1900) % 100, 2) : padded(t.tm_year + 1900, n);
      break;
    case 'M':
    case 'L':
      out += n >= 4 ? kMonths[month] : n == 3 ? std::string(kMonths[month]).substr(0, 3) : padded(t.tm_mon + 1, n);
      break;
    case 'd':
      out += padded(t.tm_mday, n);
      break;
    case 'D':
      out += padded(t.tm_yday + 1, n);
      break;
    case 'E':
      out += n >= 4 ? kDays[day] : std::string(kDays[day]).substr(0, 3);
      break;
    case 'H':
      out += padded(t.tm_hour, n);
      break;
    case 'k':
      out += padded(t.tm_hour == 0 ? 24 : t.tm_hour, n);
      break;
    case 'K':
      out += padded(t.tm_hour % 12, n);
      break;
    case 'h':
      out += padded(hour12, n);
      break;
    case 'm':
      out += padded(t.tm_min, n);
      break;
    case 's':
      out += padded(t.tm_sec, n);
      break;
    case 'S':
      out += (padded(millis, 3) + std::string(n > 3 ? n - 3 : 0, '0')).substr(0, n);
      break;
    case 'a':
      out += t.tm_hour < 12 ? "AM" : "PM";
      break;
    case 'Z':
      out += "+0000";
      break;
    case 'X':
      out += "Z";
      break;
    case 'x':
      out += n == 1 ? "+00" : n == 2 ? "+0000" : "+00:00";
      break;
    case 'z':
      out += "UTC";
      break;
    default:
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return false;
      out.append(n, c);
  }
  return true;
}

// Quoted text from the quote at i ('text'; '' is a quote, inside quoted text too) appended to out;
// the index after it, or nullopt when the quote is not closed.
std::optional<std::size_t> write_quoted(std::string_view pattern, std::size_t i, std::string& out) {
  std::size_t j = i + 1;
  if (j < pattern.size() && pattern[j] == '\'') {
    out += '\'';
    return j + 1;
  }
  for (; j < pattern.size(); ++j) {
    if (pattern[j] != '\'') {
      out += pattern[j];
    } else if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
      out += '\'';
      ++j;
    } else {
      return j + 1;
    }
  }
  return std::nullopt;
}

}  // namespace

util::Result<std::string> format_java_date(std::string_view pattern, std::int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm t{};
  gmtime_r(&seconds, &t);
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\'') {
      auto next = write_quoted(pattern, i, out);
      if (!next) return util::make_error("an unclosed quote in \"" + std::string(pattern) + "\"");
      i = *next;
      continue;
    }
    std::size_t n = 1;
    while (i + n < pattern.size() && pattern[i + n] == c) ++n;
    i += n;
    if (!write_field(c, n, t, static_cast<int>(unix_ms % 1000), out))
      return util::make_error(std::string("the pattern letter '").append(1, c).append("' in \"").append(pattern) +
                              "\" is not supported");
  }
  return out;
}

}  // namespace mockserver
