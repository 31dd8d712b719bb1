// Configuration precedence and the .env parser.
#include "client/config.hpp"

#include <filesystem>

#include "util/file.hpp"
#include "util/strings.hpp"

namespace client {

util::Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text, std::string_view source) {
  std::map<std::string, std::string> out;
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
    if (eq == std::string_view::npos || !key_ok)
      return util::make_error(std::string(source) + ":" + std::to_string(line_no) + ": expected KEY=VALUE");
    std::string_view value = util::trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (auto hash = value.find(" #"); hash != std::string_view::npos) {
      value = util::trim(value.substr(0, hash));
    }
    out[key] = std::string(value);
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
      c.problems.push_back(".env file " + text.error().message);
    } else if (auto parsed = parse_dotenv(*text, in.env_file); !parsed) {
      c.problems.push_back(parsed.error().message);
    } else {
      dotenv = std::move(*parsed);
    }
  } else if (in.env_file_explicit) {
    c.problems.push_back("--env-file " + in.env_file + ": no such file");
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
  return c;
}

}  // namespace client
