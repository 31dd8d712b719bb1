// ApiSpec: operations out of Swagger 2.0 and OpenAPI 3 descriptions, request paths matched to
// them, declared responses, schemas checked, example bodies; the Genesys extracts in tests/data.
#include "contracts/api_spec.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using contracts::ApiSpec;

const std::string kData = std::string(HARNESS_SOURCE_DIR) + "/tests/data/genesys/";

ApiSpec swagger() {
  auto spec = ApiSpec::from_document(util::Json::parse(R"({
    "swagger": "2.0", "basePath": "/v1/",
    "paths": {
      "/queues/{queueId}": {
        "parameters": [{"name": "queueId", "in": "path", "required": true, "type": "string"}],
        "get": {"operationId": "getQueue",
                "parameters": [{"name": "pageSize", "in": "query", "type": "integer"},
                               {"name": "expand", "in": "query", "required": true, "type": "string",
                                "enum": ["members", "wrapups"]}],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Queue"}},
                              "404": {"description": "gone"}}},
        "patch": {"parameters": [{"name": "body", "in": "body", "required": true,
                                  "schema": {"$ref": "#/definitions/Queue"}}],
                  "responses": {"default": {"description": "any", "schema": {"$ref": "#/definitions/Error"}}}}
      },
      "/queues/members": {"get": {"operationId": "members", "responses": {"200": {"description": "ok"}}}}
    },
    "definitions": {
      "Queue": {"type": "object", "required": ["id"],
                "properties": {"id": {"type": "string"}, "state": {"type": "string", "enum": ["active", "inactive"]},
                               "selfUri": {"type": "string", "format": "uri"}}},
      "Error": {"type": "object", "properties": {"code": {"type": "string"}}}
    }})"),
                                     "swagger.json");
  EXPECT_TRUE(spec) << spec.error().message;
  return std::move(*spec);
}

TEST(ApiSpec, SwaggerOperationsSitUnderTheBasePath) {
  auto spec = swagger();
  ASSERT_EQ(spec.operations().size(), 3u);
  EXPECT_EQ(spec.base_paths(), std::vector<std::string>{"/v1"});
  const auto* op = spec.find("GET", "/v1/queues/q-1");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->label(), "GET /queues/{queueId} (getQueue)");
  EXPECT_EQ(op->pointer, "/paths/~1queues~1{queueId}/get");
  EXPECT_EQ(spec.find("GET", "/queues/q-1"), nullptr);      // not under the base path
  EXPECT_EQ(spec.find("GET", "/v1x/queues/q-1"), nullptr);  // a prefix, not a segment
  EXPECT_EQ(spec.find("DELETE", "/v1/queues/q-1"), nullptr);
  EXPECT_EQ(spec.methods_at("/v1/queues/q-1"), "GET, PATCH");
}

TEST(ApiSpec, TheMostLiteralTemplateWinsAndATemplateOnlyFitsAParameter) {
  auto spec = swagger();
  EXPECT_EQ(spec.find("GET", "/v1/queues/members")->operation_id, "members");
  EXPECT_EQ(spec.find("GET", "/v1/queues/{id}")->operation_id, "getQueue");  // a fixture's template
}

TEST(ApiSpec, ParametersMergePathLevelAndOperationLevel) {
  auto spec = swagger();
  const auto* op = spec.find("GET", "/v1/queues/q-1");
  ASSERT_EQ(op->parameters.size(), 3u);
  EXPECT_EQ(op->parameters[0].name, "queueId");
  EXPECT_TRUE(op->parameters[0].required);
  EXPECT_EQ(op->parameters[1].type, "integer");
  EXPECT_EQ(contracts::check_parameter_value(op->parameters[1], "25"), "");
  EXPECT_EQ(contracts::check_parameter_value(op->parameters[1], "25x"), "\"25x\" is not an integer");
  EXPECT_EQ(contracts::check_parameter_value(op->parameters[2], "members"), "");
  EXPECT_EQ(contracts::check_parameter_value(op->parameters[2], "agents"), "\"agents\" is not one of members, wrapups");
  const auto* patch = spec.find("PATCH", "/v1/queues/q-1");
  EXPECT_EQ(patch->request_schema_pointer, "/paths/~1queues~1{queueId}/patch/parameters/0/schema");
  EXPECT_TRUE(patch->request_body_required);
}

TEST(ApiSpec, ResponsesByStatusThenClassThenDefault) {
  auto spec = swagger();
  const auto* get = spec.find("GET", "/v1/queues/q-1");
  EXPECT_EQ(ApiSpec::response_for(*get, 200)->schema_pointer, "/paths/~1queues~1{queueId}/get/responses/200/schema");
  EXPECT_TRUE(ApiSpec::response_for(*get, 404)->schema_pointer.empty());  // declared, without a body
  EXPECT_EQ(ApiSpec::response_for(*get, 409), nullptr);
  EXPECT_EQ(ApiSpec::declared_statuses(*get), "200, 404");
  const auto* patch = spec.find("PATCH", "/v1/queues/q-1");
  EXPECT_EQ(ApiSpec::response_for(*patch, 503)->status, "default");
}

TEST(ApiSpec, BodiesAreCheckedAgainstTheDeclaredSchema) {
  auto spec = swagger();
  const auto* get = spec.find("GET", "/v1/queues/q-1");
  const std::string& pointer = ApiSpec::response_for(*get, 200)->schema_pointer;
  auto ok = spec.validate(pointer, util::Json::parse(R"({"id":"q-1","state":"active","selfUri":"/v1/queues/q-1"})"));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_TRUE(ok->empty());  // a relative selfUri under "format: uri" is what vendors answer
  auto bad = spec.validate(pointer, util::Json::parse(R"({"state":"paused"})"));
  ASSERT_TRUE(bad);
  ASSERT_EQ(bad->size(), 2u);
  EXPECT_EQ((*bad)[0].code, "SCHEMA_REQUIRED");
  EXPECT_EQ((*bad)[1].pointer, "/state");
  // The compiled schema is kept: a second check gives the same answer.
  EXPECT_EQ(spec.validate(pointer, util::Json::parse(R"({"state":"paused"})"))->size(), 2u);
}

TEST(ApiSpec, OpenApiServersGiveTheBasePathWithTheirVariables) {
  auto spec = ApiSpec::from_document(util::Json::parse(R"({
    "openapi": "3.0.3",
    "servers": [{"url": "https://{host}/api/{version}", "variables": {"host": {"default": "x.example"},
                                                                     "version": {"default": "v2"}}},
                {"url": "/relative"}],
    "paths": {"/things": {"post": {
      "requestBody": {"$ref": "#/components/requestBodies/Thing"},
      "responses": {"2XX": {"description": "ok", "content": {"application/json": {
                       "schema": {"$ref": "#/components/schemas/Thing"},
                       "examples": {"one": {"value": {"name": "from the example"}}}}}},
                    "4XX": {"$ref": "#/components/responses/Problem"}}}}},
    "components": {
      "schemas": {"Thing": {"type": "object", "properties": {"name": {"type": "string", "nullable": true}}}},
      "requestBodies": {"Thing": {"required": true, "content": {"application/json; charset=utf-8": {
                           "schema": {"$ref": "#/components/schemas/Thing"}}}}},
      "responses": {"Problem": {"description": "problem", "content": {"application/problem+json": {
                       "schema": {"type": "object", "required": ["title"]}}}}}}})"),
                                     "oas.json");
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->base_paths(), (std::vector<std::string>{"/api/v2", "/relative"}));
  ASSERT_NE(spec->find("POST", "/api/v2/things"), nullptr);
  ASSERT_NE(spec->find("POST", "/relative/things"), nullptr);
  const auto& op = *spec->find("POST", "/api/v2/things");
  EXPECT_TRUE(op.request_body_required);
  EXPECT_EQ(op.request_schema_pointer,
            "/components/requestBodies/Thing/content/application~1json; charset=utf-8/schema");
  EXPECT_TRUE(spec->validate(op.request_schema_pointer, util::Json::parse(R"({"name":null})"))->empty());
  EXPECT_EQ(ApiSpec::response_for(op, 201)->status, "2XX");
  EXPECT_EQ(*spec->example_body(*ApiSpec::response_for(op, 201)), util::Json::parse(R"({"name":"from the example"})"));
  const auto* problem = ApiSpec::response_for(op, 422);
  ASSERT_NE(problem, nullptr);
  EXPECT_EQ(problem->schema_pointer, "/components/responses/Problem/content/application~1problem+json/schema");
}

TEST(ApiSpec, ExampleBodiesAreGeneratedFromTheSchemaAndStopOnRecursion) {
  auto spec = ApiSpec::from_document(util::Json::parse(R"({
    "openapi": "3.1.0",
    "paths": {"/n": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
      "schema": {"$ref": "#/components/schemas/Node"}}}}}}}},
    "components": {"schemas": {"Node": {"type": "object", "properties": {
      "id": {"type": "string", "format": "uuid"}, "kind": {"enum": ["leaf", "branch"]},
      "size": {"type": "integer", "minimum": 3}, "label": {"type": "string", "default": "n"},
      "child": {"$ref": "#/components/schemas/Node"}}}}}})"),
                                     "n.json");
  ASSERT_TRUE(spec);
  auto body = spec->example_body(*ApiSpec::response_for(spec->operations()[0], 200));
  ASSERT_TRUE(body);
  EXPECT_EQ((*body)["id"], "00000000-0000-4000-8000-000000000000");
  EXPECT_EQ((*body)["kind"], "leaf");
  EXPECT_EQ((*body)["size"], 3);
  EXPECT_EQ((*body)["label"], "n");
  // Children nest until the depth bound, where the last one is empty: the recursion ends.
  int depth = 0;
  for (const util::Json* n = &*body; n->is_object() && n->contains("child"); n = &(*n)["child"]) ++depth;
  EXPECT_GT(depth, 3);
  EXPECT_LE(depth, 11);
  // The generated body passes its own schema.
  auto v = spec->validate(ApiSpec::response_for(spec->operations()[0], 200)->schema_pointer, *body);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->empty()) << util::dump_line(*body);
}

TEST(ApiSpec, AWideRecursiveModelStillGivesABoundedExample) {
  // Eight self-references per level: 8^10 values without the budget.
  util::Json wide = util::Json::parse(R"({"openapi": "3.0.0", "paths": {"/w": {"get": {"responses": {"200": {
    "description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/W"}}}}}}}},
    "components": {"schemas": {"W": {"type": "object", "properties": {}}}}})");
  for (char c = 'a'; c < 'i'; ++c)
    wide["components"]["schemas"]["W"]["properties"][std::string(1, c)] = {{"$ref", "#/components/schemas/W"}};
  auto spec = ApiSpec::from_document(wide, "wide.json");
  ASSERT_TRUE(spec);
  auto body = spec->example_body(*ApiSpec::response_for(spec->operations()[0], 200));
  ASSERT_TRUE(body);
  EXPECT_LE(body->dump().size(), 20000u * 8u);  // about one object per budgeted value
  EXPECT_TRUE((*body)["a"]["a"].is_object());
}

TEST(ApiSpec, WhatIsNotADescriptionIsRefusedWithTheReason) {
  auto no = ApiSpec::from_document(util::Json::parse(R"({"paths": {}})"), "x.json");
  ASSERT_FALSE(no);
  EXPECT_NE(no.error().message.find("x.json: not an API description"), std::string::npos);
  auto empty = ApiSpec::from_document(util::Json::parse(R"({"swagger": "2.0"})"), "y.json");
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("no \"paths\""), std::string::npos);
  auto missing = ApiSpec::load("/nonexistent/spec.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no such file"), std::string::npos);
}

TEST(ApiSpec, TheNearestOperationNamesATypo) {
  auto spec = swagger();
  EXPECT_EQ(spec.nearest("GET", "/v1/queue/q-1"), "GET /queues/{queueId} (getQueue)");
  EXPECT_EQ(spec.nearest("GET", "queues"), "");  // no leading '/': nothing to compare, no crash
  EXPECT_EQ(spec.find("GET", "queues"), nullptr);
}

// The Genesys extracts: today's replace/queue (derived document) and the 2018 Swagger operations.
TEST(ApiSpec, GenesysExtractsKnowTheTransferCalls) {
  auto current = ApiSpec::load(kData + "current.openapi.json");
  ASSERT_TRUE(current) << current.error().message;
  const auto* replace = current->find("POST", "/api/v2/conversations/c-1/participants/p-1/replace/queue");
  ASSERT_NE(replace, nullptr);
  EXPECT_EQ(ApiSpec::response_for(*replace, 202)->schema_pointer, "");  // 202 with no body
  auto v = current->validate(replace->request_schema_pointer, util::Json::parse(R"({"queueId": 7})"));
  ASSERT_TRUE(v) << v.error().message;
  ASSERT_EQ(v->size(), 1u);
  EXPECT_EQ((*v)[0].pointer, "/queueId");
  auto old = ApiSpec::load(kData + "platform-api-2018-03-21.subset.swagger.json");
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_EQ(old->operations().size(), 12u);
  EXPECT_EQ(old->find("POST", "/api/v2/conversations/c-1/participants/p-1/replace/queue"), nullptr);  // not in 2018
  EXPECT_EQ(old->find("GET", "/api/v2/routing/queues/q-1")->operation_id, "getRoutingQueuesQueueId");
}

}  // namespace
