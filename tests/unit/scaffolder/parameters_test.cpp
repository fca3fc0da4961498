// Values and secrets against parameter pages, as the router checks them:
// page by page, first failing page only, jsonschema's error objects.
#include "scaffolder/parameters.h"

#include "test_util.h"

namespace idp::scaffolder {
namespace {

using testing::ParseJson;
using testing::TempDir;
using testing::WriteFile;

constexpr std::string_view kTwoPages = R"(apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: pages
spec:
  type: service
  parameters:
    - title: Name
      required: [name]
      properties:
        name:
          type: string
          pattern: '^[a-z][a-z0-9-]*$'
          ui:autofocus: true
    - title: Database
      required: [database]
      properties:
        database:
          type: string
          enum: [postgres, none]
          enumNames: [PostgreSQL, None]
  secrets:
    schema:
      required: [token]
      properties:
        token:
          type: string
          minLength: 8
  steps:
    - action: debug:log
)";

class Parameters : public ::testing::Test {
 protected:
  TempDir tmp;
  TemplateEntity Load() {
    WriteFile(tmp.path() / "template.yaml", kTwoPages);
    auto t = LoadTemplateFile(tmp.path() / "template.yaml");
    EXPECT_TRUE(t.ok()) << t.status().message();
    return std::move(*t);
  }
};

TEST_F(Parameters, ValidValuesPass) {
  TemplateEntity t = Load();
  EXPECT_FALSE(ValidateValues(t, ParseJson(R"({"name":"svc","database":"none"})")).has_value());
}

TEST_F(Parameters, FirstFailingPageOnlyIsReported) {
  TemplateEntity t = Load();
  // Both pages fail; only page 1's error is answered.
  auto errors = ValidateValues(t, ParseJson(R"({"name":"Bad Name","database":"oracle"})"));
  ASSERT_TRUE(errors.has_value());
  ASSERT_EQ(errors->Size(), 1u) << ToJsonString(*errors);
  const JsonValue& e = (*errors)[0];
  EXPECT_EQ(AsView(e["property"]), "instance.name");
  EXPECT_EQ(AsView(e["name"]), "pattern");
  EXPECT_EQ(AsView(e["stack"]), "instance.name does not match pattern \"^[a-z][a-z0-9-]*$\"");
  ASSERT_TRUE(e["path"].IsArray());
  EXPECT_EQ(AsView(e["path"][0]), "name");
  EXPECT_EQ(AsView(e["instance"]), "Bad Name");
}

TEST_F(Parameters, SecondPageIsCheckedWhenTheFirstPasses) {
  TemplateEntity t = Load();
  auto errors = ValidateValues(t, ParseJson(R"({"name":"svc","database":"oracle"})"));
  ASSERT_TRUE(errors.has_value());
  ASSERT_EQ(errors->Size(), 1u);
  EXPECT_EQ(AsView((*errors)[0]["name"]), "enum");
  EXPECT_EQ(AsView((*errors)[0]["stack"]), "instance.database is not one of enum values: postgres,none");
}

TEST_F(Parameters, MissingRequiredValue) {
  TemplateEntity t = Load();
  auto errors = ValidateValues(t, ParseJson(R"({})"));
  ASSERT_TRUE(errors.has_value());
  ASSERT_EQ(errors->Size(), 1u);
  EXPECT_EQ(AsView((*errors)[0]["stack"]), "instance requires property \"name\"");
  EXPECT_EQ(AsView((*errors)[0]["argument"]), "name");
}

TEST_F(Parameters, SecretsAreCheckedAndNeverEchoed) {
  TemplateEntity t = Load();
  EXPECT_FALSE(ValidateSecrets(t, ParseJson(R"({"token":"long-enough"})")).has_value());
  auto missing = ValidateSecrets(t, ParseJson(R"({})"));
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(AsView((*missing)[0]["message"]), "secrets.token is required");
  auto short_one = ValidateSecrets(t, ParseJson(R"({"token":"abc"})"));
  ASSERT_TRUE(short_one.has_value());
  EXPECT_EQ(ToJsonString(*short_one).find("\"abc\""), std::string::npos) << ToJsonString(*short_one);
}

TEST_F(Parameters, FormatAndDependenciesAreEnforced) {
  WriteFile(tmp.path() / "t.yaml", R"(apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: f}
spec:
  type: x
  parameters:
    properties:
      mail: {type: string, format: email}
      database: {type: string, enum: [postgres, none]}
    dependencies:
      database:
        oneOf:
          - properties:
              database: {const: postgres}
              size: {type: number}
            required: [size]
          - properties:
              database: {const: none}
  steps: [{action: debug:log}]
)");
  auto t = LoadTemplateFile(tmp.path() / "t.yaml");
  ASSERT_TRUE(t.ok()) << t.status().message();
  auto bad_mail = ValidateValues(*t, ParseJson(R"({"mail":"nope"})"));
  ASSERT_TRUE(bad_mail.has_value());
  EXPECT_EQ(AsView((*bad_mail)[0]["stack"]), "instance.mail does not conform to the \"email\" format");
  auto dep = ValidateValues(*t, ParseJson(R"({"database":"postgres"})"));
  ASSERT_TRUE(dep.has_value());
  EXPECT_NE(ToJsonString(*dep).find("is not exactly one from"), std::string::npos) << ToJsonString(*dep);
  auto fine = ValidateValues(*t, ParseJson(R"({"database":"postgres","size":3})"));
  EXPECT_FALSE(fine.has_value()) << ToJsonString(*fine);
}

TEST_F(Parameters, MalformedTemplateNamesFileAndField) {
  WriteFile(tmp.path() / "bad.yaml", R"(apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: b}
spec:
  type: x
  steps:
    - id: one
      input: {}
)");
  auto t = LoadTemplateFile(tmp.path() / "bad.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("bad.yaml"), std::string::npos) << t.status().message();
  EXPECT_NE(t.status().message().find("action"), std::string::npos) << t.status().message();
}

}  // namespace
}  // namespace idp::scaffolder
