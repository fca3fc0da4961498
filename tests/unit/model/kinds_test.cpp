#include <gtest/gtest.h>

#include "model/entity_ref.h"
#include "model/entity_rules.h"
#include "test_util.h"

namespace idp::model {
namespace {

Json Entity(std::string_view api_version, std::string_view kind, std::string_view spec) {
  std::string text = R"({"apiVersion":")" + std::string(api_version) + R"(","kind":")" + std::string(kind) +
                     R"(","metadata":{"name":"x","namespace":"default"})";
  if (!spec.empty()) text += R"(,"spec":)" + std::string(spec);
  text += "}";
  return testing::ParseJson(text);
}

std::vector<std::string> Messages(const KindCheck& k) {
  std::vector<std::string> out;
  for (const auto& p : k.problems) out.push_back(p.message);
  return out;
}

constexpr std::string_view kV1 = "backstage.io/v1alpha1";

TEST(CheckKind, RequiredFieldsPerKind) {
  struct Case {
    std::string_view kind;
    std::string_view spec;
    std::vector<std::string> missing;
  };
  const std::vector<Case> cases = {
      {"Component", "{}", {"type", "lifecycle", "owner"}},
      {"API", "{}", {"type", "lifecycle", "owner", "definition"}},
      {"Resource", "{}", {"type", "owner"}},
      {"System", "{}", {"owner"}},
      {"Domain", "{}", {"owner"}},
      {"Group", "{}", {"type", "children"}},
      {"User", "{}", {"memberOf"}},
      {"Location", "{}", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.kind));
    const KindCheck k = CheckKind(Entity(kV1, c.kind, c.spec));
    std::vector<std::string> expected;
    for (const auto& m : c.missing) expected.push_back("/spec must have required property '" + m + "' - missingProperty: " + m);
    EXPECT_EQ(Messages(k), expected);
    EXPECT_EQ(k.status, c.missing.empty() ? KindStatus::kValid : KindStatus::kInvalid);
    EXPECT_EQ(k.processor, "BuiltinKindsEntityProcessor");
    // spec is required by every kind.
    const KindCheck no_spec = CheckKind(Entity(kV1, c.kind, ""));
    EXPECT_EQ(Messages(no_spec), std::vector<std::string>{"<root> must have required property 'spec' - missingProperty: spec"});
  }
  const KindCheck t = CheckKind(Entity("scaffolder.backstage.io/v1beta3", "Template", "{}"));
  EXPECT_EQ(t.processor, "ScaffolderEntitiesProcessor");
  EXPECT_EQ(Messages(t), (std::vector<std::string>{"/spec must have required property 'type' - missingProperty: type",
                                                   "/spec must have required property 'steps' - missingProperty: steps"}));
}

TEST(CheckKind, Recognition) {
  for (std::string_view kind : {"component", "COMPONENT", "Api", "Foo"}) {
    const KindCheck k = CheckKind(Entity(kV1, kind, "{}"));
    EXPECT_EQ(k.status, KindStatus::kNotRecognised) << kind;
    ASSERT_EQ(k.problems.size(), 1u);
    EXPECT_EQ(k.problems[0].message, "No processor recognized the entity " + JsToLower(kind) + std::string(
                                         ":default/x as valid, possibly caused by a foreign kind or apiVersion"));
  }
  EXPECT_EQ(CheckKind(Entity("backstage.io/v1beta2", "Component", "{}")).status, KindStatus::kNotRecognised);
  EXPECT_EQ(CheckKind(Entity("backstage.io/v1beta1", "Template", R"({"type":"a","steps":[]})")).status,
            KindStatus::kNotRecognised);
  EXPECT_EQ(CheckKind(Entity("backstage.io/v1beta1", "System", R"({"owner":"o"})")).status, KindStatus::kValid);
}

TEST(CheckKind, OptionalFieldTypesAndExtras) {
  const auto status = [](std::string_view kind, std::string_view spec,
                         std::string_view api = "backstage.io/v1alpha1") { return CheckKind(Entity(api, kind, spec)).status; };
  constexpr auto kValid = KindStatus::kValid;
  constexpr auto kInvalid = KindStatus::kInvalid;
  const std::string_view comp = R"("type":"s","lifecycle":"l","owner":"o")";
  const auto c = [&](std::string_view extra) {
    std::string s(1, '{');  // appends: GCC 12 flags "{" + string with a false -Wrestrict
    s.append(comp).append(extra).push_back('}');
    return s;
  };
  EXPECT_EQ(status("Component", c("")), kValid);
  EXPECT_EQ(status("Component", c(R"(,"anything":{"x":1})")), kValid);  // extra spec fields allowed
  EXPECT_EQ(status("Component", c(R"(,"dependencyOf":5)")), kValid);    // not in the schema
  EXPECT_EQ(status("Component", c(R"(,"providesApis":"a")")), kInvalid);
  EXPECT_EQ(status("Component", c(R"(,"dependsOn":[""])")), kInvalid);
  EXPECT_EQ(status("Component", c(R"(,"system":"")")), kInvalid);
  EXPECT_EQ(status("Component", R"({"type":"s","lifecycle":"l","owner":{"kind":"Group","name":"x"}})"), kInvalid);
  EXPECT_EQ(status("Group", R"({"type":"t","children":[]})"), kValid);
  EXPECT_EQ(status("Group", R"({"type":"t","children":[],"profile":{"email":""}})"), kInvalid);
  EXPECT_EQ(status("User", R"({"memberOf":[]})"), kValid);
  EXPECT_EQ(status("User", R"({"memberOf":"g"})"), kInvalid);
  EXPECT_EQ(status("Location", R"({"presence":"optional","targets":["a"]})"), kValid);
  EXPECT_EQ(status("Location", R"({"presence":"maybe"})"), kInvalid);
  const std::string_view tpl = "scaffolder.backstage.io/v1beta3";
  EXPECT_EQ(status("Template", R"({"type":"t","steps":[{"action":"a","if":true},{"action":"b","if":"${{x}}"}]})", tpl),
            kValid);
  EXPECT_EQ(status("Template", R"({"type":"t","steps":[{"action":"a","if":1}]})", tpl), kInvalid);
  EXPECT_EQ(status("Template", R"({"type":"t","steps":[{}]})", tpl), kInvalid);
  EXPECT_EQ(status("Template", R"({"type":"t","steps":[],"parameters":[{}]})", tpl), kValid);
  EXPECT_EQ(status("Template", R"({"type":"t","steps":[],"parameters":{}})", tpl), kValid);
  EXPECT_EQ(status("Template", R"({"type":"t","steps":[],"parameters":"x"})", tpl), kInvalid);
  EXPECT_EQ(status("Template", R"({"type":"t","steps":[],"output":{"links":[],"x":"y"}})", tpl), kValid);
  EXPECT_EQ(status("Template", R"({"type":"t","steps":[],"output":{"x":1}})", tpl), kInvalid);

  const KindCheck p = CheckKind(Entity(tpl, "Template", R"({"type":"t","steps":[],"parameters":"x"})"));
  EXPECT_EQ(Messages(p), (std::vector<std::string>{
                             "/spec/parameters must be object - type: object",
                             "/spec/parameters must be array - type: array",
                             "/spec/parameters must match exactly one schema in oneOf - passingSchemas: null"}));
  const KindCheck l = CheckKind(Entity(kV1, "Location", R"({"presence":5})"));
  EXPECT_EQ(Messages(l), (std::vector<std::string>{
                             "/spec/presence must be string - type: string",
                             "/spec/presence must be equal to one of the allowed values - allowedValues: required,optional"}));
  ASSERT_FALSE(l.problems.empty());
  EXPECT_EQ(FormatPath(l.problems[0].path), "spec.presence");
}

}  // namespace
}  // namespace idp::model
