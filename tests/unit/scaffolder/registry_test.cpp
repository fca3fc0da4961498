// The registry lists actions in Backstage's GET /v2/actions shape, byte for
// byte for the built-ins, and refuses duplicates and bad schemas.
#include "scaffolder/registry.h"

#include "test_util.h"

namespace idp::scaffolder {
namespace {

using testing::ParseJson;
using testing::ReadFile;

TEST(Registry, BuiltinListingsMatchBackstage) {
  ActionRegistry r;
  testing::RegisterBuiltins(r);
  Json oracle = ParseJson(ReadFile(std::string(IDP_SOURCE_DIR) + "/tests/conformance/scaffolder/oracle/actions.json"));
  Json ours = r.List();
  ASSERT_TRUE(oracle.IsArray());
  std::size_t matched = 0;
  for (const auto& item : ours.GetArray()) {
    const JsonValue* found = nullptr;
    for (const auto& o : oracle.GetArray()) {
      if (o["id"] == item["id"]) found = &o;
    }
    ASSERT_NE(found, nullptr) << AsView(item["id"]);
    EXPECT_EQ(ToJsonString(item), ToJsonString(*found)) << AsView(item["id"]);
    ++matched;
  }
  EXPECT_EQ(matched, 9u);
  for (rapidjson::SizeType i = 1; i < ours.Size(); ++i) {
    EXPECT_LT(AsView(ours[i - 1]["id"]), AsView(ours[i]["id"]));
  }
}

TEST(Registry, DuplicateIdsAndBadSchemasAreRefused) {
  ActionRegistry r;
  ActionSpec a;
  a.id = "my:action";
  a.handler = [](ActionContext&) { return Status::Ok(); };
  ASSERT_TRUE(r.Register(a).ok());
  EXPECT_FALSE(r.Register(a).ok());
  ActionSpec bad = a;
  bad.id = "my:bad";
  bad.input_schema_json = "{not json";
  Status s = r.Register(bad);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("my:bad"), std::string::npos) << s.message();
  EXPECT_EQ(r.Find("nope"), nullptr);
  EXPECT_NE(r.Find("my:action"), nullptr);
}

}  // namespace
}  // namespace idp::scaffolder
