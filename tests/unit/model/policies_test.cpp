#include <gtest/gtest.h>

#include "model/entity_rules.h"
#include "test_util.h"

namespace idp::model {
namespace {

using testing::ParseJson;

std::vector<std::string> Messages(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(FormatPath(p.path) + " | " + p.message);
  return out;
}

TEST(CheckEnvelope, AllErrorsWithAjvWording) {
  const Json e = ParseJson(R"({"apiVersion":1,"kind":"","metadata":{"namespace":"","annotations":[1]}})");
  const std::vector<std::string> expected = {
      "apiVersion | /apiVersion must be string - type: string",
      "kind | /kind must NOT have fewer than 1 characters - limit: 1",
      "metadata | /metadata must have required property 'name' - missingProperty: name",
      "metadata.namespace | /metadata/namespace must NOT have fewer than 1 characters - limit: 1",
      "metadata.annotations | metadata.annotations must be a valid object"};
  EXPECT_EQ(Messages(CheckEnvelope(e)), expected);
  EXPECT_EQ(Messages(CheckEnvelope(ParseJson("[]"))),
            std::vector<std::string>{" | <root> must be object - type: object"});
  EXPECT_TRUE(CheckEnvelope(ParseJson(R"({"apiVersion":"a","kind":"b","metadata":{"name":"c","annotations":null},"x":1})"))
                  .empty());
}

TEST(CheckPolicies, SchemaWhitelistAndFormats) {
  const Json e = ParseJson(R"({"apiVersion":"v1","kind":"K","metadata":{"name":"n","labels":{"a":1},
      "annotations":{"backstage.io/x":"y"}},"status":{},"spec":[]})");
  const std::vector<std::string> expected = {
      "metadata.labels.a | Malformed envelope, /metadata/labels/a must be string",  // Backstage's first
      "spec | Malformed envelope, /spec must be object",
      "status | Unknown field status"};
  EXPECT_EQ(Messages(CheckPolicies(e)), expected);
}

TEST(CheckPolicies, FieldFormatMessage) {
  const Json e = ParseJson(R"({"apiVersion":"v1","kind":"K","metadata":{"name":"x y","links":[{"url":"nope","icon":" "}]}})");
  const std::vector<std::string> expected = {
      "metadata.name | \"metadata.name\" is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by "
      "any of [-_.], at most 63 characters in total but found \"x y\". To learn more about catalog file format, "
      "visit: https://github.com/backstage/backstage/blob/master/docs/architecture-decisions/"
      "adr002-default-catalog-file-format.md",
      "metadata.links[0].url | \"links.0.url\" is not valid; expected a string that is a valid url but found \"nope\". "
      "To learn more about catalog file format, visit: https://github.com/backstage/backstage/blob/master/docs/"
      "architecture-decisions/adr002-default-catalog-file-format.md",
      "metadata.links[0].icon | \"links.0.icon\" is not valid; expected a non empty string but found \" \". To learn "
      "more about catalog file format, visit: https://github.com/backstage/backstage/blob/master/docs/"
      "architecture-decisions/adr002-default-catalog-file-format.md"};
  EXPECT_EQ(Messages(CheckPolicies(e)), expected);
}

TEST(CheckPolicies, ValidEntityHasNoProblems) {
  const Json e = ParseJson(R"({"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"a",
      "namespace":"ns","labels":{"x.io/k":""},"annotations":{"a/b":"multi\nline"},"tags":["c++"],
      "links":[{"url":"https://x","title":"t","icon":"i","type":"d"}],"uid":"u","etag":"e"},"spec":{}})");
  EXPECT_TRUE(CheckPolicies(e).empty());
}

}  // namespace
}  // namespace idp::model
