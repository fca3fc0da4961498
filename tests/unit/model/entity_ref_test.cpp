#include <gtest/gtest.h>

#include "model/entity_ref.h"
#include "test_util.h"

namespace idp::model {
namespace {

using testing::ReadFixture;
using testing::Str;

// data/refs.jsonl: parseEntityRef's answers for refs x contexts.
TEST(ParseEntityRef, MatchesBackstageOnEveryFixture) {
  const auto cases = ReadFixture("refs.jsonl");
  ASSERT_GT(cases.size(), 100u);
  for (const Json& c : cases) {
    const std::string ref = Str(c, "ref");
    SCOPED_TRACE(ref);
    std::optional<std::string> dk, dn;
    if (const auto* v = FindMember(c, "defaultKind"); v->IsString()) dk = v->GetString();
    if (const auto* v = FindMember(c, "defaultNamespace"); v->IsString()) dn = v->GetString();
    RefContext context;
    if (dk) context.default_kind = *dk;
    if (dn) context.default_namespace = *dn;
    const auto result = ParseEntityRef(ref, context);
    if (const JsonValue* expected = FindMember(c, "result")) {
      ASSERT_TRUE(result.ok()) << result.status().message();
      EXPECT_EQ(result->kind, Str(*expected, "kind"));
      EXPECT_EQ(result->ns, Str(*expected, "namespace"));
      EXPECT_EQ(result->name, Str(*expected, "name"));
    } else {
      ASSERT_FALSE(result.ok());
      EXPECT_EQ(result.status().code(), Code::kInvalidArgument);
      EXPECT_EQ(result.status().message(), Str(c, "error"));
      EXPECT_EQ(RefErrorClass(result.status()), Str(c, "errorClass"));
    }
  }
}

TEST(ParseEntityRef, Rules) {
  auto r = ParseEntityRef("a:b:c");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, "a");
  EXPECT_EQ(r->name, "b:c");
  r = ParseEntityRef("ns/team:x", {std::string_view("Group"), std::nullopt});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, "Group");
  EXPECT_EQ(r->ns, "ns");
  EXPECT_EQ(r->name, "team:x");
  r = ParseEntityRef(" team-a ", {std::string_view("Group"), std::string_view("prod")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ns, "prod");
  EXPECT_EQ(r->name, " team-a ");
  EXPECT_EQ(ParseEntityRef("").status().message(), "Entity reference must not be empty");
  EXPECT_EQ(ParseEntityRef("x/").status().message(),
            "Entity reference \"x/\" was not on the form [<kind>:][<namespace>/]<name>");
  EXPECT_EQ(ParseEntityRef("my-db").status().message(),
            "Entity reference \"my-db\" had missing or empty kind (e.g. did not start with \"component:\" or similar)");
  EXPECT_EQ(ParseEntityRef("a\"b").status().message(),
            "Entity reference \"a\\\"b\" had missing or empty kind (e.g. did not start with \"component:\" or similar)");
  EXPECT_EQ(RefErrorClass(ParseEntityRef(":x").status()), "TypeError");
  EXPECT_EQ(RefErrorClass(ParseEntityRef("x").status()), "Error");
}

TEST(CanonicalRef, LowerCasesEveryPart) {
  EXPECT_EQ(CanonicalRef("Group", "Default", "Team-A"), "group:default/team-a");
  EXPECT_EQ(CanonicalRef(EntityName{"API", "NS", "X"}), "api:ns/x");
  EXPECT_EQ(CanonicalRef("Group", "default", "Team A (legacy)"), "group:default/team a (legacy)");
}

// data/lower.jsonl: String.prototype.toLowerCase in node.
TEST(JsToLower, MatchesJavaScript) {
  for (const Json& c : ReadFixture("lower.jsonl")) {
    EXPECT_EQ(JsToLower(Str(c, "s")), Str(c, "lower")) << Str(c, "s");
  }
  EXPECT_EQ(JsToLower("ABC-def_1"), "abc-def_1");
  EXPECT_EQ(JsToLower(""), "");
  EXPECT_EQ(JsToLower("\xFF" "A"), "\xFF" "a");  // invalid bytes pass through
}

}  // namespace
}  // namespace idp::model
