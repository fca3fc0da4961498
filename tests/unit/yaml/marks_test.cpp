// Source marks: 1-based line/column (code points) for every node; member
// names carry the key's position, member values the value's.
#include <gtest/gtest.h>

#include <string>

#include "core/json.h"
#include "yaml/yaml_stream.h"

namespace idp::yaml {
namespace {

std::string At(const Document& d, const JsonValue& v) {
  const Mark m = d.marks.Get(&v);
  return std::to_string(m.line) + ":" + std::to_string(m.column);
}
const JsonValue::Member& MemberOf(const JsonValue& obj, std::string_view key) {
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    if (AsView(it->name) == key) return *it;
  }
  ADD_FAILURE() << "no member " << key;
  return *obj.MemberBegin();
}

TEST(YamlMarks, KeysAndValues) {
  const Stream s = ParseStream("kind: Component\nmetadata:\n  name: x\n  tags: [a, \"b\"]\n");
  ASSERT_EQ(s.documents.size(), 1u);
  const Document& d = s.documents[0];
  EXPECT_EQ(At(d, d.json), "1:1");
  EXPECT_EQ(At(d, MemberOf(d.json, "kind").name), "1:1");
  EXPECT_EQ(At(d, MemberOf(d.json, "kind").value), "1:7");
  const JsonValue& meta = MemberOf(d.json, "metadata").value;
  EXPECT_EQ(At(d, MemberOf(d.json, "metadata").name), "2:1");
  EXPECT_EQ(At(d, meta), "3:3");
  EXPECT_EQ(At(d, MemberOf(meta, "name").name), "3:3");
  EXPECT_EQ(At(d, MemberOf(meta, "name").value), "3:9");
  const JsonValue& tags = MemberOf(meta, "tags").value;
  EXPECT_EQ(At(d, tags), "4:9");
  EXPECT_EQ(At(d, tags[0]), "4:10");
  EXPECT_EQ(At(d, tags[1]), "4:13");
  EXPECT_EQ(d.marks.size(), 11u);  // every node (names included) has a mark
}

TEST(YamlMarks, MultiDocumentLinesAreFileLines) {
  const Stream s = ParseStream("a: 1\n---\n# c\nb: 2\n---\n- x\n");
  ASSERT_EQ(s.documents.size(), 3u);
  EXPECT_EQ(s.documents[1].index, 1u);
  EXPECT_EQ(s.documents[1].start.line, 4u);
  EXPECT_EQ(At(s.documents[1], MemberOf(s.documents[1].json, "b").value), "4:4");
  EXPECT_EQ(At(s.documents[2], s.documents[2].json[0]), "6:3");
}

TEST(YamlMarks, AfterErrorRecovery) {
  const Stream s = ParseStream("a: [1\n---\nb: x\n");
  ASSERT_EQ(s.documents.size(), 2u);
  EXPECT_EQ(At(s.documents[1], MemberOf(s.documents[1].json, "b").value), "3:4");
}

TEST(YamlMarks, CrlfAndBom) {
  const Stream s = ParseStream("\xEF\xBB\xBF" "a: 1\r\nb:\r\n  c: 2\r\n");
  ASSERT_EQ(s.documents.size(), 1u);
  const Document& d = s.documents[0];
  EXPECT_EQ(At(d, MemberOf(d.json, "a").name), "1:1");  // the BOM is not a column
  EXPECT_EQ(At(d, MemberOf(d.json, "a").value), "1:4");
  EXPECT_EQ(At(d, MemberOf(MemberOf(d.json, "b").value, "c").value), "3:6");
}

TEST(YamlMarks, UnicodeColumnsCountCodePoints) {
  const Stream s = ParseStream("é€😀: ü\nx: [日本, 語]\n");
  const Document& d = s.documents[0];
  EXPECT_EQ(At(d, MemberOf(d.json, "é€😀").value), "1:6");
  const JsonValue& x = MemberOf(d.json, "x").value;
  EXPECT_EQ(At(d, x[1]), "2:9");
}

TEST(YamlMarks, AliasCopies) {
  const Stream s = ParseStream("a: &x\n  k: v\nb: *x\n");
  const Document& d = s.documents[0];
  const JsonValue& b = MemberOf(d.json, "b").value;
  EXPECT_EQ(At(d, b), "3:4");                       // the copy: where the alias is
  EXPECT_EQ(At(d, MemberOf(b, "k").value), "2:6");  // inside it: where it was written
}

TEST(YamlMarks, ReorderedAndOverwrittenKeysKeepTheirMarks) {
  // JS puts integer keys first; `"1"` overwrites `1` in place.
  const Stream s = ParseStream("b: x\n2: y\n1: z\n\"1\": w\n");
  const Document& d = s.documents[0];
  auto it = d.json.MemberBegin();
  EXPECT_EQ(AsView(it->name), "1");
  EXPECT_EQ(AsView(it->value), "w");
  EXPECT_EQ(At(d, it->value), "4:6");
  EXPECT_EQ(AsView((it + 2)->name), "b");
  EXPECT_EQ(At(d, (it + 2)->value), "1:4");
}

}  // namespace
}  // namespace idp::yaml
