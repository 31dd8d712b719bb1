// Pact files as scenarios: version from the metadata, each HTTP interaction's request as a
// pattern with the pact's expectation, its response as ours.
#include "mockserver/pact_file.hpp"

#include <cctype>
#include <memory>
#include <set>
#include <string_view>

#include "mockserver/generators.hpp"
#include "mockserver/pact.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace mockserver {

namespace {

constexpr std::size_t kMaxPactBytes = 64u << 20;
constexpr std::size_t kMaxInteractions = 100000;

// "2.0.0", "3.0.0", "4.0" under metadata.pactSpecification.version (v2/v3 writers also use
// "pact-specification" and "pactSpecificationVersion"); no metadata reads as v2, as Pact does.
util::Result<int> spec_version(const util::Json& doc) {
  const util::Json* meta = doc.contains("metadata") && doc["metadata"].is_object() ? &doc["metadata"] : nullptr;
  if (!meta) return 2;
  std::string version;
  for (const char* key : {"pactSpecification", "pact-specification"})
    if (meta->contains(key) && (*meta)[key].is_object() && (*meta)[key].contains("version") &&
        (*meta)[key]["version"].is_string())
      version = (*meta)[key]["version"].get<std::string>();
  if (version.empty() && meta->contains("pactSpecificationVersion") && (*meta)["pactSpecificationVersion"].is_string())
    version = (*meta)["pactSpecificationVersion"].get<std::string>();
  if (version.empty()) return 2;
  int major = version[0] - '0';
  if (major < 1 || major > 4 || (version.size() > 1 && version[1] != '.'))
    return util::make_error("metadata: Pact specification version \"" + version + "\" is not 1 to 4");
  return major < 2 ? 2 : major;
}

// The pact's response as ours: a JSON body written out (with a JSON content type when it names
// none), a text body as it is.
util::Result<ResponseSpec> response_from(const util::Json& response, int version, const std::string& where,
                                         std::vector<std::string>& warnings) {
  TRY_ASSIGN(auto message, pact::message_from_pact(response, version));
  ResponseSpec out;
  out.status = message.status == 0 ? 200 : message.status;
  if (out.status < 100 || out.status > 599)
    return util::make_error("status " + std::to_string(out.status) + " is not an HTTP status");
  for (const auto& [name, value] : message.headers) out.headers.add(name, value);
  if (message.body_kind == pact::Message::Body::json) {
    out.body = message.body.dump();
    if (message.content_type().empty()) out.headers.add("Content-Type", "application/json");
  } else if (message.body_kind == pact::Message::Body::text) {
    out.body = message.text;
  }
  if (response.contains("generators")) {  // what we do not generate is said; its example answers
    std::vector<std::string> unsupported;
    TRY_ASSIGN(auto generators, parse_generators(response["generators"], unsupported));
    for (const auto& u : unsupported) warnings.push_back(std::string(where).append(": response generator ").append(u));
    if (!generators.empty()) out.generators = std::make_shared<const std::vector<Generator>>(std::move(generators));
    out.generators_source = response["generators"];
  }
  return out;
}

// The request as a pattern: method and path are the pattern's own (a path rule's regex, or any
// path for another path matcher); query, headers and body go to the pact expectation.
util::Result<RequestPattern> request_from(const util::Json& request, int version) {
  TRY_ASSIGN(auto message, pact::message_from_pact(request, version));
  TRY_ASSIGN(auto rules, pact::parse_rules(request.value("matchingRules", util::Json()), version));
  RequestPattern pattern;
  pattern.method = message.method.empty() ? std::string("GET") : message.method;
  for (char& c : pattern.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (message.path.empty() || message.path[0] != '/') message.path = "/" + message.path;
  const pact::Matcher* path_regex = nullptr;
  if (rules.path)
    for (const auto& m : rules.path->matchers)
      if (m.regex) path_regex = &m;
  if (path_regex) {
    pattern.set_path_pattern(path_regex->regex->source(), *path_regex->regex);
  } else if (rules.path) {
    TRY_ASSIGN(auto any, util::Regex::compile("^/.*$"));
    pattern.set_path_pattern("^/.*$", any);
  } else if (message.path.find('{') != std::string::npos) {
    // Literal braces are not a template here: matched as the exact path.
    TRY_ASSIGN(auto exact, util::Regex::compile("^" + util::regex_literal(message.path) + "$"));
    pattern.set_path_pattern(exact.source(), exact);
  } else {
    pattern.set_path(message.path);
  }
  auto expectation = std::make_shared<pact::Expectation>();
  expectation->request = std::move(message);
  expectation->rules = std::move(rules);
  pattern.pact = std::move(expectation);
  return pattern;
}

// The provider states an interaction names: v2's "providerState", v3/v4's "providerStates"
// ([{"name", "params"}]). Parameters are a provider's business (they parameterise its set-up);
// the mock only keys on names, and says so once.
util::Result<std::vector<std::string>> provider_states_of(const util::Json& x, const std::string& where,
                                                          std::vector<std::string>& warnings) {
  std::vector<std::string> out;
  if (x.contains("providerState")) {
    if (!x["providerState"].is_string()) return util::make_error(where + ": \"providerState\" must be a string");
    if (!x["providerState"].get_ref<const std::string&>().empty()) out.push_back(x["providerState"].get<std::string>());
  }
  if (x.contains("providerStates")) {
    const auto& states = x["providerStates"];
    if (!states.is_array() || states.size() > 64)
      return util::make_error(where + ": \"providerStates\" must be an array of at most 64 states");
    bool params = false;
    for (const auto& s : states) {
      if (!s.is_object() || !s.contains("name") || !s["name"].is_string())
        return util::make_error(where + ": each provider state needs a \"name\"");
      out.push_back(s["name"].get<std::string>());
      params = params || (s.contains("params") && !s["params"].empty());
    }
    if (params) warnings.push_back(where + ": provider state parameters are not used (the state's name is)");
  }
  return out;
}

}  // namespace

bool looks_like_pact(const util::Json& doc) {
  return doc.is_object() && doc.contains("interactions") && (doc.contains("consumer") || doc.contains("provider"));
}

util::Result<Fixture> fixture_from_pact_document(const util::Json& doc, const std::string& origin,
                                                 std::vector<std::string>& warnings) {
  if (!looks_like_pact(doc)) return util::make_error(origin + ": not a pact (no interactions, consumer or provider)");
  auto read_version = spec_version(doc);
  if (!read_version) return util::make_error(origin + ": " + read_version.error().message);
  const int version = *read_version;
  const auto& interactions = doc["interactions"];
  if (!interactions.is_array()) return util::make_error(origin + ": \"interactions\" must be an array");
  if (interactions.size() > kMaxInteractions)
    return util::make_error(origin + ": more than " + std::to_string(kMaxInteractions) + " interactions");
  Fixture fixture;
  fixture.file = origin;
  auto party = [&](const char* key) {
    return doc.contains(key) && doc[key].is_object() && doc[key].contains("name") && doc[key]["name"].is_string()
               ? doc[key]["name"].get<std::string>()
               : std::string(key);
  };
  fixture.name = party("consumer") + "-" + party("provider");
  fixture.description =
      "Pact v" + std::to_string(version) + " between " + party("consumer") + " and " + party("provider");
  fixture.profile = "v2";
  std::set<std::string> ids;
  for (std::size_t i = 0; i < interactions.size(); ++i) {
    const auto& x = interactions[i];
    const std::string where = origin + ": interaction " + std::to_string(i);
    if (!x.is_object()) return util::make_error(where + " must be an object");
    if (version >= 4 && x.value("type", std::string("Synchronous/HTTP")) != "Synchronous/HTTP") {
      warnings.push_back(where + " (" + x.value("type", std::string()) + ") is not HTTP: not served");
      continue;
    }
    if (!x.contains("request") || !x.contains("response"))
      return util::make_error(where + ": an HTTP interaction needs \"request\" and \"response\"");
    auto pattern = request_from(x["request"], version);
    if (!pattern) return util::make_error(where + " request: " + pattern.error().message);
    auto response = response_from(x["response"], version, where, warnings);
    if (!response) return util::make_error(where + " response: " + response.error().message);
    Interaction out;
    std::string id = x.contains("description") && x["description"].is_string() ? x["description"].get<std::string>()
                                                                               : "interaction " + std::to_string(i);
    const std::string base = id;  // descriptions need not be unique: "x", "x #2", "x #3"
    for (int n = 2; ids.count(id); ++n) id = std::string(base).append(" #").append(std::to_string(n));
    ids.insert(id);
    out.id = id;
    out.request = std::move(*pattern);
    out.response = std::move(*response);
    out.origin = where;
    TRY_ASSIGN(out.provider_states, provider_states_of(x, where, warnings));
    fixture.interactions.push_back(std::move(out));
  }
  return fixture;
}

util::Result<Fixture> fixture_from_pact(const std::filesystem::path& file, std::vector<std::string>& warnings) {
  TRY_ASSIGN(auto text, util::read_file(file, kMaxPactBytes));
  TRY_ASSIGN(auto doc, util::parse_json(text, file.string()));
  return fixture_from_pact_document(doc, file.string(), warnings);
}

}  // namespace mockserver
