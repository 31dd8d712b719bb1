// Configuration precedence and the .env parser.
#include "client/config.hpp"

#include <filesystem>

#include "util/file.hpp"
#include "util/strings.hpp"

namespace client {

namespace {

// The value after "KEY=": quoted (the quotes removed, escapes undone in double quotes, a
// comment after the closing quote ignored) or bare (a " #" comment cut off).
util::Result<std::string> dotenv_value(std::string_view value) {
  if (value.empty() || (value.front() != '"' && value.front() != '\'')) {
    if (auto hash = value.find(" #"); hash != std::string_view::npos) value = util::trim(value.substr(0, hash));
    return std::string(value);
  }
  char quote = value.front();
  std::string out;
  std::size_t i = 1;
  for (; i < value.size() && value[i] != quote; ++i) {
    if (quote == '"' && value[i] == '\\' && i + 1 < value.size()) {
      char e = value[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
      continue;
    }
    out += value[i];
  }
  if (i >= value.size()) return util::make_error(std::string("unterminated ") + quote + "quoted value");
  std::string_view rest = util::trim(value.substr(i + 1));
  if (!rest.empty() && rest.front() != '#')
    return util::make_error("unexpected text after the closing quote: " + std::string(rest));
  return out;
}

}  // namespace

util::Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text, std::string_view source) {
  std::map<std::string, std::string> out;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a byte order mark some editors write
  std::size_t line_no = 0;
  for (const auto& raw : util::split(text, '\n')) {
    ++line_no;
    std::string_view line = util::trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export ")) line = util::trim(line.substr(7));
    auto eq = line.find('=');
    std::string key(util::trim(line.substr(0, eq == std::string_view::npos ? 0 : eq)));
    bool key_ok = !key.empty();
    for (char c : key) key_ok = key_ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    std::string where = std::string(source) + ":" + std::to_string(line_no) + ": ";
    if (eq == std::string_view::npos || !key_ok) return util::make_error(where + "expected KEY=VALUE");
    auto value = dotenv_value(util::trim(line.substr(eq + 1)));
    if (!value) return util::make_error(where + key + ": " + value.error().message);
    out[key] = std::move(*value);
  }
  return out;
}

std::optional<UrlCredentials> split_url_credentials(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  std::size_t start = scheme + 3;
  std::size_t end = url.find_first_of("/?#", start);
  std::string_view authority = url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  auto at = authority.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  UrlCredentials out;
  std::string_view userinfo = authority.substr(0, at);
  out.url = std::string(url.substr(0, start)) + std::string(authority.substr(at + 1)) +
            (end == std::string_view::npos ? "" : std::string(url.substr(end)));
  // The whole userinfo and the password; a user name alone is only masked when it is all there
  // is (https://TOKEN@host), since masking a common name would garble every report.
  auto colon = userinfo.find(':');
  for (std::string_view part :
       {userinfo, colon == std::string_view::npos ? std::string_view() : userinfo.substr(colon + 1)}) {
    if (part.empty()) continue;
    out.secrets.emplace_back(part);
    out.secrets.push_back(util::url_decode(std::string(part)));
  }
  return out;
}

Config resolve_config(const ConfigInputs& in) {
  Config c;
  std::map<std::string, std::string> dotenv;
  std::error_code ec;
  if (std::filesystem::exists(in.env_file, ec)) {
    auto text = util::read_file(in.env_file, 1u << 20);
    if (!text) {
      c.problems.push_back({".env file " + text.error().message,
                            "Make " + in.env_file + " readable, or pass another file with --env-file."});
    } else if (auto parsed = parse_dotenv(*text, in.env_file); !parsed) {
      c.problems.push_back({parsed.error().message,
                            "Fix that line of " + in.env_file + ": one KEY=value per line (# starts a comment)."});
    } else {
      dotenv = std::move(*parsed);
    }
  } else if (in.env_file_explicit) {
    c.problems.push_back({"--env-file " + in.env_file + ": no such file",
                          "Pass an existing file to --env-file, or leave it out to read ./.env when there is one."});
  }

  auto pick = [&](const char* name, std::string& slot) {
    if (auto f = in.flags.find(name); f != in.flags.end()) {
      slot = f->second;
      c.origin[name] = "flag";
    } else if (const char* e = in.getenv ? in.getenv(name) : nullptr; e && *e) {
      slot = e;
      c.origin[name] = "environment";
    } else if (auto d = dotenv.find(name); d != dotenv.end() && !d->second.empty()) {
      slot = d->second;
      c.origin[name] = ".env (" + in.env_file + ")";
    }
  };
  pick(kClientId, c.client_id);
  pick(kClientSecret, c.client_secret);
  pick(kEnvironment, c.environment);
  pick(kBaseUrl, c.base_url);
  pick(kConversation, c.conversation_id);
  pick(kQueue, c.queue_id);
  pick(kWrapup, c.wrapup_id);
  pick(kAccessKeyId, c.access_key_id);
  pick(kAccessKeySecret, c.access_key_secret);
  pick(kLoginUrl, c.login_url);
  pick(kParticipant, c.participant_id);
  // Credentials in the base URL would be sent to whoever the URL names and end up in every
  // report: refused, and masked wherever the URL is shown.
  if (auto creds = split_url_credentials(c.base_url)) {
    c.base_url = creds->url;
    c.url_secrets = creds->secrets;
    c.problems.push_back({"the base URL carries credentials (user:password@); they are not used and not shown",
                          "Remove user:password@ from the base URL and give --client-id/--client-secret (or the "
                          "environment, or .env)."});
  }
  return c;
}

}  // namespace client
