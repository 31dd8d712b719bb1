#include <gtest/gtest.h>

#include "util/redact.hpp"
#include "util/strings.hpp"

TEST(Redactor, MasksASecretInEveryEncodingItTravelsIn) {
  util::Redactor r;
  r.add_secret("p@ss w/rd\"x");
  EXPECT_EQ(r.text("raw p@ss w/rd\"x"), "raw ***");
  EXPECT_EQ(r.text("form client_secret=" + util::url_encode("p@ss w/rd\"x")), "form client_secret=***");
  EXPECT_EQ(r.text(R"(json {"s":"p@ss w/rd\"x"})"), R"(json {"s":"***"})");
  EXPECT_EQ(r.text("abc"), "abc");
}

TEST(Redactor, PointersMaskValuesAndLearnThemForEveryOtherOutput) {
  util::Redactor r;
  r.add_pointer("/legs/*/participants/*/address/name");
  auto doc = util::Json::parse(
      R"({"legs":[{"participants":[{"address":{"name":"Jane Customer"}},{"address":{"name":"Bot"}}]}]})");
  r.json(doc);
  EXPECT_EQ(doc["legs"][0]["participants"][0]["address"]["name"], "***");
  EXPECT_EQ(doc["legs"][0]["participants"][1]["address"]["name"], "***");
  EXPECT_EQ(r.text("state active, customer Jane Customer"), "state active, customer ***") << "learned";
}

TEST(Redactor, APointerReachesIntoAStringHoldingJson) {
  util::Redactor r;
  r.add_pointer("/p4/customerName");
  auto doc =
      util::Json::parse(R"({"p1":"Escalate","p4":"{\"intent\":\"billing\",\"customerName\":\"Jane Customer\"}"})");
  r.json(doc);
  auto inner = util::Json::parse(doc["p4"].get<std::string>());
  EXPECT_EQ(inner["customerName"], "***");
  EXPECT_EQ(inner["intent"], "billing");
  EXPECT_EQ(doc["p1"], "Escalate");
  // Not JSON inside: left alone.
  auto plain = util::Json::parse(R"({"p4":"just text"})");
  r.json(plain);
  EXPECT_EQ(plain["p4"], "just text");
}

TEST(Redactor, TheWholeDocumentIsNeverAPointerTarget) {
  util::Redactor r;
  r.add_pointer("/");
  r.add_pointer("");
  EXPECT_TRUE(r.pointers().empty());
}

TEST(Redactor, RemembersWhichPointersMatchedSomething) {
  util::Redactor r;
  r.add_pointer("/contextData/customerName");
  r.add_pointer("/contextData/customerNme");
  util::Json doc = {{"contextData", {{"customerName", "Jane"}}}};
  r.json_const(doc);
  EXPECT_EQ(doc["contextData"]["customerName"], "***");
  EXPECT_TRUE(r.matched("/contextData/customerName"));
  EXPECT_FALSE(r.matched("/contextData/customerNme"));
}

TEST(Redactor, KnowsAJsonPointerFromOtherSyntax) {
  EXPECT_TRUE(util::is_json_pointer("/contextData/customerName"));
  EXPECT_TRUE(util::is_json_pointer("/a~1b/~0c/*"));
  EXPECT_FALSE(util::is_json_pointer("contextData.customerName"));
  EXPECT_FALSE(util::is_json_pointer("/a~2"));
  EXPECT_FALSE(util::is_json_pointer("/a~"));
}
