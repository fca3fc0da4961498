// YamlStringify against the real `yaml` package: yaml_emit_cases.jsonl holds
// what yaml 2.9.1's stringify wrote for each value (gen_yaml_emit_cases.mjs),
// so catalog:write's bytes can be checked without node at test time.
#include "scaffolder/yaml_emit.h"

#include <fstream>

#include "test_util.h"

namespace idp::scaffolder {
namespace {

TEST(YamlEmit, MatchesYamlPackageOnEveryCase) {
  std::ifstream in(std::string(IDP_SOURCE_DIR) + "/tests/unit/scaffolder/yaml_emit_cases.jsonl");
  ASSERT_TRUE(in.good());
  std::string line;
  int cases = 0, failed = 0;
  while (std::getline(in, line)) {
    Json c;
    c.Parse<rapidjson::kParseFullPrecisionFlag>(line.data(), line.size());  // JSON.parse is exact
    ASSERT_FALSE(c.HasParseError()) << line;
    ++cases;
    const std::string expected(AsView(c["yaml"]));
    const std::string got = YamlStringify(c["value"]);
    if (got != expected) {
      ++failed;
      ADD_FAILURE() << "case " << cases << ": " << ToJsonString(c["value"]) << "\nexpected:\n"
                    << expected << "\ngot:\n" << got;
      if (failed > 20) break;
    }
  }
  EXPECT_GE(cases, 800);
  EXPECT_EQ(failed, 0);
}

TEST(YamlEmit, KeysInJavaScriptOrder) {
  Json v = testing::ParseJson(R"({"b":1,"10":2,"a":3,"2":4,"01":5})");
  EXPECT_EQ(YamlStringify(v), "\"2\": 4\n\"10\": 2\nb: 1\na: 3\n\"01\": 5\n");
}

TEST(YamlEmit, RepeatedKeyKeepsFirstPlaceAndLastValue) {
  // JSON.parse('{"a":1,"b":2,"a":3}') is {a: 3, b: 2}.
  Json v = testing::ParseJson(R"({"a":1,"b":2,"a":3})");
  EXPECT_EQ(YamlStringify(v), "a: 3\nb: 2\n");
}

TEST(YamlEmit, LargeObjectsAndDeepNesting) {
  Json v(rapidjson::kObjectType);
  auto& a = v.GetAllocator();
  for (int i = 0; i < 50000; ++i) v.AddMember(MakeString("k" + std::to_string(i), a), JsonValue(i), a);
  const std::string text = YamlStringify(v);
  EXPECT_EQ(text.substr(0, 12), "k0: 0\nk1: 1\n");
  Json deep(rapidjson::kArrayType);
  JsonValue* at = &deep;
  for (int i = 0; i < 200; ++i) {
    at->PushBack(JsonValue(rapidjson::kArrayType), deep.GetAllocator());
    at = &(*at)[0];
  }
  EXPECT_EQ(YamlStringify(deep).substr(0, 6), "- - - ");
}

}  // namespace
}  // namespace idp::scaffolder
