// Alias expansion and resource limits. Alias verdicts (ok / abort) were
// checked against yaml 2.9.1 with node: its Alias.resolve() counts from 1 per
// anchor, so 99 aliases of one scalar pass and the 100th throws.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "js_render.h"

namespace idp::yaml {
namespace {

std::string Repeat(std::string_view item, int n, std::string_view sep = ", ") {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i != 0) out += sep;
    out += item;
  }
  return out;
}
std::string Aliases(std::string_view anchored, int n) {
  return "a: " + std::string(anchored) + "\nb: [" + Repeat("*x", n) + "]\n";
}
bool Aborted(const std::string& yaml) { return ParseStream(yaml).aborted; }

TEST(YamlAliases, ExpandedAsCopies) {
  EXPECT_EQ(testing::Render("a: &x [1, {c: d}]\nb: *x\nc: *x"),
            R"({"a":[1,{"c":"d"}],"b":[1,{"c":"d"}],"c":[1,{"c":"d"}]})");
  // The latest anchor of that name before the alias.
  EXPECT_EQ(testing::Render("a: &x\n  b: 1\nc: *x\nd: &x 2\ne: *x"),
            R"({"a":{"b":1},"c":{"b":1},"d":2,"e":2})");
}

TEST(YamlAliases, CountLimitEdgeScalar) {
  EXPECT_FALSE(Aborted(Aliases("&x 1", 99)));
  EXPECT_TRUE(Aborted(Aliases("&x 1", 100)));
  EXPECT_FALSE(Aborted(Aliases("&x [1, 2]", 99)));
  EXPECT_TRUE(Aborted(Aliases("&x [1, 2]", 100)));
  EXPECT_FALSE(Aborted(Aliases("&x {k: v}", 99)));
  EXPECT_TRUE(Aborted(Aliases("&x {k: v}", 100)));
  // Aliases as map keys count too.
  auto keyed = [](int n) { return "k: &x [a]\n? *x\n: 1\nl: [" + Repeat("*x", n, ",") + "]"; };
  EXPECT_FALSE(Aborted(keyed(98)));
  EXPECT_TRUE(Aborted(keyed(99)));
}

TEST(YamlAliases, EmptyCollectionsAreNotCounted) {
  // getAliasCount() of an empty collection is 0, so the product never grows.
  EXPECT_FALSE(Aborted(Aliases("&x []", 1000)));
  EXPECT_FALSE(Aborted(Aliases("&x {}", 1000)));
  EXPECT_FALSE(Aborted(Aliases("&x [[], {}]", 200)));
  EXPECT_FALSE(Aborted("e: &e []\nb: &b [" + Repeat("*e", 50, ",") + "]\nc: [" +
                       Repeat("*b", 300, ",") + "]"));
}

TEST(YamlAliases, NestedCountUsesInnerCountsAtFirstUse) {
  auto nested = [](int k) {
    return "a: &a x\nb: &b [" + Repeat("*a", k, ",") + "]\nc: [" + Repeat("*b", 20, ",") + "]";
  };
  EXPECT_FALSE(Aborted(nested(3)));  // b counts 4 per use: 21 * 4 = 84
  EXPECT_TRUE(Aborted(nested(4)));   // 21 * 5 = 105
  auto two = [](int n) {
    return "a: &a x\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [" + Repeat("*c", n) + "]";
  };
  EXPECT_FALSE(Aborted(two(10)));  // 11 * 9 = 99
  EXPECT_TRUE(Aborted(two(11)));
}

TEST(YamlAliases, CountIsPerDocument) {
  const std::string doc = Aliases("&x 1", 99);
  const Stream s = ParseStream(doc + "---\n" + doc);
  EXPECT_FALSE(s.aborted);
  EXPECT_EQ(s.documents.size(), 2u);
}

TEST(YamlAliases, UnresolvedAliasAbortsTheRestOfTheFile) {
  const Stream s = ParseStream("a: 1\n---\nb: *nope\n---\nc: 1\n");
  ASSERT_TRUE(s.aborted);
  ASSERT_EQ(s.documents.size(), 1u);  // documents before the abort stay
  EXPECT_EQ(testing::JsStringify(s.documents[0].json), R"({"a":1})");
  EXPECT_NE(s.abort_reason.find("Unresolved alias"), std::string::npos) << s.abort_reason;
  EXPECT_EQ(s.abort_mark.line, 3u);
  EXPECT_EQ(s.abort_mark.column, 4u);
}

TEST(YamlAliases, SyntaxErrorInTheSameDocumentWins) {
  // yaml never calls toJSON() on a document with errors: an error, no abort.
  const Stream s = ParseStream("a: *nope\na: 2\n---\nc: 1\n");
  EXPECT_FALSE(s.aborted);
  EXPECT_EQ(testing::Render(s), R"(<error> | {"c":1})");
}

TEST(YamlAliases, CircularAliasAborts) {
  // yaml builds a circular JS object (JSON.stringify throws); we abort.
  const Stream s = ParseStream("a: &x [*x]\n");
  EXPECT_TRUE(s.aborted);
  EXPECT_NE(s.abort_reason.find("contains it"), std::string::npos) << s.abort_reason;
}

TEST(YamlAliases, BillionLaughsAbortsQuickly) {
  std::string s = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  char prev = 'a';
  for (char n = 'b'; n <= 'i'; ++n) {
    s += std::string(1, n) + ": &" + n + " [" + Repeat(std::string("*") + prev, 9, ",") + "]\n";
    prev = n;
  }
  const auto start = std::chrono::steady_clock::now();
  const Stream out = ParseStream(s);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  EXPECT_TRUE(out.aborted);
  EXPECT_NE(out.abort_reason.find("Excessive alias count"), std::string::npos);
  EXPECT_LT(ms, 100);
}

TEST(YamlLimits, NodeLimitAfterExpansion) {
  // Within the alias-count rule but over a small node budget.
  Limits limits;
  limits.max_nodes = 500;
  const Stream s = ParseStream(Aliases("&x [" + Repeat("1", 20) + "]", 50), limits);
  EXPECT_TRUE(s.aborted);
  EXPECT_NE(s.abort_reason.find("nodes"), std::string::npos) << s.abort_reason;
  EXPECT_FALSE(ParseStream(Aliases("&x [" + Repeat("1", 20) + "]", 10), limits).aborted);
}

TEST(YamlLimits, DocumentBytes) {
  Limits limits;
  limits.max_document_bytes = 1000;
  std::string big = "a: 1\n---\nb:\n";
  for (int i = 0; i < 100; ++i) big += "  k" + std::to_string(i) + ": some value\n";
  const Stream s = ParseStream(big, limits);
  EXPECT_TRUE(s.aborted);
  EXPECT_NE(s.abort_reason.find("larger than 1000 bytes"), std::string::npos) << s.abort_reason;
  EXPECT_EQ(s.documents.size(), 1u);
}

TEST(YamlLimits, DepthLimitIsADocumentError) {
  Limits limits;
  limits.max_depth = 3;
  EXPECT_EQ(testing::Render(ParseStream("a: [[1]]\n", limits)), R"({"a":[[1]]})");
  const Stream s = ParseStream("a: [[[1]]]\n---\nb: 1\n", limits);
  EXPECT_FALSE(s.aborted);
  EXPECT_EQ(testing::Render(s), R"(<error> | {"b":1})");
  EXPECT_NE(s.documents[0].error.find("deeper than 3"), std::string::npos);
  // Through an alias as well.
  EXPECT_EQ(testing::Render(ParseStream("a: &x [[1]]\nb: [*x]\n", limits)), "<error>");
}

TEST(YamlLimits, TenThousandDeepIsAnErrorNotACrash) {
  const std::string flow = std::string(10000, '[') + std::string(10000, ']') + "\n---\nok: 1\n";
  EXPECT_EQ(testing::Render(flow), R"(<error> | {"ok":1})");
  std::string block;  // `- - - ... x`: 10,000 nested block sequences on one line
  for (int i = 0; i < 10000; ++i) block += "- ";
  const Stream s = ParseStream(block + "x\n");
  ASSERT_EQ(s.documents.size(), 1u);
  EXPECT_EQ(s.documents[0].status, DocStatus::kError);
  // Exactly at the limit is fine.
  Limits limits;
  EXPECT_EQ(ParseStream(std::string(limits.max_depth, '[') + std::string(limits.max_depth, ']'))
                .documents[0]
                .status,
            DocStatus::kOk);
}

}  // namespace
}  // namespace idp::yaml
