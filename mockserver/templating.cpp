// Response templating (see templating.hpp): compile once, render per answer.
#include "mockserver/templating.hpp"

#include <charconv>
#include <chrono>
#include <ctime>
#include <random>

#include "util/redact.hpp"
#include "util/strings.hpp"

namespace mockserver {

struct Template::Part {
  enum class Kind {
    literal,
    path_param,
    path_segment,
    query,
    header,
    form,
    method,
    url,
    json,
    now,
    uuid,
    random_int,
    random_string,
    counter
  };
  Kind kind = Kind::literal;
  std::string text;  // the literal, or the name, pointer or time format
  long long a = 0;   // segment index, offset seconds, lower bound, length
  long long b = 0;   // upper bound
};

namespace {

using Part = Template::Part;
using Kind = Part::Kind;

constexpr std::size_t kMaxExpression = 256;
constexpr const char* kDefaultTimeFormat = "%Y-%m-%dT%H:%M:%SZ";

// "a b='c d' 'e'" -> {"a", "b=c d", "e"}; quotes are single or double.
util::Result<std::vector<std::string>> tokens(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ') {
      ++i;
      continue;
    }
    std::string token;
    while (i < s.size() && s[i] != ' ') {
      if (s[i] == '\'' || s[i] == '"') {
        char quote = s[i++];
        auto end = s.find(quote, i);
        if (end == std::string_view::npos) return util::Error{"an unclosed quote"};
        token.append(s.substr(i, end - i));
        i = end + 1;
      } else {
        token += s[i++];
      }
    }
    out.push_back(std::move(token));
  }
  return out;
}

util::Result<long long> integer(const std::string& text, const std::string& what, long long lo, long long hi) {
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
    return util::Error{what + " \"" + text + "\": expected a whole number from " + std::to_string(lo) + " to " +
                       std::to_string(hi)};
  return v;
}

// now's arguments: format='...' and offset='+1d'.
util::Status now_arguments(const std::vector<std::string>& args, Part& p) {
  p.text = kDefaultTimeFormat;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.starts_with("format=")) {
      p.text = arg.substr(7);
      if (p.text.empty() || p.text.size() > 64) return util::Error{"format: 1 to 64 characters"};
      std::tm t{};
      char probe[128];
      if (std::strftime(probe, sizeof probe, p.text.c_str(), &t) == 0)
        return util::Error{"format '" + p.text + "' writes nothing or too much"};
    } else if (arg.starts_with("offset=")) {
      std::string o = arg.substr(7);
      if (o.size() < 2) return util::Error{"offset '" + o + "': expected [+-]N followed by s, m, h or d"};
      char unit = o.back();
      long long scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 0;
      if (scale == 0) return util::Error{"offset '" + o + "': expected [+-]N followed by s, m, h or d"};
      std::string n = o.substr(o[0] == '+' ? 1 : 0, o.size() - (o[0] == '+' ? 2 : 1));
      auto v = integer(n, "offset", -36500LL * 86400, 36500LL * 86400);
      if (!v) return v.error();
      p.a = *v * scale;
    } else {
      return util::Error{"now takes format='...' and offset='+1d', not \"" + arg + "\""};
    }
  }
  return {};
}

util::Status arity(const std::vector<std::string>& args, std::size_t n) {
  if (args.size() != n + 1)
    return util::Error{args[0] + " takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s")};
  return {};
}

// request.path.NAME: the index of the path segment that binds NAME.
util::Result<Part> path_parameter(const std::string& name, const std::vector<std::string>& path_params) {
  Part p;
  p.kind = Kind::path_param;
  p.text = name;
  for (std::size_t i = 0; i < path_params.size(); ++i) {
    if (path_params[i] != name) continue;
    p.a = static_cast<long long>(i);
    return p;
  }
  std::string have;
  for (const auto& n : path_params)
    if (!n.empty()) have.append(have.empty() ? "" : ", ").append(n);
  return util::Error{"the interaction's path has no parameter \"" + name + "\"" +
                     (have.empty() ? " (it has none: use request.pathSegments.N)" : " (it has: " + have + ")")};
}

// The helpers: now, uuid, counter, randomInt, randomString; nullopt when head is none of them.
std::optional<util::Result<Part>> helper(const std::vector<std::string>& args) {
  const std::string& head = args[0];
  Part p;
  if (head == "uuid" || head == "counter") {
    if (auto st = arity(args, 0); !st) return util::Result<Part>(st.error());
    p.kind = head == "uuid" ? Kind::uuid : Kind::counter;
    return util::Result<Part>(p);
  }
  if (head == "now") {
    p.kind = Kind::now;
    if (auto st = now_arguments(args, p); !st) return util::Result<Part>(st.error());
    return util::Result<Part>(p);
  }
  if (head == "randomInt") {
    if (auto st = arity(args, 2); !st) return util::Result<Part>(st.error());
    p.kind = Kind::random_int;
    auto lo = integer(args[1], "randomInt", -1'000'000'000'000LL, 1'000'000'000'000LL);
    if (!lo) return util::Result<Part>(lo.error());
    auto hi = integer(args[2], "randomInt", -1'000'000'000'000LL, 1'000'000'000'000LL);
    if (!hi) return util::Result<Part>(hi.error());
    if (*hi < *lo)
      return util::Result<Part>(
          util::Error{"randomInt " + args[1] + " " + args[2] + ": the upper bound is below the lower"});
    p.a = *lo;
    p.b = *hi;
    return util::Result<Part>(p);
  }
  if (head == "randomString") {
    if (auto st = arity(args, 1); !st) return util::Result<Part>(st.error());
    p.kind = Kind::random_string;
    auto n = integer(args[1], "randomString", 1, 1024);
    if (!n) return util::Result<Part>(n.error());
    p.a = *n;
    return util::Result<Part>(p);
  }
  return std::nullopt;
}

// One expression (the text between {{ and }}) as a part.
util::Result<Part> expression(std::string_view source, const std::vector<std::string>& path_params) {
  auto toks = tokens(util::trim(source));
  if (!toks) return toks.error();
  if (toks->empty()) return util::Error{"an empty {{}}"};
  const auto& args = *toks;
  const std::string& head = args[0];
  if (auto h = helper(args)) return std::move(*h);
  Part p;
  auto named = [&](std::string_view prefix, Kind kind) -> std::optional<util::Result<Part>> {
    if (!head.starts_with(prefix)) return std::nullopt;
    p.kind = kind;
    p.text = head.substr(prefix.size());
    if (p.text.empty()) return util::Result<Part>(util::Error{head + "NAME: the name is missing"});
    if (auto st = arity(args, 0); !st) return util::Result<Part>(st.error());
    return util::Result<Part>(p);
  };
  if (head.starts_with("request.path.")) return path_parameter(head.substr(13), path_params);
  if (head.starts_with("request.pathSegments.")) {
    p.kind = Kind::path_segment;
    auto n = integer(head.substr(21), "request.pathSegments", 0, 255);
    if (!n) return n.error();
    p.a = *n;
    return p;
  }
  if (auto r = named("request.query.", Kind::query)) return *r;
  if (auto r = named("request.header.", Kind::header)) return *r;
  if (auto r = named("request.headers.", Kind::header)) return *r;
  if (auto r = named("request.form.", Kind::form)) return *r;
  if (head == "request.method" || head == "request.url") {
    if (auto st = arity(args, 0); !st) return st.error();
    p.kind = head == "request.method" ? Kind::method : Kind::url;
    return p;
  }
  if (head == "request.json" || head == "request.body") {
    if (auto st = arity(args, 1); !st) return st.error();
    p.kind = Kind::json;
    p.text = args[1];
    if (!p.text.empty() && !util::is_json_pointer(p.text))
      return util::Error{"request.json '" + p.text + "': not a JSON pointer"};
    return p;
  }
  return util::Error{"unknown expression \"" + head +
                     "\" (request.path.NAME, request.pathSegments.N, request.query.NAME, request.header.NAME, "
                     "request.form.NAME, request.json 'POINTER', request.method, request.url, now, uuid, randomInt, "
                     "randomString, counter)"};
}

std::mt19937_64& rng() {
  thread_local std::mt19937_64 r{std::random_device{}()};
  return r;
}

std::string uuid4() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t hi = rng()(), lo = rng()();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | (1ULL << 63);  // variant 10
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    std::uint64_t word = i < 16 ? hi : lo;
    out += kHex[(word >> (60 - 4 * (i % 16))) & 0xF];
  }
  return out;
}

std::string now_text(const Part& p) {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) + static_cast<std::time_t>(p.a);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char out[128];
  std::size_t n = std::strftime(out, sizeof out, p.text.c_str(), &utc);
  return std::string(out, n);
}

std::string value_of(const Part& p, const Template::Input& in) {
  const util::HttpRequest& r = in.request;
  switch (p.kind) {
    case Kind::literal:
      return p.text;
    case Kind::path_param:
    case Kind::path_segment: {
      auto i = static_cast<std::size_t>(p.a);
      return i < in.segments.size() ? util::url_decode(in.segments[i]) : "";
    }
    case Kind::query: {
      auto it = r.query.find(p.text);
      return it == r.query.end() ? "" : it->second;
    }
    case Kind::header:
      return r.headers.get(p.text);
    case Kind::form: {
      auto form = util::parse_form(r.body);
      auto it = form.find(p.text);
      return it == form.end() ? "" : it->second;
    }
    case Kind::method:
      return r.method;
    case Kind::url: {
      std::string url = r.path;
      char sep = '?';
      for (const auto& [k, v] : r.query) {
        url.append(1, sep).append(util::url_encode(k)).append("=").append(util::url_encode(v));
        sep = '&';
      }
      return url;
    }
    case Kind::json: {
      if (!in.body_json) return "";
      const util::Json* v = util::at_pointer(*in.body_json, p.text);
      if (!v) return "";
      return v->is_string() ? v->get<std::string>() : util::dump_line(*v);
    }
    case Kind::now:
      return now_text(p);
    case Kind::uuid:
      return uuid4();
    case Kind::random_int: {
      std::uniform_int_distribution<long long> d(p.a, p.b);
      return std::to_string(d(rng()));
    }
    case Kind::random_string: {
      static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
      std::uniform_int_distribution<int> d(0, 61);
      std::string s(static_cast<std::size_t>(p.a), 'x');
      for (auto& c : s) c = kChars[d(rng())];
      return s;
    }
    case Kind::counter:
      return std::to_string(in.counter);
  }
  return "";
}

}  // namespace

util::Result<Template> Template::compile(std::string_view text, Context context,
                                         const std::vector<std::string>& path_params) {
  Template t;
  t.context_ = context;
  std::size_t at = 0;
  while (at < text.size()) {
    auto open = text.find("{{", at);
    if (open == std::string_view::npos) open = text.size();
    if (open > at) {
      Part lit;
      lit.text = std::string(text.substr(at, open - at));
      t.parts_.push_back(std::make_shared<const Part>(std::move(lit)));
    }
    if (open == text.size()) break;
    auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return util::Error{"a {{ with no }}"};
    std::string source(text.substr(open + 2, close - open - 2));
    if (source.size() > kMaxExpression) return util::Error{"an expression longer than 256 characters"};
    if (context == Context::json_string) {  // the expression as written: the body's JSON escapes undone
      util::Json unescaped = util::parse_json_lenient("\"" + source + "\"", 2);
      if (!unescaped.is_string()) return util::Error{"{{" + source + "}}: not readable"};
      source = unescaped.get<std::string>();
    }
    auto part = expression(source, path_params);
    if (!part) return util::Error{"{{" + source + "}}: " + part.error().message};
    t.parts_.push_back(std::make_shared<const Part>(std::move(*part)));
    at = close + 2;
  }
  return t;
}

std::string Template::render(const Input& in) const {
  std::string out;
  for (const auto& part : parts_) {
    if (part->kind == Kind::literal) {
      out += part->text;
      continue;
    }
    std::string v = value_of(*part, in);
    if (context_ == Context::json_string) {
      std::string quoted = util::Json(std::move(v)).dump(-1, ' ', false, util::kInvalidUtf8Replaced);
      out.append(quoted, 1, quoted.size() - 2);
    } else if (context_ == Context::header) {
      for (char c : v)
        if (c != '\r' && c != '\n' && c != '\0') out += c;
    } else {
      out += v;
    }
  }
  return out;
}

}  // namespace mockserver
