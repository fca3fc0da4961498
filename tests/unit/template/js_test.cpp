#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "template/js.h"

namespace idp::tmpl::js {
namespace {

TEST(JsNumbers, FormatsLikeNumberToString) {
  EXPECT_EQ(NumberToString(1), "1");
  EXPECT_EQ(NumberToString(1.5), "1.5");
  EXPECT_EQ(NumberToString(-0.0), "0");
  EXPECT_EQ(NumberToString(1e21), "1e+21");
  EXPECT_EQ(NumberToString(1e-7), "1e-7");
  EXPECT_EQ(NumberToString(123456789012345680000.0), "123456789012345680000");
  EXPECT_EQ(NumberToString(0.000001), "0.000001");
  EXPECT_EQ(NumberToString(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(NumberToString(std::nan("")), "NaN");
  EXPECT_EQ(NumberToString(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(NumberToString(1.1805916207174113e+21), "1.1805916207174113e+21");
}

TEST(JsNumbers, ParsesLikeNumberAndParseInt) {
  EXPECT_EQ(StringToNumber(" 42 "), 42);
  EXPECT_EQ(StringToNumber(""), 0);
  EXPECT_EQ(StringToNumber("0x1F"), 31);
  EXPECT_TRUE(std::isnan(StringToNumber("12px")));
  EXPECT_EQ(ParseInt("12px", 10), 12);
  EXPECT_TRUE(std::isnan(ParseInt("abc", 10)));
  EXPECT_EQ(ParseFloat("3.5e2xyz"), 350);
  EXPECT_EQ(ToFixed(2.5, 0), "3");
  EXPECT_EQ(ToFixed(1.005, 2), "1.00");
  EXPECT_EQ(ToFixed(-1.5, 1), "-1.5");
}

TEST(JsStrings, CountsUtf16Units) {
  EXPECT_EQ(Length16("\xF0\x9F\x98\x80"), 2u);  // an emoji is a surrogate pair
  EXPECT_EQ(Length16("h\xC3\xA9"), 2u);
  std::u16string u = ToU16("a\xF0\x9F\x98\x80");
  ASSERT_EQ(u.size(), 3u);
  std::string lone = FromU16(u.substr(1, 1));
  std::string quoted;
  QuoteJson(quoted, lone);
  EXPECT_EQ(quoted, "\"\\ud83d\"");
}

TEST(JsStrings, CaseMappingIsLocaleIndependent) {
  EXPECT_EQ(ToUpper("stra\xC3\x9F" "e"), "STRASSE");
  EXPECT_EQ(ToLower("ABC"), "abc");
  EXPECT_EQ(Trim("\xC2\xA0 x \n", true, true), "x");
}

TEST(JsEquality, LooseAndStrict) {
  EXPECT_TRUE(LooseEquals(Value::Number(1), Value::String("1")));
  EXPECT_FALSE(StrictEquals(Value::Number(1), Value::String("1")));
  EXPECT_TRUE(LooseEquals(Value::Null(), Value()));
  EXPECT_FALSE(LooseEquals(Value::Null(), Value::Number(0)));
  EXPECT_TRUE(Lt(Value::String("a"), Value::String("b")));
  EXPECT_FALSE(Lt(Value::Number(1), Value()));
}

}  // namespace
}  // namespace idp::tmpl::js
