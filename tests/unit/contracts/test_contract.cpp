#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "contracts/contract.hpp"
#include "contracts/key_table.hpp"
#include "contracts/lints.hpp"

namespace {

std::vector<contracts::Contract> transfer() {
  std::vector<contracts::Contract> out;
  out.push_back(util::value_or_throw(contracts::load_contract("transfer")));
  return out;
}

const char* kValid = R"({"transferTo":{"type":"queue","id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},
  "transferType":"blind","wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},
  "contextData":{"intent":"billing","customerName":"Jane","confidence":0.9,"timestamp":"2026-11-20T14:04:52Z",
  "language":"en-US","customKey":"kept"}})";

bool has(const std::vector<contracts::Violation>& vs, const std::string& code, const std::string& ptr) {
  for (const auto& v : vs)
    if (v.code == code && v.pointer == ptr) return true;
  return false;
}

}  // namespace

TEST(Contract, BuiltInTransferContractAcceptsAValidPayload) {
  auto vs = contracts::check_payload_text(transfer(), kValid);
  EXPECT_TRUE(vs.empty()) << vs[0].code << " " << vs[0].pointer << " " << vs[0].message;
}

TEST(Contract, QueueNameInTransferToIsQueueNameNotId) {
  auto doc = util::Json::parse(kValid);
  doc["transferTo"]["id"] = "Billing Support";
  auto vs = contracts::check_payload(transfer(), doc, 100);
  EXPECT_TRUE(has(vs, "QUEUE_NAME_NOT_ID", "/transferTo/id"));
}

TEST(Contract, NestedObjectInContextDataIsRejected) {
  auto doc = util::Json::parse(kValid);
  doc["contextData"]["customer"] = {{"name", "Jane"}};
  EXPECT_TRUE(has(contracts::check_payload(transfer(), doc, 100), "SCHEMA_TYPE", "/contextData/customer"));
}

TEST(Contract, UnrenderedTemplateIsLinted) {
  auto doc = util::Json::parse(kValid);
  doc["contextData"]["customerName"] = "{{ context.customer.name }}";
  auto vs = contracts::check_payload(transfer(), doc, 100);
  ASSERT_TRUE(has(vs, "UNRESOLVED_TEMPLATE", "/contextData/customerName"));
  // Ordinary braces are not templates.
  doc["contextData"]["customerName"] = "Jane {VIP}";
  EXPECT_FALSE(has(contracts::check_payload(transfer(), doc, 100), "UNRESOLVED_TEMPLATE", "/contextData/customerName"));
}

TEST(Contract, SizeLimitComesFromTheContract) {
  auto vs = contracts::check_payload(transfer(), util::Json::parse(kValid), 40000);
  EXPECT_TRUE(has(vs, "PAYLOAD_TOO_LARGE", ""));
  EXPECT_FALSE(has(contracts::check_payload(transfer(), util::Json::parse(kValid), 30000), "PAYLOAD_TOO_LARGE", ""));
}

TEST(Contract, InvalidJsonGivesLineAndColumn) {
  auto vs = contracts::check_payload_text(transfer(), "{\n  \"transferTo\": ,\n}");
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].code, "INVALID_JSON");
  EXPECT_EQ(vs[0].line, 2u);
  EXPECT_EQ(vs[0].column, 17u);
  EXPECT_NE(vs[0].message.find("line 2, column 17"), std::string::npos) << vs[0].message;
}

TEST(Contract, UnknownContractNameListsTheBuiltIns) {
  auto c = contracts::load_contract("transfre");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("transfer"), std::string::npos);
}

TEST(Contract, DuplicateKeysAreFoundOnceEachInSmallAndLargeObjectsAtEveryDepth) {
  // Past 48 keys the lint switches from a filter over a short list to a table per depth: both must find
  // every repeated key exactly once, wherever it is.
  auto object = [](int keys, const std::vector<int>& repeats, const std::string& nested) {
    std::string text = "{";
    auto member = [&](int k, int value) {
      if (text.size() > 1) text.append(",");
      text.append("\"k").append(std::to_string(k)).append("\":").append(std::to_string(value));
    };
    for (int i = 0; i < keys; ++i) member(i, i);
    for (int r : repeats) member(r, 0);
    if (!nested.empty()) text.append(",\"inner\":").append(nested);
    return text.append("}");
  };
  for (int keys : {3, 8, 9, 16, 17, 40, 47, 48, 49, 60, 1500}) {
    std::string inner = object(keys, {keys - 1, 0, keys - 1}, object(keys, {1 % keys}, ""));
    std::string text =
        R"({"transferTo":{"type":"queue","id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},"transferType":"blind",)"
        R"("wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},"contextData":{"intent":"x"},"x":)" +
        inner + "}";
    std::multiset<std::string> dups;
    for (const auto& v : contracts::check_payload_text(transfer(), text))
      if (v.code == "DUPLICATE_KEY") dups.insert(v.pointer);
    std::multiset<std::string> want = {"/x/k" + std::to_string(keys - 1), "/x/k0",
                                       "/x/inner/k" + std::to_string(1 % keys)};
    EXPECT_EQ(dups, want) << keys << " keys";
  }
}

TEST(Contract, KeysWhoseHashesShareTheWalksTagAreLeftToTheExactLintPass) {
  // The schema walk keeps 24 bits of each key's hash, mixed with its object's tape index: two
  // different keys with the same bits are "maybe repeated", and the lint pass, which compares the
  // keys themselves, decides. Two such keys (found by trying names) are not a DUPLICATE_KEY; a
  // real repeat beside them is, once.
  constexpr std::uint64_t kRoot = 1;  // the root object's index on simdjson's tape
  auto tag = [](const std::string& k) { return (contracts::key_hash(k) ^ (kRoot * 0x9E3779B97F4A7C15ull)) >> 40; };
  std::unordered_map<std::uint64_t, std::string> seen;
  std::string a, b;
  for (int i = 0; a.empty() && i < 4'000'000; ++i) {
    std::string k = "key" + std::to_string(i);
    auto [it, fresh] = seen.emplace(tag(k), k);
    if (!fresh) a = it->second, b = k;
  }
  ASSERT_FALSE(a.empty());
  std::string base = kValid;
  base.pop_back();  // the closing brace
  const std::string text = base + ",\"" + a + "\":1,\"" + b + "\":2}";
  // The walk's table does take them for one key (start reads only the tape's root word: the
  // index of its last word) ...
  const std::uint64_t root_word[] = {20};
  contracts::WalkKeys keys;
  keys.start(contracts::TapeDocument{root_word, nullptr});
  keys.add(kRoot, a);
  EXPECT_TRUE(keys.complete());
  keys.add(kRoot, b);
  EXPECT_FALSE(keys.complete()) << a << " " << b;
  // ... and the report does not.
  auto vs = contracts::check_payload_text(transfer(), text);
  EXPECT_TRUE(vs.empty()) << vs[0].code << " " << vs[0].pointer;
  vs = contracts::check_payload_text(transfer(), base + ",\"" + a + "\":1,\"" + b + "\":2,\"" + a + "\":3}");
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].code, "DUPLICATE_KEY");
  EXPECT_EQ(vs[0].pointer, "/" + a);
}

TEST(Contract, TheVectorTemplateScanAnswersAsTheByteScan) {
  // may_hold_template takes the widest vector scan the CPU has (64 bytes a step, the last one
  // masked or by bytes): on random text of the characters that matter ('{', backslashes, the
  // letters of \u007b), with "{{" and escapes astride every step boundary, its answer must be the
  // byte scan's, and both must find what is planted.
  std::mt19937 rng(5);
  const std::string alphabet = "{{\\\\u007bBa\" ";
  int yes = 0;
  for (int round = 0; round < 20000; ++round) {
    std::size_t size = rng() % 200;
    std::string text;
    for (std::size_t i = 0; i < size; ++i) text += alphabet[rng() % alphabet.size()];
    if (round % 4 == 0) text = std::string(rng() % 130, 'a');  // mostly nothing, then one thing
    if (round % 8 == 0 && !text.empty()) text.insert(rng() % text.size(), "{{");
    const bool want = contracts::may_hold_template_reference(text);
    yes += want;
    ASSERT_EQ(contracts::may_hold_template(text), want) << text;
  }
  EXPECT_GT(yes, 1000);
  for (std::size_t at = 0; at < 192; ++at) {  // one "{{" or "\u007b" at every place in 192 bytes
    std::string text(192, 'a');
    text.replace(at, 2, "{{", 0, std::min<std::size_t>(2, 192 - at));
    EXPECT_EQ(contracts::may_hold_template(text), at + 1 < 192) << at;
    std::string escaped(192, 'a');
    if (at + 6 <= 192) {
      escaped.replace(at, 6, "\\u007b");
      EXPECT_TRUE(contracts::may_hold_template(escaped)) << at;
      escaped.replace(at, 6, "\\\\u07");  // an escaped backslash, then text
      EXPECT_FALSE(contracts::may_hold_template(escaped)) << at;
    }
  }
}

TEST(Contract, ValueLintsFindEveryRepeatedKeyAndUnrenderedTemplateInRandomDocuments) {
  // The value lints first run as a yes/no pass over simdjson's tape, and the walk that says where
  // only when it answers yes: on random documents (objects of 0-40 keys, arrays, scalars, depth up
  // to 6; some past 48 keys, where a table takes over) with repeated keys, templates in values,
  // escaped templates, escaped backslashes before "u007b", and "{{" in keys (not a
  // template: only values are checked), the report must be exactly what the generator planted.
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::multiset<std::string> want;
  std::function<std::string(int, const std::string&)> value = [&](int depth, const std::string& at) -> std::string {
    int kind = depth >= 6 ? 2 + pick(3) : pick(5);
    if (kind == 0) {  // object
      int keys = pick(4) == 0 ? pick(pick(3) == 0 ? 70 : 40) : pick(9);
      std::string text = "{";
      std::vector<std::string> names;
      for (int i = 0; i < keys; ++i) {
        std::string name = pick(10) == 0 ? "k{{" + std::to_string(i) + "}}" : "key" + std::to_string(i);
        if (!names.empty() && pick(12) == 0) {  // a repeat of an earlier key
          name = names[pick(static_cast<int>(names.size()))];
          if (std::count(names.begin(), names.end(), name) == 1) want.insert("DUPLICATE_KEY " + at + "/" + name);
        }
        names.push_back(name);
        if (i) text += ',';
        text.append("\"").append(name).append("\":").append(value(depth + 1, at + "/" + name));
      }
      return text + "}";
    }
    if (kind == 1) {  // array
      int n = pick(6);
      std::string text = "[";
      for (int i = 0; i < n; ++i) {
        if (i) text += ',';
        text.append(value(depth + 1, at + "/" + std::to_string(i)));
      }
      return text + "]";
    }
    if (kind == 2) {  // string, sometimes with a template (plain or escaped), sometimes long
      int t = pick(8);
      std::string filler(static_cast<std::size_t>(pick(3) == 0 ? pick(60) : pick(10)), 'a');
      if (t == 0) {
        want.insert("UNRESOLVED_TEMPLATE " + at);
        return "\"" + filler + "{{ context.x }}\"";
      }
      if (t == 1) {
        want.insert("UNRESOLVED_TEMPLATE " + at);
        return "\"\\u007b\\u007bctx}}" + filler + "\"";
      }
      if (t == 2) return "\"" + filler + "{ {not}} {x}\"";          // braces, no "{{"
      if (t == 3) return "\"\\\\u007b\\\\u007b" + filler + "}}\"";  // an escaped backslash, then "u007b": no brace
      return "\"" + filler + "\"";
    }
    return kind == 3 ? std::to_string(pick(1000)) : (pick(2) ? "true" : "null");
  };
  for (int round = 0; round < 400; ++round) {
    want.clear();
    std::string text = "{\"x\":" + value(0, "/x") + "}";
    std::multiset<std::string> got;
    for (const auto& v : contracts::check_payload_text(transfer(), text))
      if (v.code == "DUPLICATE_KEY" || v.code == "UNRESOLVED_TEMPLATE") got.insert(v.code + " " + v.pointer);
    ASSERT_EQ(got, want) << text;
  }
}

TEST(Contract, RepeatedKeysAreFoundWhereverTheSchemaWalkGoesAndWhereItDoesNot) {
  // With no template in the text, the schema walk adds the keys of each object it walks and the
  // lint pass walks the document only when the schema walk went past a container or saw a key
  // twice. Whatever the schema walks (every value, through additionalProperties and items; each
  // object twice, through allOf; through patternProperties, the general member check; or nothing
  // below the root), the repeated keys reported must be exactly those planted, in random
  // documents of objects (some past the key table's first slots) and arrays.
  const char* kSchemas[] = {
      R"({"additionalProperties":{"$ref":"#"},"items":{"$ref":"#"}})",
      R"({"allOf":[{"$ref":"#/definitions/w"},{"$ref":"#/definitions/w"}],)"
      R"("definitions":{"w":{"additionalProperties":{"$ref":"#"},"items":{"$ref":"#"}}}})",
      R"({"patternProperties":{"^k":{"$ref":"#"}},"items":{"$ref":"#"}})",
      R"({"type":"object","properties":{"key0":{"type":["object","array","string","number","boolean","null"]}}})",
      R"({"properties":{"key1":{"$ref":"#"}},"additionalProperties":{"type":["string","number","boolean","null"]}})",
  };
  std::mt19937 rng(11);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::multiset<std::string> want;  // a path twice: two objects there (under a repeated key)
  std::function<std::string(int, const std::string&)> value = [&](int depth, const std::string& at) -> std::string {
    int kind = depth == 0 ? 0 : depth >= 5 ? 2 : pick(4);
    if (kind == 0) {
      int keys = pick(5) == 0 ? pick(90) : pick(8);
      std::string text = "{";
      std::vector<std::string> names;
      for (int i = 0; i < keys; ++i) {
        std::string name = "key" + std::to_string(i);
        if (!names.empty() && pick(10) == 0) {  // a repeat: reported once however often it repeats
          name = names[pick(static_cast<int>(names.size()))];
          if (std::count(names.begin(), names.end(), name) == 1) want.insert(at + "/" + name);
        }
        names.push_back(name);
        text.append(i ? ",\"" : "\"").append(name).append("\":").append(value(depth + 1, at + "/" + name));
      }
      return text + "}";
    }
    if (kind == 1) {
      std::string text = "[";
      for (int i = 0, n = pick(5); i < n; ++i)
        text.append(i ? "," : "").append(value(depth + 1, at + "/" + std::to_string(i)));
      return text + "]";
    }
    return pick(2) ? "\"v\"" : std::to_string(pick(100));
  };
  for (const char* schema : kSchemas) {
    std::vector<contracts::Contract> contract;
    contract.push_back(
        {"walk", util::value_or_throw(contracts::Schema::compile(util::Json::parse(schema), "walk")), {}});
    for (int round = 0; round < 120; ++round) {
      want.clear();
      std::string text = value(0, "");
      std::multiset<std::string> got;
      for (const auto& v : contracts::check_payload_text(contract, text))
        if (v.code == "DUPLICATE_KEY") got.insert(v.pointer);
      ASSERT_EQ(got, want) << schema << "\n" << text;
    }
  }
}

TEST(Contract, AParentsKeyTableSurvivesADeeperChildGrowingTheTablesOnAFreshThread) {
  // Past 48 keys an object's keys go into a table per depth, kept per thread; the first time a
  // deeper object needs one, the tables grow. The parent's table must stay where it is: its keys
  // after the child (and a repeat of one before it) are still checked. A fresh thread starts
  // with no tables, so the growth happens inside this document.
  std::string child = "{";
  for (int i = 0; i < 60; ++i) child += (i ? ",\"c" : "\"c") + std::to_string(i) + "\":" + std::to_string(i);
  child += "}";
  std::string parent = "{";
  for (int i = 0; i < 60; ++i) parent += "\"p" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  parent += "\"child\":" + child;
  for (int i = 60; i < 70; ++i) parent += ",\"p" + std::to_string(i) + "\":" + std::to_string(i);
  parent += ",\"p3\":0}";  // a repeat of a key from before the child
  std::string text =
      R"({"transferTo":{"type":"queue","id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},"transferType":"blind",)"
      R"("wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},"contextData":{"intent":"x"},"x":{"y":)" +
      parent + "}}";
  std::multiset<std::string> dups;
  std::thread([&] {
    for (const auto& v : contracts::check_payload_text(transfer(), text))
      if (v.code == "DUPLICATE_KEY") dups.insert(v.pointer);
  }).join();
  EXPECT_EQ(dups, std::multiset<std::string>{"/x/y/p3"});
}

TEST(Contract, ARawNulAnywhereInAPayloadIsInvalidJson) {
  // The fast parser must refuse a NUL wherever it stands (inside a string, between tokens, inside
  // a number or a literal, before and after the document): nothing scans for it beforehand.
  std::string valid =
      R"({"transferTo":{"type":"queue","id":"7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"},"transferType":"blind",)"
      R"("wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},"contextData":{"intent":"x","n":12.5,"b":true}})";
  ASSERT_TRUE(contracts::check_payload_text(transfer(), valid).empty());
  for (std::size_t at = 0; at <= valid.size(); ++at) {
    for (bool replace : {false, true}) {
      if (replace && at == valid.size()) continue;
      std::string text = valid;
      if (replace)
        text[at] = '\0';
      else
        text.insert(at, 1, '\0');
      auto vs = contracts::check_payload_text(transfer(), text);
      ASSERT_EQ(vs.size(), 1u) << (replace ? "replaced " : "inserted ") << at;
      EXPECT_EQ(vs[0].code, "INVALID_JSON") << at;
    }
  }
}

// The CXone Signal contract takes each published shape of p2 (docs/profiles.md, "The Signal's
// published forms"): the bundled convention, and the Exit Interaction node's optionalParamsObject.
TEST(Contract, CxoneSignalTakesTheConventionAndTheExtensionsOptionalParams) {
  std::vector<contracts::Contract> signal;
  signal.push_back(util::value_or_throw(contracts::load_contract("cxone-signal")));
  auto codes = [&](const std::string& text) {
    std::vector<std::string> out;
    for (const auto& v : contracts::check_payload_text(signal, text)) out.push_back(v.code + " " + v.pointer);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(codes(R"({"p1":"Escalate","p2":"6368531","p3":"8812","p4":"{\"intent\":\"billing\"}"})"), V{});
  EXPECT_EQ(codes(R"({"p1":"Escalate","p2":"[{\"intent\":\"billing\"},{\"skill\":\"6368531\"}]"})"), V{});
  EXPECT_EQ(codes(R"({"p1":"Escalate","p2":"{\"intent\":\"billing\"}","p3":"{\"skill\":\"6368531\"}"})"), V{});
  EXPECT_EQ(codes(R"({"p1":"Escalate","p2":"[{\"intent\": oops"})"), V{"SCHEMA_FORMAT /p2"});
  // Elements are objects or strings: one violation each (a pointer cannot enter the string).
  EXPECT_EQ(codes(R"({"p1":"Escalate","p2":"[1, 2]"})"), (V{"SCHEMA_TYPE /p2", "SCHEMA_TYPE /p2"}));
  EXPECT_EQ(codes(R"({"p1":"Escalate","p2":"Billing Support","p3":"8812","p4":"{\"intent\":\"b\"}"})"),
            V{"QUEUE_NAME_NOT_ID /p2"});
  EXPECT_EQ(codes(R"({"p1":"Escalate","p2":"6368531"})"), (V{"SCHEMA_REQUIRED /p3", "SCHEMA_REQUIRED /p4"}));
  EXPECT_EQ(codes(R"({"p2":"6368531","p3":"8812","p4":"{\"intent\":\"b\"}"})"), V{"SCHEMA_REQUIRED /p1"});
  // The hint for a missing p3 no longer offers p1, its neighbour in the numbered family.
  for (const auto& v : contracts::check_payload_text(signal, R"({"p1":"Escalate","p2":"6368531"})"))
    EXPECT_EQ(v.hint.find("did you mean"), std::string::npos) << v.hint;
}
