#include <gtest/gtest.h>

#include <algorithm>

#include "model/entity_ref.h"
#include "model/entity_rules.h"
#include "test_util.h"

namespace idp::model {
namespace {

RelationsResult Emit(std::string_view kind, std::string_view spec, std::string_view ns = "default",
                     std::string_view api = "backstage.io/v1alpha1") {
  const Json e = testing::ParseJson(R"({"apiVersion":")" + std::string(api) + R"(","kind":")" + std::string(kind) +
                                    R"(","metadata":{"name":"Me","namespace":")" + std::string(ns) +
                                    R"("},"spec":)" + std::string(spec) + "}");
  return EmitRelations(e);
}

// Every row of the §7.1 table: field, default kind, forward and inverse type.
TEST(EmitRelations, EveryTableRow) {
  struct Row {
    std::string_view kind, field;
    bool list;
    std::string_view default_kind;  // "" = kind required
    std::string_view forward, inverse;
  };
  const std::vector<Row> rows = {
      {"Component", "owner", false, "group", "ownedBy", "ownerOf"},
      {"Component", "system", false, "system", "partOf", "hasPart"},
      {"Component", "subcomponentOf", false, "component", "partOf", "hasPart"},
      {"Component", "providesApis", true, "api", "providesApi", "apiProvidedBy"},
      {"Component", "consumesApis", true, "api", "consumesApi", "apiConsumedBy"},
      {"Component", "dependsOn", true, "", "dependsOn", "dependencyOf"},
      {"Component", "dependencyOf", true, "", "dependencyOf", "dependsOn"},
      {"API", "owner", false, "group", "ownedBy", "ownerOf"},
      {"API", "system", false, "system", "partOf", "hasPart"},
      {"Resource", "owner", false, "group", "ownedBy", "ownerOf"},
      {"Resource", "system", false, "system", "partOf", "hasPart"},
      {"Resource", "dependsOn", true, "", "dependsOn", "dependencyOf"},
      {"Resource", "dependencyOf", true, "", "dependencyOf", "dependsOn"},
      {"System", "owner", false, "group", "ownedBy", "ownerOf"},
      {"System", "domain", false, "domain", "partOf", "hasPart"},
      {"Domain", "owner", false, "group", "ownedBy", "ownerOf"},
      {"Domain", "subdomainOf", false, "domain", "partOf", "hasPart"},
      {"User", "memberOf", true, "group", "memberOf", "hasMember"},
      {"Group", "parent", false, "group", "childOf", "parentOf"},
      {"Group", "children", true, "group", "parentOf", "childOf"},
      {"Group", "members", true, "user", "hasMember", "memberOf"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(std::string(r.kind) + "." + std::string(r.field));
    const std::string self = JsToLower(r.kind) + ":prod/me";
    // A bare name takes the default kind and the entity's own namespace.
    const std::string bare = r.list ? R"(["T"])" : R"("T")";
    RelationsResult out = Emit(r.kind, R"({")" + std::string(r.field) + R"(":)" + bare + "}", "prod");
    if (r.default_kind.empty()) {
      ASSERT_EQ(out.problems.size(), 1u);
      EXPECT_TRUE(out.relations.empty());
      EXPECT_EQ(out.problems[0].message,
                "Processor BuiltinKindsEntityProcessor threw an error while postprocessing; caused by Error: Entity "
                "reference \"T\" had missing or empty kind (e.g. did not start with \"component:\" or similar)");
      EXPECT_EQ(FormatPath(out.problems[0].path), "spec." + std::string(r.field) + (r.list ? "[0]" : ""));
    } else {
      EXPECT_TRUE(out.problems.empty());
      const std::string target = std::string(r.default_kind) + ":prod/t";
      std::vector<Relation> expected = {{self, std::string(r.forward), target}, {target, std::string(r.inverse), self}};
      std::sort(expected.begin(), expected.end());
      EXPECT_EQ(out.relations, expected);
    }
    // An explicit kind and namespace are kept (lower-cased).
    const std::string full = r.list ? R"(["Weird:Other/X"])" : R"("Weird:Other/X")";
    out = Emit(r.kind, R"({")" + std::string(r.field) + R"(":)" + full + "}", "prod");
    ASSERT_TRUE(out.problems.empty());
    std::vector<Relation> expected = {{self, std::string(r.forward), "weird:other/x"},
                                      {"weird:other/x", std::string(r.inverse), self}};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(out.relations, expected);
    // Empty values emit nothing.
    EXPECT_TRUE(Emit(r.kind, R"({")" + std::string(r.field) + R"(":""})").relations.empty());
    // Other kinds ignore the field.
    const std::string_view other = r.kind == "Location" ? "Component" : "Location";
    EXPECT_TRUE(Emit(other, R"({")" + std::string(r.field) + R"(":)" + full + "}").relations.empty());
  }
}

TEST(EmitRelations, TemplateOwnerOnlyForV1beta3) {
  auto out = Emit("Template", R"({"owner":"me"})", "default", "scaffolder.backstage.io/v1beta3");
  EXPECT_EQ(out.relations, (std::vector<Relation>{{"group:default/me", "ownerOf", "template:default/me"},
                                                  {"template:default/me", "ownedBy", "group:default/me"}}));
  EXPECT_TRUE(Emit("Template", R"({"owner":"me"})", "default", "backstage.io/v1beta2").relations.empty());
  out = Emit("Template", R"({"owner":"group:"})", "default", "scaffolder.backstage.io/v1beta3");
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].message,
            "Processor ScaffolderEntitiesProcessor threw an error while postprocessing; caused by TypeError: Entity "
            "reference \"group:\" was not on the form [<kind>:][<namespace>/]<name>");
}

TEST(EmitRelations, DependencyOfShapesAndEveryProblem) {
  auto out = Emit("Component", R"({"dependencyOf":"component:x"})");
  EXPECT_EQ(out.relations.size(), 2u);
  out = Emit("Component", R"({"dependencyOf":[{"kind":"Component","name":"Y"}]})");
  EXPECT_EQ(out.relations, (std::vector<Relation>{{"component:default/me", "dependencyOf", "component:default/y"},
                                                  {"component:default/y", "dependsOn", "component:default/me"}}));
  out = Emit("Component", R"({"dependsOn":["a","resource:ok","b"],"dependencyOf":[0,true,["x"]]})");
  ASSERT_EQ(out.problems.size(), 5u);
  EXPECT_TRUE(out.relations.empty());
  const std::string prefix = "Processor BuiltinKindsEntityProcessor threw an error while postprocessing; caused by Error: ";
  EXPECT_EQ(out.problems[2].message, prefix + "Entity reference must not be empty");
  EXPECT_EQ(out.problems[3].message,
            prefix + "Entity reference true had missing or empty kind (e.g. did not start with \"component:\" or similar)");
  EXPECT_EQ(out.problems[4].message, prefix +
                                         "Entity reference [\"x\"] had missing or empty kind (e.g. did not start with "
                                         "\"component:\" or similar)");
  EXPECT_EQ(FormatPath(out.problems[4].path), "spec.dependencyOf[2]");
}

TEST(EmitRelations, SortedDeduplicatedCanonical) {
  const auto out = Emit("Component", R"({"owner":"Team","providesApis":["x","API:X","api:default/x"],"system":"S"})");
  EXPECT_EQ(out.relations, (std::vector<Relation>{
                               {"api:default/x", "apiProvidedBy", "component:default/me"},
                               {"component:default/me", "ownedBy", "group:default/team"},
                               {"component:default/me", "partOf", "system:default/s"},
                               {"component:default/me", "providesApi", "api:default/x"},
                               {"group:default/team", "ownerOf", "component:default/me"},
                               {"system:default/s", "hasPart", "component:default/me"}}));
}

}  // namespace
}  // namespace idp::model
