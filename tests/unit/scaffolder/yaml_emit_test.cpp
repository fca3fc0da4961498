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

}  // namespace
}  // namespace idp::scaffolder
