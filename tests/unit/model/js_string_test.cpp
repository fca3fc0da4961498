#include <gtest/gtest.h>

#include <algorithm>

#include "model/js_object.h"
#include "model/js_string.h"
#include "test_util.h"

namespace idp::model {
namespace {

TEST(CompareUtf16, JavaScriptOrder) {
  EXPECT_LT(CompareUtf16("A", "a"), 0);
  EXPECT_LT(CompareUtf16("Z", "_"), 0);
  EXPECT_LT(CompareUtf16("a", "ab"), 0);
  EXPECT_EQ(CompareUtf16("ab", "ab"), 0);
  EXPECT_GT(CompareUtf16("b", "a"), 0);
  // Supplementary code points (surrogates D800..DFFF) sort before U+E000..U+FFFF,
  // unlike UTF-8 byte order.
  EXPECT_LT(CompareUtf16("\xF0\x9F\x98\x80", "\xEF\xBF\xBF"), 0);        // U+1F600 < U+FFFF
  EXPECT_GT(CompareUtf16("\xEF\xBF\xBF", "\xF0\x9F\x98\x80"), 0);
  EXPECT_LT(CompareUtf16("\xC3\xA9", "\xF0\x9F\x98\x80"), 0);            // U+00E9 < U+1F600
  EXPECT_LT(CompareUtf16("x\xF0\x90\x80\x80", "x\xF0\x90\x80\x81"), 0);  // same high surrogate
}

TEST(JsString, LengthWhitespaceQuote) {
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("\xC3\xA9"), 1u);
  EXPECT_EQ(Utf16Length("\xF0\x9F\x98\x80"), 2u);
  EXPECT_FALSE(HasNonWhitespace(""));
  EXPECT_FALSE(HasNonWhitespace(" \t\n\xC2\xA0\xE3\x80\x80\xEF\xBB\xBF"));
  EXPECT_TRUE(HasNonWhitespace(" x "));
  EXPECT_TRUE(HasNonWhitespace("\xE2\x80\x8B"));  // U+200B is not JS whitespace
  EXPECT_EQ(JsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(JsonQuote("\xC3\xA9"), "\"\xC3\xA9\"");
}

TEST(JsObject, ArrayIndexKeysFirst) {
  const Json doc = testing::ParseJson(R"({"b":1,"10":2,"a":3,"2":4,"01":5,"4294967295":6,"4294967294":7})");
  std::vector<std::string> keys;
  ForEachMemberJsOrder(doc, [&](std::string_view k, const JsonValue&) { keys.emplace_back(k); });
  const std::vector<std::string> expected = {"2", "10", "4294967294", "b", "a", "01", "4294967295"};
  EXPECT_EQ(keys, expected);
}

}  // namespace
}  // namespace idp::model
