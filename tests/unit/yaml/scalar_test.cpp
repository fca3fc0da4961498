// Scalar typing against yaml 2.9.1: the expectations were generated once with
// node (parseAllDocuments(src, {merge: false}), toJSON, JSON.stringify).
#include <gtest/gtest.h>

#include <cmath>

#include "js_render.h"
#include "yaml/scalar.h"

namespace idp::yaml {
namespace {

struct Case {
  const char* yaml;
  const char* expected;
};

constexpr Case kScalars[] = {
    {"v: ~", "{\"v\":null}"},
    {"v: null", "{\"v\":null}"},
    {"v: Null", "{\"v\":null}"},
    {"v: NULL", "{\"v\":null}"},
    {"v: nULL", "{\"v\":\"nULL\"}"},
    {"v:", "{\"v\":null}"},
    {"v: true", "{\"v\":true}"},
    {"v: True", "{\"v\":true}"},
    {"v: TRUE", "{\"v\":true}"},
    {"v: tRUE", "{\"v\":\"tRUE\"}"},
    {"v: false", "{\"v\":false}"},
    {"v: False", "{\"v\":false}"},
    {"v: FALSE", "{\"v\":false}"},
    {"v: yes", "{\"v\":\"yes\"}"},
    {"v: no", "{\"v\":\"no\"}"},
    {"v: on", "{\"v\":\"on\"}"},
    {"v: off", "{\"v\":\"off\"}"},
    {"v: y", "{\"v\":\"y\"}"},
    {"v: n", "{\"v\":\"n\"}"},
    {"v: Yes", "{\"v\":\"Yes\"}"},
    {"v: 0", "{\"v\":0}"},
    {"v: -0", "{\"v\":0}"},
    {"v: +12", "{\"v\":12}"},
    {"v: 007", "{\"v\":7}"},
    {"v: 0o17", "{\"v\":15}"},
    {"v: 0o18", "{\"v\":\"0o18\"}"},
    {"v: -0o17", "{\"v\":\"-0o17\"}"},
    {"v: 0x1F", "{\"v\":31}"},
    {"v: 0x1f", "{\"v\":31}"},
    {"v: 0X1F", "{\"v\":\"0X1F\"}"},
    {"v: -0x1F", "{\"v\":\"-0x1F\"}"},
    {"v: 0xG", "{\"v\":\"0xG\"}"},
    {"v: 9007199254740991", "{\"v\":9007199254740991}"},
    {"v: 9007199254740993", "{\"v\":9007199254740992}"},
    {"v: -9007199254740993", "{\"v\":-9007199254740992}"},
    {"v: 123456789012345678901234567890", "{\"v\":1.2345678901234568e+29}"},
    {"v: 0xFFFFFFFFFFFFFFFFFF", "{\"v\":4.722366482869645e+21}"},
    {"v: 0o7777777777777777777", "{\"v\":144115188075855870}"},
    {"v: 1.5", "{\"v\":1.5}"},
    {"v: 1.50", "{\"v\":1.5}"},
    {"v: .5", "{\"v\":0.5}"},
    {"v: 5.", "{\"v\":5}"},
    {"v: -.5", "{\"v\":-0.5}"},
    {"v: +1.5", "{\"v\":1.5}"},
    {"v: 1.0", "{\"v\":1}"},
    {"v: 1e3", "{\"v\":1000}"},
    {"v: 1.5e3", "{\"v\":1500}"},
    {"v: 1E-3", "{\"v\":0.001}"},
    {"v: .5e2", "{\"v\":50}"},
    {"v: 5.e2", "{\"v\":500}"},
    {"v: 1e", "{\"v\":\"1e\"}"},
    {"v: 1e400", "{\"v\":null}"},
    {"v: -1e400", "{\"v\":null}"},
    {"v: 1e-400", "{\"v\":0}"},
    {"v: 1.2.3", "{\"v\":\"1.2.3\"}"},
    {"v: 1_000", "{\"v\":\"1_000\"}"},
    {"v: 1,000", "{\"v\":\"1,000\"}"},
    {"v: .inf", "{\"v\":null}"},
    {"v: -.inf", "{\"v\":null}"},
    {"v: +.Inf", "{\"v\":null}"},
    {"v: .INF", "{\"v\":null}"},
    {"v: .nan", "{\"v\":null}"},
    {"v: .NaN", "{\"v\":null}"},
    {"v: .NAN", "{\"v\":null}"},
    {"v: -.nan", "{\"v\":\"-.nan\"}"},
    {"v: inf", "{\"v\":\"inf\"}"},
    {"v: nan", "{\"v\":\"nan\"}"},
    {"v: 2024-01-02", "{\"v\":\"2024-01-02\"}"},
    {"v: 12:30", "{\"v\":\"12:30\"}"},
    {"v: 0.1", "{\"v\":0.1}"},
    {"v: 1e21", "{\"v\":1e+21}"},
    {"v: 1e-7", "{\"v\":1e-7}"},
    {"v: 123456.789", "{\"v\":123456.789}"},
    {"v: 0.000001", "{\"v\":0.000001}"},
    {"v: 100000000000000000000000", "{\"v\":1e+23}"},
    {"v: '1'", "{\"v\":\"1\"}"},
    {"v: \"true\"", "{\"v\":\"true\"}"},
    {"v: |\n  12\n", "{\"v\":\"12\\n\"}"},
    {"v: >\n  12\n", "{\"v\":\"12\\n\"}"},
    {"v: ''", "{\"v\":\"\"}"},
    {"v: \"\"", "{\"v\":\"\"}"},
    {"v: !!str 123", "{\"v\":\"123\"}"},
    {"v: !!str true", "{\"v\":\"true\"}"},
    {"v: !!str", "{\"v\":\"\"}"},
    {"v: !!int \"12\"", "{\"v\":12}"},
    {"v: !!int 1.5", "{\"v\":\"1.5\"}"},
    {"v: !!int 0x1F", "{\"v\":31}"},
    {"v: !!int -0x1", "{\"v\":\"-0x1\"}"},
    {"v: !!float 1", "{\"v\":\"1\"}"},
    {"v: !!float 1.5", "{\"v\":1.5}"},
    {"v: !!float \"1e3\"", "{\"v\":1000}"},
    {"v: !!float .inf", "{\"v\":null}"},
    {"v: !!bool yes", "{\"v\":\"yes\"}"},
    {"v: !!bool True", "{\"v\":true}"},
    {"v: !!null x", "{\"v\":\"x\"}"},
    {"v: !!null", "{\"v\":null}"},
    {"v: !!null ~", "{\"v\":null}"},
    {"v: ! 12", "{\"v\":\"12\"}"},
    {"v: !Ref 12", "{\"v\":\"12\"}"},
    {"v: !Ref x", "{\"v\":\"x\"}"},
    {"v: !Ref [a]", "{\"v\":[\"a\"]}"},
    {"v: !<tag:yaml.org,2002:int> 12", "{\"v\":12}"},
    {"v: !!map [1]", "{\"v\":[1]}"},
    {"v: !!seq {a: 1}", "{\"v\":{\"a\":1}}"},
    {"v: !!str [1]", "{\"v\":[1]}"},
    {"v: !!map x", "{\"v\":\"x\"}"},
    {"- a\n- 'b'\n- \"c\\td\"\n- |\n  lit\n  eral\n- >\n  fol\n  ded\n", "[\"a\",\"b\",\"c\\td\",\"lit\\neral\\n\",\"fol ded\\n\"]"},
    {"v: \"\\u00e9\\x41\"", "{\"v\":\"\xc3""\xa9""A\"}"},
    {"v: a b  c", "{\"v\":\"a b  c\"}"},
    {"v: a\n  b\n\n  c", "{\"v\":\"a b\\nc\"}"},
};

TEST(YamlScalar, MatchesYaml291) {
  for (const Case& c : kScalars) {
    EXPECT_EQ(testing::Render(c.yaml), c.expected) << "input: " << c.yaml;
  }
}

TEST(YamlScalar, NumbersAreJsNumbers) {
  auto one = [](std::string_view s) { return ResolvePlain(s); };
  using K = ScalarValue::Kind;
  EXPECT_EQ(one("9007199254740992").kind, K::kInt);
  EXPECT_EQ(one("9007199254740992").integer, 9007199254740992);
  // Beyond 2^53 a JS Number is a double: 2^53 + 1 rounds to 2^53.
  EXPECT_EQ(one("9007199254740993").kind, K::kInt);
  EXPECT_EQ(one("9007199254740993").integer, 9007199254740992);
  EXPECT_EQ(one("123456789012345678901234567890").kind, K::kDouble);
  EXPECT_DOUBLE_EQ(one("123456789012345678901234567890").number, 1.2345678901234568e+29);
  EXPECT_EQ(one("1.0").kind, K::kInt);  // JS has one number type: 1.0 is 1
  EXPECT_EQ(one("1.5").kind, K::kDouble);
  EXPECT_TRUE(std::isnan(one(".nan").number));
  EXPECT_TRUE(std::isinf(one("-.inf").number) && one("-.inf").number < 0);
  EXPECT_EQ(one("0o17").integer, 15);
  EXPECT_EQ(one("0x1F").integer, 31);
  EXPECT_EQ(one("-0").integer, 0);
}

TEST(YamlScalar, JsNumberToString) {
  EXPECT_EQ(JsNumberToString(1e21), "1e+21");
  EXPECT_EQ(JsNumberToString(1e20), "100000000000000000000");
  EXPECT_EQ(JsNumberToString(1.5e-7), "1.5e-7");
  EXPECT_EQ(JsNumberToString(0.000001), "0.000001");
  EXPECT_EQ(JsNumberToString(123.456), "123.456");
  EXPECT_EQ(JsNumberToString(-2.5), "-2.5");
  EXPECT_EQ(JsNumberToString(1.2345678901234568e+29), "1.2345678901234568e+29");
  EXPECT_EQ(JsNumberToString(std::nan("")), "NaN");
  EXPECT_EQ(JsNumberToString(-INFINITY), "-Infinity");
}

}  // namespace
}  // namespace idp::yaml
