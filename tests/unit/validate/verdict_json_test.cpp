// DocumentVerdictJson: one compact line with the oracle's fields.
#include <gtest/gtest.h>

#include <string>

#include "core/json.h"
#include "test_support.h"
#include "validate/validator.h"

namespace idp::catalog {
namespace {

Json Parse(const std::string& line) {
  Json j;
  j.Parse(line.c_str());
  EXPECT_FALSE(j.HasParseError()) << line;
  return j;
}

constexpr std::string_view kNums = R"(apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: nums
  x: 1.5e3
  y: .inf
  z: 1e21
  w: 0.0000001
  v: -0.5
  big: 123456789012345678901234567890
spec:
  type: team
  children: []
)";

TEST(VerdictJson, ValidDocumentWithEntityIsWrittenLikeJsonStringify) {
  const FileVerdict f = ValidateText("nums.yaml", kNums);
  ASSERT_EQ(f.documents.size(), 1u);
  const std::string line = DocumentVerdictJson(f, f.documents[0], true);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  // Numbers as JavaScript prints them, Infinity as null (the oracle's entity).
  EXPECT_NE(
      line.find(R"("x":1500,"y":null,"z":1e+21,"w":1e-7,"v":-0.5,"big":1.2345678901234568e+29)"),
      std::string::npos)
      << line;
  EXPECT_NE(
      line.find(
          R"("entity":{"metadata":{"namespace":"default","annotations":{"backstage.io/managed-by-location":"file:nums.yaml","backstage.io/managed-by-origin-location":"file:nums.yaml"},"name":"nums",)"),
      std::string::npos)
      << line;
  const Json j = Parse(line);
  EXPECT_EQ(AsView(j["file"]), "nums.yaml");
  EXPECT_EQ(j["index"].GetInt(), 0);
  EXPECT_EQ(j["line"].GetInt(), 1);
  EXPECT_EQ(AsView(j["kind"]), "Group");
  EXPECT_EQ(AsView(j["name"]), "nums");
  EXPECT_EQ(AsView(j["ref"]), "group:default/nums");
  EXPECT_TRUE(j["valid"].GetBool());
  EXPECT_TRUE(j["fileOk"].GetBool());
  EXPECT_FALSE(j["fileFatal"].GetBool());
  EXPECT_TRUE(j["stage"].IsNull());
  EXPECT_TRUE(j["error"].IsNull());
  EXPECT_EQ(j["errors"].Size(), 0u);
  EXPECT_TRUE(j["relations"].IsArray());
  EXPECT_TRUE(j["entity"].IsObject());
}

TEST(VerdictJson, EntityOnlyWhenAskedFor) {
  const FileVerdict f = ValidateText("nums.yaml", kNums);
  ASSERT_EQ(f.documents.size(), 1u);
  const Json j = Parse(DocumentVerdictJson(f, f.documents[0]));
  EXPECT_FALSE(j.HasMember("entity"));
}

TEST(VerdictJson, InvalidDocument) {
  constexpr std::string_view kText = R"(apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: post-bad
spec:
  type: service
  lifecycle: production
  owner: team-a
  dependsOn: [db]
---
"str"
)";
  const FileVerdict f = ValidateText("x.yaml", kText);
  ASSERT_EQ(f.documents.size(), 2u);
  const Json j = Parse(DocumentVerdictJson(f, f.documents[0], true));
  EXPECT_FALSE(j["valid"].GetBool());
  EXPECT_FALSE(j["fileOk"].GetBool());
  EXPECT_FALSE(j["fileFatal"].GetBool());
  EXPECT_EQ(AsView(j["stage"]), "postprocess");
  EXPECT_EQ(AsView(j["error"]),
            "InputError: Processor BuiltinKindsEntityProcessor threw an error while "
            "postprocessing; caused by Error: Entity reference \"db\" had missing or empty kind "
            "(e.g. did not start with \"component:\" or similar)");
  ASSERT_GE(j["errors"].Size(), 1u);
  const JsonValue& e = j["errors"][0];
  EXPECT_EQ(AsView(e["path"]), "spec.dependsOn[0]");
  EXPECT_EQ(e["line"].GetInt(), 9);
  EXPECT_EQ(e["column"].GetInt(), 15);
  EXPECT_NE(AsView(e["message"]).find("\"db\""), std::string_view::npos);
  EXPECT_EQ(j["relations"].Size(), 0u);
  EXPECT_TRUE(j["entity"].IsNull());

  const Json root = Parse(DocumentVerdictJson(f, f.documents[1]));
  EXPECT_TRUE(root["kind"].IsNull());
  EXPECT_TRUE(root["ref"].IsNull());
  EXPECT_EQ(AsView(root["stage"]), "root-not-object");
  EXPECT_TRUE(root["fileFatal"].GetBool());
  EXPECT_EQ(root["line"].GetInt(), 11);
}

TEST(VerdictJson, IgnoredDocument) {
  const FileVerdict f = ValidateText("e.yaml", "---\n~\n");
  ASSERT_EQ(f.documents.size(), 1u);
  const Json j = Parse(DocumentVerdictJson(f, f.documents[0]));
  EXPECT_EQ(AsView(j["stage"]), "ignored");
  EXPECT_TRUE(j["error"].IsNull());
  EXPECT_FALSE(j["valid"].GetBool());
}

TEST(VerdictJson, UnreadableFileHasNoIndex) {
  testing::TempDir dir;
  const FileVerdict f = ValidateFile("gone.yaml", dir.path() / "gone.yaml");
  ASSERT_EQ(f.documents.size(), 1u);
  const Json j = Parse(DocumentVerdictJson(f, f.documents[0], true));
  EXPECT_TRUE(j["index"].IsNull());
  EXPECT_TRUE(j["line"].IsNull());
  EXPECT_EQ(AsView(j["stage"]), "io");
  EXPECT_TRUE(j["fileFatal"].GetBool());
  EXPECT_FALSE(j["fileOk"].GetBool());
  EXPECT_EQ(AsView(j["error"]),
            "cannot read file: ENOENT: no such file or directory, open 'gone.yaml'");
  EXPECT_TRUE(j["errors"][0]["line"].IsNull());
}

// Every control character is escaped, wherever it sits in a long string:
// RapidJSON 1.1.0's SSE2 writer path let 0x1A-0x1F through raw.
TEST(VerdictJson, ControlCharactersAreAlwaysEscaped) {
  std::string text =
      "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: ctl\n  description: \"";
  std::string expected;
  for (int round = 0; round < 4; ++round) {
    for (int c = 1; c < 0x20; ++c) {
      text += "0123456789abcdef\\x";  // 16 bytes first: the vector path sees the rest
      const char* hex = "0123456789abcdef";
      text += hex[c >> 4];
      text += hex[c & 15];
      expected += "0123456789abcdef";
      expected += static_cast<char>(c);
    }
  }
  text += "\"\nspec:\n  type: team\n  children: []\n";
  const FileVerdict f = ValidateText("ctl.yaml", text);
  ASSERT_EQ(f.documents.size(), 1u);
  ASSERT_TRUE(f.documents[0].valid);
  const std::string line = DocumentVerdictJson(f, f.documents[0], true);
  for (const char c : line) {
    ASSERT_GE(static_cast<unsigned char>(c), 0x20u) << "raw control character in: " << line;
  }
  const Json j = Parse(line);
  EXPECT_EQ(AsView(j["entity"]["metadata"]["description"]), expected);
}

}  // namespace
}  // namespace idp::catalog
