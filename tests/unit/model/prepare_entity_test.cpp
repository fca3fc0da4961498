#include <gtest/gtest.h>

#include "model/entity_rules.h"
#include "test_util.h"

namespace idp::model {
namespace {

std::string Prepared(std::string_view text) {
  Json doc = testing::ParseJson(text);
  PrepareEntity(doc, doc.GetAllocator());
  return ToJsonString(doc);
}

TEST(PrepareEntity, DefaultNamespaceFirstAsLodashMergeDoes) {
  EXPECT_EQ(Prepared(R"({"kind":"K","metadata":{"name":"n","title":"t"},"spec":{}})"),
            R"({"metadata":{"namespace":"default","name":"n","title":"t"},"kind":"K","spec":{}})");
  // An existing namespace is kept where it is.
  EXPECT_EQ(Prepared(R"({"kind":"K","metadata":{"name":"n","namespace":"x"}})"),
            R"({"kind":"K","metadata":{"name":"n","namespace":"x"}})");
}

TEST(PrepareEntity, SortsStringListsInUtf16Order) {
  EXPECT_EQ(Prepared(R"({"metadata":{"namespace":"d"},"spec":{"providesApis":["b","B","a","A","_"],
      "consumesApis":["z","\uffff","\ud83d\ude00"],"dependsOn":["y","x"],"dependencyOf":["b",1,"a"],
      "memberOf":["m","l"],"children":["c2","c1"],"members":["u2","u1"],"other":["b","a"],"owner":"x"}})"),
            R"({"metadata":{"namespace":"d"},"spec":{"providesApis":["A","B","_","a","b"],)"
            R"("consumesApis":["z","😀","￿"],"dependsOn":["x","y"],"dependencyOf":["b",1,"a"],)"
            R"("memberOf":["l","m"],"children":["c1","c2"],"members":["u1","u2"],"other":["b","a"],"owner":"x"}})");
}

TEST(PrepareEntity, LeavesOddShapesAlone) {
  EXPECT_EQ(Prepared("[1]"), "[1]");
  EXPECT_EQ(Prepared(R"({"metadata":[],"spec":"x"})"), R"({"metadata":[],"spec":"x"})");
  EXPECT_EQ(Prepared(R"({"metadata":{"namespace":"a"},"spec":{"dependsOn":"b"}})"),
            R"({"metadata":{"namespace":"a"},"spec":{"dependsOn":"b"}})");
}

}  // namespace
}  // namespace idp::model
