// The issue's bad-input list: unterminated tags, unknown filters, deeply
// nested expressions, runaway loops and output, reflection, invalid UTF-8.
// Each must end in an error with the template's line and column (or, for the
// context, the context path), never a crash, a hang or unbounded memory.
#include <gtest/gtest.h>

#include <string>

#include "template/js.h"
#include "test_util.h"

namespace idp::tmpl {
namespace {

using testing::RenderCase;

// Renders `source` (raw text, JSON-quoted here) in string mode.
RenderResult Render(const std::string& source, const std::string& context = "{}") {
  std::string quoted;
  js::QuoteJson(quoted, source);
  return RenderCase("string", quoted, context);
}

void ExpectError(const RenderResult& r, ErrorKind kind, int line, int column, const std::string& needle) {
  ASSERT_TRUE(r.error) << "rendered " << r.rendered_json;
  EXPECT_EQ(r.error->kind, kind) << r.error->message;
  EXPECT_EQ(r.error->line, line) << r.error->message;
  EXPECT_EQ(r.error->column, column) << r.error->message;
  EXPECT_NE(r.error->message.find(needle), std::string::npos) << r.error->message;
  if (line > 0) {
    std::string where = "[Line " + std::to_string(line) + ", Column " + std::to_string(column) + "]";
    EXPECT_NE(r.error->message.find(where), std::string::npos) << r.error->message;
  }
}

TEST(BadInput, UnterminatedTagsPointAtTheTag) {
  // The input ends inside the tag: reported where the tag opened.
  ExpectError(Render("a\nb ${{ values.x "), ErrorKind::kSyntax, 2, 3, "expected variable end");
  ExpectError(Render("a\n  {% if values.x "), ErrorKind::kSyntax, 2, 3, "unterminated tag");
  ExpectError(Render("x\n ${{ 'abc }}"), ErrorKind::kSyntax, 2, 2, "unterminated tag");
  ExpectError(Render("a\n {# abc"), ErrorKind::kSyntax, 2, 2, "unterminated comment");
  // A block left open: reported at the end of the input.
  ExpectError(Render("a\n{% if values.x %}yes"), ErrorKind::kSyntax, 2, 21, "expected elif, else, or endif");
  ExpectError(Render("{% for x in y %}\n\n"), ErrorKind::kSyntax, 3, 1, "end of input");
  // Stray closers keep nunjucks' token positions.
  ExpectError(Render("ab\n c #} d"), ErrorKind::kSyntax, 2, 4, "unexpected end of comment");
  ExpectError(Render("{% endif %}"), ErrorKind::kSyntax, 1, 4, "unknown block tag");
}

TEST(BadInput, UnknownFiltersAndTestsAreLocated) {
  ExpectError(Render("a\n ${{ values.x | nope }}", R"({"values":{"x":1}})"), ErrorKind::kRuntime, 2, 17,
              "filter not found: nope");
  ExpectError(Render("${{ 1 is nope }}"), ErrorKind::kRuntime, 1, 5, "test not found: nope");  // the `is` expression
}

TEST(BadInput, DeepNestingIsALimitNotACrash) {
  // Brackets and blocks recurse in the parser: bounded by max_nesting.
  ExpectError(Render("${{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}"), ErrorKind::kLimit, 1, 105,
              "nesting deeper than 100");
  ExpectError(Render("${{ " + std::string(5000, '[') + "1" + std::string(5000, ']') + " }}"), ErrorKind::kLimit, 1, 105,
              "nesting deeper");
  std::string nots;
  for (int i = 0; i < 20000; ++i) nots += "not ";
  ExpectError(Render("${{ " + nots + "1 }}"), ErrorKind::kLimit, 1, 404, "nesting deeper");
  std::string ifs, endifs;
  for (int i = 0; i < 5000; ++i) ifs += "{% if true %}", endifs += "{% endif %}";
  RenderResult r = Render(ifs + "x" + endifs);
  ExpectError(r, ErrorKind::kLimit, r.error ? r.error->line : 0, r.error ? r.error->column : 0, "nesting deeper");
  EXPECT_GT(r.error->line, 0);
  // Operator and filter chains build a deep tree without parser recursion:
  // a 1 MiB `1+1+1...` once overflowed the stack in the recursive passes.
  std::string sum = "${{ 1";
  while (sum.size() < (1u << 20) - 16) sum += "+1";
  r = Render(sum + " }}");
  ExpectError(r, ErrorKind::kLimit, 1, r.error ? r.error->column : 0, "expression nested deeper than");
  EXPECT_GT(r.error->column, 1);
  std::string filters = "${{ 1";
  for (int i = 0; i < 50000; ++i) filters += "|abs";
  r = Render(filters + " }}");
  ExpectError(r, ErrorKind::kLimit, 1, r.error ? r.error->column : 0, "expression nested deeper than");
  // A syntax error after a long chain unwinds through the half-built tree.
  r = Render(sum.substr(0, 400000) + " + }}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::kSyntax);
  // Long but reasonable chains still render.
  std::string concat = "${{ ('a'";
  for (int i = 0; i < 300; ++i) concat += " ~ 'a'";
  r = Render(concat + ") | length }}");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.rendered_json, "\"301\"");
}

TEST(BadInput, RunawayLoopsStopEarly) {
  // range() charges its length up front: no billion-element array first.
  ExpectError(Render("\n {% for i in range(1000000000) %}{% endfor %}"), ErrorKind::kLimit, 2, 19, "evaluation steps");  // the call
  // Arrays count against max_cells per element (1M by default, so at most
  // tens of MB of values): the inner ranges stop this after ten rows.
  ExpectError(Render("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"),
              ErrorKind::kLimit, 1, 46, "too many array elements");
  ExpectError(Render("${{ range(2000000) | length }}"), ErrorKind::kLimit, 1, 10, "too many array elements");
  RenderResult r = Render("{% for i in range(900000) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}");
  ExpectError(r, ErrorKind::kLimit, 1, 29, "output larger than");
  {
    // The step limit, smaller here so the test stays fast (the default is
    // 10M steps): nested loops over small arrays, nothing output.
    EngineConfig config;
    config.limits.max_steps = 200000;
    Engine engine(config);
    r = engine.RenderJsonText(
        "string", R"("{% for i in range(1000) %}\n{% for j in range(1000) %}{% set x = i * j %}{% endfor %}{% endfor %}")",
        "{}", "");
    ExpectError(r, ErrorKind::kLimit, 2, 18, "more than 200000 evaluation steps");  // the inner range()
  }
  r = Render("${{ range(10) | batch(1000000000, 'x') | length }}");
  ExpectError(r, ErrorKind::kLimit, 1, 17, "evaluation steps");
  r = Render("{% macro f(n) %}${{ f(n + 1) }}{% endmacro %}${{ f(0) }}");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::kLimit);
  EXPECT_GT(r.error->line, 0);
}

TEST(BadInput, GigabyteStringsStopAtTheLimit) {
  // Each of these doubles or multiplies a string; all stop at the string or
  // output limit, at the node that went over (an operator sits at its left
  // operand, a filter at its name, an output at its tag, as in nunjucks).
  ExpectError(Render("{% set s = 'x' %}{% for i in range(40) %}{% set s = s + s %}{% endfor %}${{ s }}"),
              ErrorKind::kLimit, 1, 53, "string longer than");
  ExpectError(Render("{% set s = 'x' %}{% for i in range(40) %}{% set s = s ~ s %}{% endfor %}${{ s }}"),
              ErrorKind::kLimit, 1, 53, "string longer than");
  ExpectError(Render("{% set s = 'xy' %}{% for i in range(30) %}{% set s = s | replace('', s) %}{% endfor %}"),
              ErrorKind::kLimit, 1, 58, "string longer than");
  ExpectError(Render("{% set s = 'xy' %}{% for i in range(30) %}{% set s = s | replace('x', s) %}{% endfor %}"),
              ErrorKind::kLimit, 1, 58, "string longer than");
  // Shared sub-arrays: [a, a] doubled thirty times is a billion elements.
  ExpectError(Render("{% set a = [1,2] %}{% for i in range(30) %}{% set a = [a,a] %}{% endfor %}${{ a | join }}"),
              ErrorKind::kLimit, 1, 83, "string too long");
  ExpectError(Render("{% set a = [1,2] %}{% for i in range(30) %}{% set a = [a,a] %}{% endfor %}${{ a }}"),
              ErrorKind::kLimit, 1, 75, "string too long");
  ExpectError(Render("{% set a = [1,2] %}{% for i in range(30) %}{% set a = [a,a] %}{% endfor %}${{ a | dump }}"),
              ErrorKind::kLimit, 1, 83, "string too long");
  ExpectError(Render("${{ 'a' | center(1000000000) }}"), ErrorKind::kLimit, 1, 11, "string too long");
  ExpectError(Render("${{ 'ab'.repeat(1000000000) }}"), ErrorKind::kLimit, 1, 16, "string too long");
  // Many strings, each below the size limit: bounded by max_string_bytes.
  ExpectError(Render("{% set s = 'x' %}{% for i in range(22) %}{% set s = s ~ s %}{% endfor %}"
                     "{% set l = [] %}{% for i in range(1000) %}{% set _ = l.push(s ~ i) %}{% endfor %}"),
              ErrorKind::kLimit, 1, 133, "bytes of strings built");
}

TEST(BadInput, ReflectionIsRefused) {
  for (const char* t : {"${{ ''.constructor }}", "${{ values['constr' + 'uctor'] }}", "${{ values.__proto__ }}",
                        "${{ constructor }}", "${{ values.prototype }}", "${{ range.constructor('return 1')() }}",
                        "{% set x = values %}${{ x['__proto__'] }}", "${{ values | attr('constructor') }}"}) {
    RenderResult r = Render(t, R"({"values":{}})");
    ASSERT_TRUE(r.error) << t;
    EXPECT_GT(r.error->line, 0) << t;
    EXPECT_TRUE(r.error->kind == ErrorKind::kRefused || r.error->message.find("filter not found") != std::string::npos)
        << t << ": " << r.error->message;
  }
  // Data keys named like reflection are data: dumping them is fine.
  RenderResult r = Render("${{ values | dump }}", R"({"values":{"constructor":1,"__proto__":{"a":1}}})");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.rendered_json, R"("{\"constructor\":1,\"__proto__\":{\"a\":1}}")");
}

TEST(BadInput, InvalidUtf8InTheTemplateIsLocated) {
  ExpectError(Render("a\nb \xff\xfe c ${{ values.x }}", R"({"values":{"x":1}})"), ErrorKind::kSyntax, 2, 3,
              "invalid UTF-8 in template (byte 0xFF)");
  // Columns count UTF-16 units, as the lexer's do: the emoji is two.
  ExpectError(Render("\xF0\x9F\x98\x80 ${{ '\xc3' }}"), ErrorKind::kSyntax, 1, 9, "byte 0xC3");
  ExpectError(Render("${{ x }}\xe2\x82"), ErrorKind::kSyntax, 1, 9, "byte 0xE2");
  ExpectError(RenderCase("string", "\"ok\\n\xed\xa0\x80\""), ErrorKind::kSyntax, 2, 1, "byte 0xED");  // an encoded surrogate
  // Every mode refuses it, the value rule included (no raw fallback).
  RenderResult r = RenderCase("value", "\"${{ 1 }}\xc0\xaf\"");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->line, 1);
  EXPECT_EQ(r.error->column, 9);
}

TEST(BadInput, InvalidUtf8InTheContextNamesThePath) {
  // Context objects convert when the template first reads them, so the error
  // names both the context path and the template position that read it.
  RenderResult r = Render("ok\n ${{ values.x }}", "{\"values\":{\"x\":\"\xed\xa0\x80z\"}}");
  ExpectError(r, ErrorKind::kRuntime, 2, 12, "invalid UTF-8 in the context at values.x");  // the lookup that read it
  r = Render("${{ values.l | length }}", "{\"values\":{\"l\":[\"ok\",{\"k\":\"\xf8\x88\x80\x80\x80\"}]}}");
  EXPECT_FALSE(r.error) << "the bad object was never read";
  r = Render("${{ values.l[1].k }}", "{\"values\":{\"l\":[\"ok\",{\"k\":\"\xf8\x88\x80\x80\x80\"}]}}");
  ExpectError(r, ErrorKind::kRuntime, 1, 16, "invalid UTF-8 in the context at values.l[1].k");
  r = Render("${{ values.l }}", "{\"values\":{\"l\":[\"ok\",\"\xc3\"]}}");
  ExpectError(r, ErrorKind::kRuntime, 1, 11, "invalid UTF-8 in the context at values.l[1]");
  r = RenderCase("value", "\"${{ values | dump }}\"", "{\"values\":{\"\xc0\xaf\":\"z\"}}");
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("at values (a key)"), std::string::npos) << r.error->message;
  // Valid multi-byte text passes untouched.
  r = Render("${{ values.x }}", "{\"values\":{\"x\":\"w\xc3\xb6rld \xf0\x9f\x98\x80\"}}");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.rendered_json, "\"w\xc3\xb6rld \xf0\x9f\x98\x80\"");
  // A context object is converted once, whatever reads it first.
  r = Render("${{ values.o.a }}${{ values.o | dump }}${{ values.o.b }}", R"({"values":{"o":{"b":1,"2":3,"a":4,"b":5}}})");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.rendered_json, R"("4{\"2\":3,\"b\":5,\"a\":4}5")");
}

TEST(BadInput, ManyContextKeysStayLinear) {
  // Index-like and repeated keys are normalised by a sort, not one insertion
  // at a time (which was quadratic: 200k keys took minutes).
  std::string ctx = "{\"values\":{";
  for (int i = 200000; i > 0; --i) ctx += "\"" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  ctx += "\"b\":1,\"7\":70,\"a\":2,\"b\":3}}";
  RenderResult r = Render("${{ values | length }} ${{ values['7'] }} ${{ values.b }}", ctx);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.rendered_json, "\"200002 70 3\"");
  r = Render("{% for k, v in values %}{% if loop.index < 4 or loop.revindex < 3 %}${{ k }}=${{ v }};{% endif %}{% endfor %}",
             ctx);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.rendered_json, "\"1=1;2=2;3=3;b=3;a=2;\"");
}


TEST(BadInput, RegexInputIsBounded) {
  // std::regex recurses per character: long inputs once crashed the process.
  std::string ctx = "{\"values\":{\"s\":\"" + std::string(50000, 'a') + "\"}}";
  ExpectError(Render("${{ values.s | replace(r/(a|b)*c/g, 'x') }}", ctx), ErrorKind::kLimit, 1, 16,
              "regex input longer than 1000 bytes");
  ExpectError(Render("${{ values.s | striptags }}", ctx), ErrorKind::kLimit, 1, 16, "striptags input too long");
  // Short inputs keep JS semantics (leftmost alternative first).
  EXPECT_EQ(Render("${{ 'ab-ab' | replace(r/a|ab/g, '[$&]') }}").rendered_json, R"("[a]b-[a]b")");
}

}  // namespace
}  // namespace idp::tmpl
