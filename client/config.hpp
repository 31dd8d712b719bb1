// diagnose configuration: flag > environment > .env file (SPEC §2). Loading never fails hard:
// problems (an unreadable .env, a bad line) are collected for the config step to report.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace client {

// The settings that come from flags, environment or .env, by environment name.
inline constexpr const char* kClientId = "CXONE_CLIENT_ID";
inline constexpr const char* kClientSecret = "CXONE_CLIENT_SECRET";
inline constexpr const char* kEnvironment = "CXONE_ENVIRONMENT";
inline constexpr const char* kBaseUrl = "CXONE_BASE_URL";
inline constexpr const char* kConversation = "TEST_CONVERSATION_ID";
inline constexpr const char* kQueue = "TARGET_QUEUE_ID";
inline constexpr const char* kWrapup = "WRAPUP_CODE_ID";
// Profile cxone: the access key the password grant sends (username/password).
inline constexpr const char* kAccessKeyId = "CXONE_ACCESS_KEY_ID";
inline constexpr const char* kAccessKeySecret = "CXONE_ACCESS_KEY_SECRET";
// Profiles with a login host apart from the API (genesys: https://login.{environment}).
inline constexpr const char* kLoginUrl = "LOGIN_URL";
// Profile genesys: the participant to replace (else the one the conversation step picks).
inline constexpr const char* kParticipant = "TEST_PARTICIPANT_ID";

// One thing wrong with the configuration and what fixes that thing (not a generic list).
struct ConfigProblem {
  std::string message;
  std::string fix;
};

struct Config {
  std::string client_id;
  std::string client_secret;
  std::string environment;
  std::string base_url;
  std::string conversation_id;
  std::string queue_id;
  std::string wrapup_id;
  std::string access_key_id;
  std::string access_key_secret;
  std::string login_url;       // the token host, when the profile has one apart from the API
  std::string participant_id;  // genesys: the participant to replace
  // Where each setting came from: "flag", "environment", ".env (path)".
  std::map<std::string, std::string> origin;

  std::optional<std::string> payload_text;  // the handover body exactly as the bot would send it
  std::string payload_source;               // file name or "inputs.payload"
  bool execute = false;
  bool insecure = false;  // TLS verification off (--insecure): warned about on every run
  // JSON pointers whose values are masked in every output (--redact), besides the credentials.
  std::vector<std::string> redact_pointers;

  std::vector<ConfigProblem> problems;  // reported by the config step, each with its own fix
  // Credentials found inside the base URL (user:password@): removed from base_url, refused by
  // the config step, and masked in every output.
  std::vector<std::string> url_secrets;
};

// Splits "scheme://user:password@host/..." into the URL without its userinfo and the userinfo
// parts; nullopt when the URL carries none.
struct UrlCredentials {
  std::string url;                   // without the userinfo
  std::vector<std::string> secrets;  // "user:password" and "password" (URL-decoded too)
};
std::optional<UrlCredentials> split_url_credentials(std::string_view url);

// Parses a .env file as the dotenv tools users know do: KEY=VALUE lines, optional "export ", a
// UTF-8 byte order mark ignored, values in single quotes (literal) or double quotes (\n, \t,
// \" and \\ escapes), a "# comment" after a value or after the closing quote ignored.
util::Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text, std::string_view source);

struct ConfigInputs {
  std::map<std::string, std::string> flags;  // by environment name, only those given
  std::function<const char*(const char*)> getenv;
  std::string env_file = ".env";
  bool env_file_explicit = false;  // a missing --env-file is a problem; a missing ./.env is not
};

Config resolve_config(const ConfigInputs& inputs);

}  // namespace client
