// Syntax errors, recovery, encoding, and the known differences from yaml 2.x.
#include <gtest/gtest.h>

#include <string>

#include "js_render.h"

namespace idp::yaml {
namespace {

TEST(YamlErrors, MessageNamesLineAndColumn) {
  const Stream s = ParseStream("a: 1\nb: [1, 2\nc: 3\n");
  ASSERT_EQ(s.documents.size(), 1u);
  const Document& d = s.documents[0];
  EXPECT_EQ(d.status, DocStatus::kError);
  EXPECT_EQ(d.error.rfind("line 3, column ", 0), 0u) << d.error;
  EXPECT_EQ(d.error_mark.line, 3u);
}

TEST(YamlErrors, DuplicateKeyPosition) {
  const Stream s = ParseStream("metadata:\n  name: a\n  name: b\n");
  ASSERT_EQ(s.documents.size(), 1u);
  EXPECT_EQ(s.documents[0].error, "line 3, column 3: Map keys must be unique");
}

TEST(YamlErrors, RecoveryResumesAtNextDocumentMarker) {
  EXPECT_EQ(testing::Render("a: 1\n---\nb: [\nc: d\n---\ne: 1\n---\nf: {\n---\n"),
            R"({"a":1} | <error> | {"e":1} | <error> | <empty>)");
  EXPECT_EQ(testing::Render("a:\n\tb: 1\n---\nc: 1\n"), R"(<error> | {"c":1})");
  EXPECT_EQ(testing::Render("a: b: c\n---\nc: 1\n"), R"(<error> | {"c":1})");
}

TEST(YamlErrors, JunkAfterAnImplicitlyEndedDocumentIsThatDocumentsError) {
  // libyaml ends the document after the flow sequence and fails on the next
  // line; yaml 2.9.1 reports a single document with an error.
  EXPECT_EQ(testing::Render("[a: ]\n: 1\n"), "<error>");
  EXPECT_EQ(testing::Render("a: 1\n---\n[x]\ny: 2\n---\nz: 3\n"),
            R"({"a":1} | <error> | {"z":3})");
}

TEST(YamlErrors, UnterminatedQuoteSwallowsTheRest) {
  EXPECT_EQ(testing::Render("a: \"x\n---\nb: 1\n---\nc: 2\n"), "<error>");
}

TEST(YamlErrors, InvalidUtf8) {
  const Stream s = ParseStream("a: 1\n---\nname: ok\ndesc: caf\xC3(\n---\nb: 2\n");
  ASSERT_EQ(s.documents.size(), 3u);
  const Document& d = s.documents[1];
  EXPECT_EQ(d.status, DocStatus::kError);
  EXPECT_EQ(d.error_mark.line, 4u);
  EXPECT_EQ(d.error_mark.column, 10u);
  EXPECT_NE(d.error.find("invalid UTF-8"), std::string::npos) << d.error;
  EXPECT_EQ(s.documents[2].status, DocStatus::kOk);
  // Overlong encodings and surrogates are invalid too.
  EXPECT_EQ(testing::Render("a: \xC0\xAF\n"), "<error>");
  EXPECT_EQ(testing::Render("a: \xED\xA0\x80\n"), "<error>");
}

TEST(YamlErrors, BinaryGarbageAndNul) {
  const std::string nul("a: b\0c\n", 7);
  const Stream s = ParseStream(nul);
  ASSERT_EQ(s.documents.size(), 1u);
  EXPECT_EQ(s.documents[0].status, DocStatus::kError);
  EXPECT_EQ(s.documents[0].error_mark.column, 5u);
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) & 0xFF));
  const Stream g = ParseStream(garbage);
  ASSERT_FALSE(g.documents.empty());
  EXPECT_EQ(g.documents[0].status, DocStatus::kError);
}

TEST(YamlErrors, UnsupportedTags) {
  // yaml-1.1 types that have no JSON form (Buffer, Date, Set, Map).
  EXPECT_EQ(testing::Render("a: !!binary aGk=\n"), "<error>");
  EXPECT_EQ(testing::Render("a: !!timestamp 2001-12-14\n"), "<error>");
  EXPECT_EQ(testing::Render("a: !!set {x}\n"), "<error>");
}

TEST(YamlErrors, KnownDifferencesFromYaml2) {
  // Each documents a deliberate or libyaml-imposed divergence; yaml 2.9.1
  // gives the value in the comment.
  EXPECT_EQ(testing::Render(": a\n"), "<error>");        // yaml: {"":"a"}
  EXPECT_EQ(testing::Render("a: b\x01" "c\n"), "<error>");  // yaml: {"a":"b\u0001c"}
  EXPECT_EQ(testing::Render("...\n"), "<error>");        // yaml: <empty>
  EXPECT_EQ(testing::Render("a: 1\n...\n...\n"), R"({"a":1})");  // yaml: + <empty>
}

TEST(YamlErrors, NoDocuments) {
  EXPECT_TRUE(ParseStream("").documents.empty());
  EXPECT_TRUE(ParseStream("# only\n# comments\n").documents.empty());
  EXPECT_TRUE(ParseStream("\xEF\xBB\xBF").documents.empty());
}

}  // namespace
}  // namespace idp::yaml

namespace idp::yaml {
namespace {

// A default-constructed string_view has a NULL data pointer; libyaml asserts on it.
TEST(YamlErrors, NullViewIsAnEmptyStream) {
  Stream s = ParseStream(std::string_view());
  EXPECT_TRUE(s.documents.empty());
  EXPECT_FALSE(s.aborted);
}

}  // namespace
}  // namespace idp::yaml
