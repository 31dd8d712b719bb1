// A real vendor's scenarios must pass that vendor's published spec: every genesys-* fixture's
// bodies are validated against Genesys Cloud's definitions (tests/data/genesys: the 2018
// Swagger subset and today's definitions, see its README), through FILE#/definitions/Name
// contracts, and every error it answers is one the spec declares for that operation and status.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "contracts/contract.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace {

namespace fs = std::filesystem;
const std::string kSource = HARNESS_SOURCE_DIR;
const std::string kSwagger2018 = kSource + "/tests/data/genesys/platform-api-2018-03-21.subset.swagger.json";
const std::string kCurrent = kSource + "/tests/data/genesys/current-definitions.python-sdk-257.1.0.json";

// The definition a body of this call must satisfy ("" when the spec has none: the token
// endpoint is on the login host, outside the Platform API).
struct Call {
  std::regex path;
  std::string method, response, request, operation;  // operation: the 2018 path whose error codes apply
};
const std::vector<Call>& calls() {
  static const std::vector<Call> list = {
      {std::regex("^/api/v2/conversations/[^/]+$"), "GET", "Conversation", "",
       "/api/v2/conversations/{conversationId}"},
      {std::regex("^/api/v2/routing/queues/[^/]+$"), "GET", "Queue", "", "/api/v2/routing/queues/{queueId}"},
      {std::regex("^/api/v2/routing/queues/[^/]+/wrapupcodes$"), "GET", "WrapupCodeEntityListing", "",
       "/api/v2/routing/queues/{queueId}/wrapupcodes"},
      {std::regex("^/api/v2/conversations/[^/]+/participants/[^/]+/replace/queue$"), "POST", "",
       "TransferToQueueRequest", "/api/v2/conversations/{conversationId}/participants/{participantId}/replace"},
      {std::regex("^/api/v2/conversations/[^/]+/participants/[^/]+/attributes$"), "PATCH", "", "", ""},
  };
  return list;
}

// Errors a scenario answers that the spec declares on another operation, with the reason.
const std::map<std::string, std::string> kDeclaredElsewhere = {
    {"conversation.error.wrapup.code.required",
     "declared for PATCH /api/v2/conversations/{conversationId}/participants/{participantId} (400); answered on "
     "replace/queue when the replaced participant must wrap up first (inferred)"},
    {"conversation.error.forbidden.not.active.participant",
     "declared for POST /api/v2/conversations/calls/{conversationId}/participants/{participantId}/replace (403), "
     "the call-specific replace; the generic one does not list it"},
};

const util::Json& swagger_2018() {
  static const util::Json doc = util::Json::parse(*util::read_file(kSwagger2018));
  return doc;
}

const contracts::Contract& contract(const std::string& file, const std::string& name) {
  static std::map<std::string, contracts::Contract> cache;
  std::string key = file + "#/definitions/" + name;
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  return cache.emplace(key, util::value_or_throw(contracts::load_contract(key))).first->second;
}

std::vector<std::string> problems(const contracts::Contract& c, const util::Json& body) {
  std::vector<contracts::Violation> out;
  c.schema.validate(body, out, false);
  std::vector<std::string> text;
  for (const auto& v : out) text.push_back(v.code + " " + v.pointer + ": " + v.message);
  return text;
}

// Everything that does not agree with the spec in one scenario, one line each.
std::vector<std::string> check_scenario(const util::Json& doc) {
  std::vector<std::string> found;
  for (const auto& x : doc["interactions"]) {
    const auto& req = x["request"];
    std::string path = req.value("path", ""), method = req.value("method", "GET"), id = x.value("id", "");
    if (path == "/oauth/token") continue;
    const Call* call = nullptr;
    for (const auto& c : calls())
      if (c.method == method && std::regex_match(path, c.path)) call = &c;
    if (!call) {
      found.push_back(id + ": " + method + " " + path + " is no operation of the spec");
      continue;
    }
    const auto& resp = x["response"];
    int status = resp.value("status", 200);
    if (status >= 400) {
      for (const auto& file : {kSwagger2018, kCurrent})
        for (const auto& p : problems(contract(file, "ErrorBody"), resp["json"]))
          found.push_back(id + ": ErrorBody: " + p);
      std::string code = resp["json"].value("code", "");
      if (kDeclaredElsewhere.count(code) || call->operation.empty()) continue;
      const util::Json* declared = util::at_pointer(
          swagger_2018(), util::pointer_append("/paths", call->operation) + (call->method == "GET" ? "/get" : "/post") +
                              "/responses/" + std::to_string(status) + "/x-inin-error-codes");
      if (!declared || !declared->is_object() || !declared->contains(code))
        found.push_back(id + ": " + code + " is not declared for " + std::to_string(status) + " of " + call->operation);
      continue;
    }
    if (!call->response.empty())
      for (const auto& file : {kSwagger2018, kCurrent})
        for (const auto& p : problems(contract(file, call->response), resp["json"]))
          found.push_back(id + ": " + call->response + " (" + fs::path(file).filename().string() + "): " + p);
    if (!call->request.empty())
      for (const auto& p : problems(contract(kCurrent, call->request), req["json"]))
        found.push_back(id + ": " + call->request + ": " + p);
    if (method == "PATCH") {  // ParticipantAttributes: {attributes: {string: string}}, not in the extracts
      // bodyFields name the attributes the scenario insists on; each must be a string.
      const util::Json fields = req.value("bodyFields", util::Json::object());
      for (const auto& [pointer, want] : fields.items())
        if (pointer.starts_with("/attributes/") && !want.is_string())
          found.push_back(id + ": attribute " + pointer + " is not a string");
    }
  }
  return found;
}

std::vector<fs::path> genesys_scenarios() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kSource + "/fixtures"))
    if (e.path().filename().string().starts_with("genesys-")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(VendorFixtures, EveryGenesysScenarioPassesThePublishedSpec) {
  auto files = genesys_scenarios();
  ASSERT_GE(files.size(), 12u);
  for (const auto& f : files) {
    auto doc = util::Json::parse(*util::read_file(f));
    EXPECT_EQ(check_scenario(doc), std::vector<std::string>{}) << f.filename();
  }
}

TEST(VendorFixtures, AScenarioThatDriftsFromTheSpecFails) {
  auto doc = util::Json::parse(*util::read_file(kSource + "/fixtures/genesys-202-happy-path.json"));
  ASSERT_TRUE(check_scenario(doc).empty());
  auto drifted = doc;
  for (auto& x : drifted["interactions"])
    if (x["id"] == "get-queue") x["response"]["json"]["memberCount"] = "12";  // a string where the spec has an integer
  auto found = check_scenario(drifted);
  ASSERT_FALSE(found.empty());
  EXPECT_NE(found[0].find("get-queue: Queue"), std::string::npos) << found[0];
  EXPECT_NE(found[0].find("/memberCount"), std::string::npos) << found[0];

  auto undeclared = doc;
  for (auto& x : undeclared["interactions"])
    if (x["id"] == "replace-queue")
      x["response"] = {{"status", 409}, {"json", {{"message", "conflict"}, {"code", "conflict"}, {"status", 409}}}};
  found = check_scenario(undeclared);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find("conflict is not declared for 409"), std::string::npos) << found[0];
}

// FILE#/definitions/Name: the schema inside a Swagger document, its $refs resolved within it.
TEST(VendorFixtures, ASwaggerDefinitionIsAContract) {
  auto c = contracts::load_contract(kSwagger2018 + "#/definitions/Queue");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->name, "Queue");
  auto missing = contracts::load_contract(kSwagger2018 + "#/definitions/NoSuchThing");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("#/definitions/NoSuchThing: no schema there (Swagger 2.0: /definitions/Name)"),
            std::string::npos)
      << missing.error().message;
  auto no_file = contracts::load_contract("/nonexistent/spec.json#/definitions/Queue");
  ASSERT_FALSE(no_file);
  EXPECT_NE(no_file.error().message.find("no such file"), std::string::npos);
}

}  // namespace
