// Provider states: what a setup and a teardown leave set up, what an interaction naming states
// may answer, and the refusals (an unknown state, a malformed change) with their words.
#include <gtest/gtest.h>

#include "mockserver/provider_states.hpp"

namespace {

using mockserver::ProviderStates;
using util::Json;

const std::vector<std::string> kKnown = {"a", "b", "c"};

util::HttpRequest plain() { return {}; }

TEST(ProviderStates, NothingSetUpServesEveryStateAndASetupReplacesThePrevious) {
  ProviderStates states;
  EXPECT_TRUE(states.allows({"a"}, plain()));
  ASSERT_TRUE(states.change({{"state", "a"}}, kKnown).has_value());
  EXPECT_TRUE(states.allows({"a"}, plain()));
  EXPECT_FALSE(states.allows({"b"}, plain()));
  EXPECT_TRUE(states.allows({"b", "a"}, plain()));  // one of its states is enough
  // A verifier sets up each interaction's states in turn: the next setup replaces.
  auto r = states.change({{"state", "b"}, {"action", "setup"}}, kKnown);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ((*r)["active"], Json::array({"b"}));
  EXPECT_FALSE(states.allows({"a"}, plain()));
  // "states" as names or as {name, params}, merged with "state".
  r = states.change({{"state", "a"}, {"states", Json::array({{{"name", "b"}, {"params", {{"x", 1}}}}, "c"})}}, kKnown);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ((*r)["active"], Json::array({"a", "b", "c"}));
  r = states.change({{"state", "b"}, {"action", "teardown"}}, kKnown);
  EXPECT_EQ((*r)["active"], Json::array({"a", "c"}));
  r = states.change({{"action", "teardown"}}, kKnown);
  EXPECT_EQ((*r)["active"], Json::array());
  EXPECT_TRUE(states.allows({"b"}, plain()));
}

TEST(ProviderStates, TheHeaderChoosesForOneRequestAndResetReturnsToTheStart) {
  ProviderStates states({"a"});
  util::HttpRequest with_header;
  with_header.headers.add("X-Pact-Provider-State", " b ");
  EXPECT_TRUE(states.allows({"b"}, with_header));
  EXPECT_FALSE(states.allows({"a"}, with_header));
  EXPECT_FALSE(states.allows({"b"}, plain()));
  ASSERT_TRUE(states.change({{"state", "b"}}, kKnown).has_value());
  states.reset();
  EXPECT_EQ(states.active(), std::vector<std::string>({"a"}));
}

TEST(ProviderStates, RefusalsSayWhat) {
  ProviderStates states;
  auto message = [&](const Json& body) {
    auto r = states.change(body, kKnown);
    return r ? std::string("accepted") : r.error().message;
  };
  EXPECT_EQ(message({{"state", "d"}}), "no interaction names the provider state \"d\"; known: \"a\", \"b\", \"c\"");
  EXPECT_EQ(message({{"state", 1}}), "\"state\" must be a string");
  EXPECT_EQ(message({{"state", "a"}, {"action", "start"}}),
            "\"action\" must be \"setup\" or \"teardown\", not \"start\"");
  EXPECT_EQ(message(Json::array()).rfind("expected a JSON object", 0), 0u);
  EXPECT_EQ(message({{"states", Json::array({2})}}), "\"states\" must name each state as a string");
  EXPECT_EQ(states.active(), std::vector<std::string>());  // nothing refused changed anything
}

TEST(ProviderStates, AnInteractionWithNoStateSetsNothingUp) {
  // What Pact's verifier sends before an interaction without provider states: {"state": ""}.
  ProviderStates states;
  ASSERT_TRUE(states.change({{"state", "a"}}, kKnown).has_value());
  auto r = states.change({{"action", "setup"}, {"params", Json::object()}, {"state", ""}}, kKnown);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ((*r)["active"], Json::array());
  EXPECT_TRUE(states.allows({"b"}, plain()));
  EXPECT_TRUE(states.change({{"action", "teardown"}, {"state", ""}}, kKnown).has_value());
}

}  // namespace
