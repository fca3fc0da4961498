// Keys, duplicates, aliases, documents and error recovery against yaml 2.9.1:
// expectations generated once with node (see js_render.h for the format).
#include <gtest/gtest.h>

#include "js_render.h"

namespace idp::yaml {
namespace {

struct Case {
  const char* yaml;
  const char* expected;
};

constexpr Case kStructure[] = {
    {"1: a", "{\"1\":\"a\"}"},
    {"0x1: a", "{\"1\":\"a\"}"},
    {"~: a", "{\"\":\"a\"}"},
    {"null: a", "{\"\":\"a\"}"},
    {"true: a", "{\"true\":\"a\"}"},
    {"1.50: a", "{\"1.5\":\"a\"}"},
    {"1e3: a", "{\"1000\":\"a\"}"},
    {".nan: a", "{\"NaN\":\"a\"}"},
    {".inf: a", "{\"Infinity\":\"a\"}"},
    {"-0: a", "{\"0\":\"a\"}"},
    {"? \n: a", "{\"\":\"a\"}"},
    {"'': a\n~: b", "{\"\":\"b\"}"},
    {"1: a\n\"1\": b", "{\"1\":\"b\"}"},
    {"true: a\n'true': b", "{\"true\":\"b\"}"},
    {"1: a\n0x1: b", "<error>"},
    {"0: a\n-0: b", "<error>"},
    {"1: a\n1.0: b", "<error>"},
    {".nan: a\n.nan: b", "{\"NaN\":\"b\"}"},
    {"a: 1\na: 2", "<error>"},
    {"\"a\": 1\na: 2", "<error>"},
    {"a: 1\nb:\n  c: 1\n  c: 2", "<error>"},
    {"~: a\nnull: b", "<error>"},
    {"~: a\n'': b", "{\"\":\"b\"}"},
    {"b: 1\n2: x\n1: y", "{\"1\":\"y\",\"2\":\"x\",\"b\":1}"},
    {"b: 1\n10: x\n9: y\n01: z\n4294967295: w\n4294967294: v", "{\"1\":\"z\",\"9\":\"y\",\"10\":\"x\",\"4294967294\":\"v\",\"b\":1,\"4294967295\":\"w\"}"},
    {"? [a, b]\n: 1", "{\"[ a, b ]\":1}"},
    {"? []\n: 1", "{\"[]\":1}"},
    {"? {}\n: 1", "{\"{}\":1}"},
    {"? [a: b]\n: 1", "{\"[ { a: b } ]\":1}"},
    {"? {a: [b, {c: d}]}\n: 1", "{\"{ a: [ b, { c: d } ] }\":1}"},
    {"? [\"q\", 'x y']\n: 1", "{\"[ \\\"q\\\", 'x y' ]\":1}"},
    {"? [a, b]\n: 1\n? [a, b]\n: 2", "{\"[ a, b ]\":2}"},
    {"[a, b]: c", "{\"[ a, b ]\":\"c\"}"},
    {"{a: 1}: 2", "{\"{ a: 1 }\":2}"},
    {"<<: {a: 1}\nb: 2", "{\"<<\":{\"a\":1},\"b\":2}"},
    {"base: &b {x: 1}\nthing:\n  <<: *b\n  y: 2", "{\"base\":{\"x\":1},\"thing\":{\"<<\":{\"x\":1},\"y\":2}}"},
    {"a: &x 1\nb: *x", "{\"a\":1,\"b\":1}"},
    {"a: &x [1, {c: d}]\nb: *x\nc: *x", "{\"a\":[1,{\"c\":\"d\"}],\"b\":[1,{\"c\":\"d\"}],\"c\":[1,{\"c\":\"d\"}]}"},
    {"&a x: 1\n*a : 2", "{\"x\":2}"},
    {"a: &a [1]\n*a : 2", "{\"a\":[1],\"*a\":2}"},
    {"a: &a 1\nb: &a 2\nc: *a", "{\"a\":1,\"b\":2,\"c\":2}"},
    {"a: &x 1\n*x : 2\n1: 3", "{\"1\":3,\"a\":1}"},
    {"*x", "<abort>"},
    {"a: 1\n---\nb: *x\n---\nc: 1", "{\"a\":1} | <abort>"},
    {"", ""},
    {"# comment only", ""},
    {"---", "<empty>"},
    {"---\n---\n", "<empty> | <empty>"},
    {"a: 1\n---\n", "{\"a\":1} | <empty>"},
    {"---\na: 1\n...\n", "{\"a\":1}"},
    {"%YAML 1.2\n---\na: 1", "{\"a\":1}"},
    {"%YAML 1.1\n---\na: 1", "{\"a\":1}"},
    {"a: 1\n...\n# c\n---\nb: 2", "{\"a\":1} | {\"b\":2}"},
    {"~", "<empty>"},
    {"--- ~\n--- null\n--- !!null\n--- ''\n", "<empty> | <empty> | <empty> | \"\""},
    {"key: value # c\n--- # x\n~\n--- |\n  text", "{\"key\":\"value\"} | <empty> | \"text\\n\""},
    {"- 1\n- 2", "[1,2]"},
    {"just a string", "\"just a string\""},
    {"42", "42"},
    {"a: [1, 2\n---\nb: 1", "<error> | {\"b\":1}"},
    {"a:\n\tb: 1", "<error>"},
    {"a:\n  b: 1\n c: 2", "<error>"},
    {"a: b: c", "<error>"},
    {"- a\nb: 1", "<error>"},
    {"a: 1\n---\nb: [\n---\nc: 1", "{\"a\":1} | <error> | {\"c\":1}"},
    {"a: 1\n---\nb: {c\n---\nd: 1\n---\ne: [\n---\nf: 1", "{\"a\":1} | <error> | {\"d\":1} | <error> | {\"f\":1}"},
    {"a: \"unterminated\n---\nb: 1", "<error>"},
    {"a: 'x\n---\nb: 1", "<error>"},
    {"{a: 1", "<error>"},
    {"[1, 2", "<error>"},
    {"a: 1\n b: 2", "<error>"},
    {"a:\n  - b\n  -  c\n - d", "<error>"},
    {"a: 1\n---\na: 1\na: 2\n---\nc: 3", "{\"a\":1} | <error> | {\"c\":3}"},
    {"a:\r\n  b: 1\r\n  c: [1, 2]\r\n", "{\"a\":{\"b\":1,\"c\":[1,2]}}"},
    {"\xef""\xbb""\xbf""a: 1", "{\"a\":1}"},
    {"\xef""\xbb""\xbf""a: 1\n---\nb: 2", "{\"a\":1} | {\"b\":2}"},
    {"a: 1\n--- \nb: 2\n---\t\nc: 3", "{\"a\":1} | {\"b\":2} | {\"c\":3}"},
    {"a: |\n  x\n  ---\n  y\n", "{\"a\":\"x\\n---\\ny\\n\"}"},
    {"a: >-\n  folded\n  text\n\n  para\n", "{\"a\":\"folded text\\npara\"}"},
    {"a: \"multi\n  line\"", "{\"a\":\"multi line\"}"},
    {"a: 'it''s'", "{\"a\":\"it's\"}"},
    {"{\"a\":1, b:2}", "{\"a\":1,\"b:2\":null}"},
    {"[a, [b, [c, {d: e}]]]", "[\"a\",[\"b\",[\"c\",{\"d\":\"e\"}]]]"},
    {"a: {b: {c: {d: [1, 2, {e: f}]}}}", "{\"a\":{\"b\":{\"c\":{\"d\":[1,2,{\"e\":\"f\"}]}}}}"},
    {"? |\n  block key\n: v", "{\"block key\\n\":\"v\"}"},
    {"a:\n- 1\n- 2\nb: x", "{\"a\":[1,2],\"b\":\"x\"}"},
};

TEST(YamlStructure, MatchesYaml291) {
  for (const Case& c : kStructure) {
    EXPECT_EQ(testing::Render(c.yaml), c.expected) << "input: " << c.yaml;
  }
}

}  // namespace
}  // namespace idp::yaml
