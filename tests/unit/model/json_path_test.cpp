#include <gtest/gtest.h>

#include "model/json_path.h"
#include "test_util.h"

namespace idp::model {
namespace {

TEST(FormatPath, IdentifiersIndicesAndQuotedKeys) {
  EXPECT_EQ(FormatPath({}), "");
  EXPECT_EQ(FormatPath({std::string("spec"), std::string("dependsOn"), std::size_t{0}}), "spec.dependsOn[0]");
  EXPECT_EQ(FormatPath({std::string("metadata"), std::string("annotations"), std::string("backstage.io/x")}),
            "metadata.annotations['backstage.io/x']");
  EXPECT_EQ(FormatPath({std::string("a b")}), "['a b']");
  EXPECT_EQ(FormatPath({std::string("it's")}), "['it\\'s']");
  EXPECT_EQ(FormatPath({std::string("1a")}), "['1a']");
  EXPECT_EQ(FormatPath({std::string("_x$1")}), "_x$1");
  EXPECT_EQ(FormatPath({std::string("")}), "['']");
  EXPECT_EQ(FormatPath({std::size_t{3}, std::string("x")}), "[3].x");
}

TEST(ResolvePath, DeepestExistingNode) {
  const Json doc = testing::ParseJson(R"({"spec":{"dependsOn":["a","b"]},"metadata":{"labels":{"a/b":"c"}}})");
  bool exact = false;
  const JsonValue* v = ResolvePath(doc, {std::string("spec"), std::string("dependsOn"), std::size_t{1}}, &exact);
  EXPECT_TRUE(exact);
  ASSERT_TRUE(v->IsString());
  EXPECT_EQ(AsView(*v), "b");
  v = ResolvePath(doc, {std::string("spec"), std::string("dependsOn"), std::size_t{5}}, &exact);
  EXPECT_FALSE(exact);
  EXPECT_TRUE(v->IsArray());
  v = ResolvePath(doc, {std::string("metadata"), std::string("labels"), std::string("a/b")}, &exact);
  EXPECT_TRUE(exact);
  EXPECT_EQ(AsView(*v), "c");
  v = ResolvePath(doc, {std::string("nope"), std::string("x")}, &exact);
  EXPECT_FALSE(exact);
  EXPECT_EQ(v, &doc);
  EXPECT_EQ(ResolvePath(doc, {}), &doc);
  v = ResolvePath(doc, {std::string("spec"), std::size_t{0}}, &exact);  // index into an object
  EXPECT_FALSE(exact);
  EXPECT_TRUE(v->IsObject());
}

}  // namespace
}  // namespace idp::model
