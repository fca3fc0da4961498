// Small helpers of the validator: Node's path.normalize, stage names.
#include <gtest/gtest.h>

#include "validate/location_label.h"
#include "validate/verdict.h"

namespace idp::catalog {
namespace {

TEST(NodePathNormalize, MatchesNode) {
  // Expected values printed by node's path.normalize.
  EXPECT_EQ(NodePathNormalize(""), ".");
  EXPECT_EQ(NodePathNormalize("."), ".");
  EXPECT_EQ(NodePathNormalize("./"), "./");
  EXPECT_EQ(NodePathNormalize("a/"), "a/");
  EXPECT_EQ(NodePathNormalize("./a.yaml"), "a.yaml");
  EXPECT_EQ(NodePathNormalize("a//b/../c"), "a/c");
  EXPECT_EQ(NodePathNormalize("../x"), "../x");
  EXPECT_EQ(NodePathNormalize("/.."), "/");
  EXPECT_EQ(NodePathNormalize("/a/../.."), "/");
  EXPECT_EQ(NodePathNormalize("a/.."), ".");
  EXPECT_EQ(NodePathNormalize("a/../"), "./");
  EXPECT_EQ(NodePathNormalize("../"), "../");
  EXPECT_EQ(NodePathNormalize("/"), "/");
}

TEST(LocationLabel, RefIsTypeAndNormalizedTarget) {
  const LocationLabel l = MakeLocationLabel("file", "./dir//x.yaml");
  EXPECT_EQ(l.target, "dir/x.yaml");
  EXPECT_EQ(l.ref, "file:dir/x.yaml");
}

TEST(Stage, NamesAndFatality) {
  EXPECT_STREQ(StageName(Stage::kRootNotObject), "root-not-object");
  EXPECT_STREQ(StageName(Stage::kPostprocess), "postprocess");
  EXPECT_STREQ(StageName(Stage::kIo), "io");
  EXPECT_TRUE(IsFileFatal(Stage::kYaml));
  EXPECT_TRUE(IsFileFatal(Stage::kRootNotObject));
  EXPECT_TRUE(IsFileFatal(Stage::kEnvelope));
  EXPECT_TRUE(IsFileFatal(Stage::kIo));
  EXPECT_FALSE(IsFileFatal(Stage::kPolicy));
  EXPECT_FALSE(IsFileFatal(Stage::kLocation));
  EXPECT_FALSE(IsFileFatal(Stage::kIgnored));
}

}  // namespace
}  // namespace idp::catalog
