#include <gtest/gtest.h>

#include "test_util.h"

namespace idp::tmpl {
namespace {

using testing::RenderCase;
using testing::Str;

TEST(Render, VariablesAndText) {
  EXPECT_EQ(Str(R"("Hello ${{ values.name }}!")", R"({"name":"World"})"), R"("Hello World!")");
  EXPECT_EQ(Str(R"("{{ x }}")"), R"("{{ x }}")");  // plain {{ }} is text in the ${{ }} dialect
  EXPECT_EQ(Str(R"("${{ values.missing }}|${{ none }}")"), R"("|")");
}

TEST(Render, JsValueFormatting) {
  EXPECT_EQ(Str(R"("${{ values.list }}")", R"({"list":["web","python"]})"), R"("web,python")");
  EXPECT_EQ(Str(R"("${{ values.obj }}")", R"({"obj":{"a":1}})"), R"("[object Object]")");
  EXPECT_EQ(Str(R"("${{ 1.0 }} ${{ 10 / 4 }} ${{ 7 // 2 }} ${{ 2 ** 10 }} ${{ 7 % 3 }}")"), R"("1 2.5 3 1024 1")");
  EXPECT_EQ(Str(R"("${{ 1 + 2 * 3 }} ${{ 'a' ~ 1 ~ true }} ${{ '1' + 1 }}")"), R"("7 a1true 11")");
}

TEST(Render, ControlFlow) {
  EXPECT_EQ(Str(R"("{% if values.n > 2 %}big{% elif values.n > 0 %}small{% else %}none{% endif %}")", R"({"n":1})"),
            R"("small")");
  EXPECT_EQ(Str(R"("{% for x in values.l %}${{ loop.index }}${{ x }}{% if not loop.last %},{% endif %}{% endfor %}")",
                R"({"l":["a","b"]})"),
            R"("1a,2b")");
  EXPECT_EQ(Str(R"("{% for k, v in values.o %}${{ k }}=${{ v }};{% endfor %}")", R"({"o":{"b":1,"a":2,"10":3,"2":4}})"),
            R"("2=4;10=3;b=1;a=2;")");
  EXPECT_EQ(Str(R"("{% for x in [] %}x{% else %}empty{% endfor %}")"), R"("empty")");
  EXPECT_EQ(Str(R"("{% set a = 1 %}{% set b %}in${{ a }}{% endset %}${{ b }}")"), R"("in1")");
  EXPECT_EQ(Str(R"("{% macro m(x, y='d') %}<${{ x }}${{ y }}>{% endmacro %}${{ m(1) }}${{ m(2, y=3) }}")"),
            R"("<1d><23>")");
  EXPECT_EQ(Str(R"("{% raw %}${{ x }}{% endraw %}")"), R"("${{ x }}")");
  EXPECT_EQ(Str(R"("{% filter upper %}abc{% endfilter %}")"), R"("ABC")");
}

TEST(Render, WhitespaceControl) {
  EXPECT_EQ(Str(R"("a  {%- if true -%}  b  {%- endif -%}  c")"), R"("abc")");
  EXPECT_EQ(Str(R"("a ${{- 'b' -}} c")"), R"("abc")");
  RenderResult r = RenderCase("string", R"("{% if true %}\n  x\n{% endif %}\n")", "{}", R"({"trimBlocks":true})");
  EXPECT_EQ(r.rendered_json, R"("  x\n")");
  r = RenderCase("string", R"("  {% if true %}\nx\n  {% endif %}\n")", "{}", R"({"trimBlocks":true,"lstripBlocks":true})");
  EXPECT_EQ(r.rendered_json, R"("x\n")");
}

TEST(Render, Filters) {
  EXPECT_EQ(Str(R"("${{ 'Hello' | lower }} ${{ 'a b' | title }} ${{ ' x ' | trim }} ${{ 'abc' | replace('', '.') }}")"),
            R"("hello A B x .a.b.c.")");
  EXPECT_EQ(Str(R"("${{ [3,1,2] | sort | join('-') }} ${{ ['b','A','c'] | sort }} ${{ [1,2,3] | reverse }}")"),
            R"("1-2-3 A,b,c 3,2,1")");
  EXPECT_EQ(Str(R"("${{ 'the quick brown fox' | truncate(9) }} ${{ 'abc' | int }} ${{ '42' | int }}")"),
            R"("the quick...  42")");
  EXPECT_EQ(Str(R"("${{ '😀' | length }} ${{ {'a':1,'b':2} | length }} ${{ undefinedthing | length }}")"),
            R"("2 2 0")");
  EXPECT_EQ(Str(R"("${{ x | default('d') }} ${{ '' | default('d') }} ${{ '' | default('d', true) }}")"), R"("d  d")");
  EXPECT_EQ(Str(R"("${{ {'a':[1,'x']} | dump }}")"), R"("{\"a\":[1,\"x\"]}")");
  EXPECT_EQ(Str(R"("${{ '<a href=\"x\">&' | escape }}")"), R"("&lt;a href=&quot;x&quot;&gt;&amp;")");
  EXPECT_EQ(Str(R"("${{ 'straße' | upper }}")"), R"("STRASSE")");
}

TEST(Render, MemberFunctions) {
  EXPECT_EQ(Str(R"("${{ 'a-b-c'.split('-') | join('+') }} ${{ 'abc'.toUpperCase() }} ${{ '7'.padStart(3, '0') }}")"),
            R"("a+b+c ABC 007")");
  EXPECT_EQ(Str(R"("${{ (3.14159).toFixed(2) }} ${{ 'abc'.startsWith('ab') }} ${{ [1,2].length }}")"),
            R"("3.14 true 2")");
}

TEST(Render, BackstageFilters) {
  EXPECT_EQ(Str(R"("${{ 'github.com?owner=acme&repo=svc' | parseRepoUrl | dump }}")"),
            R"("{\"host\":\"github.com\",\"owner\":\"acme\",\"repo\":\"svc\"}")");
  EXPECT_EQ(Str(R"("${{ 'github.com?owner=acme&repo=svc' | projectSlug }}")"), R"("acme/svc")");
  EXPECT_EQ(Str(R"("${{ 'Component:My-NS/My-Name' | parseEntityRef | dump }}")"),
            R"("{\"kind\":\"Component\",\"namespace\":\"My-NS\",\"name\":\"My-Name\"}")");
  EXPECT_EQ(Str(R"("${{ values | pick('a.b[0]') }}")", R"({"a":{"b":["deep"]}})"), R"("deep")");
  RenderResult r = RenderCase("string", R"("${{ 'example.org?repo=x' | parseRepoUrl }}")", "{}");
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("No matching integration configuration for host example.org"), std::string::npos);
}

TEST(Render, Errors) {
  RenderResult r = RenderCase("string", R"("ok ${{ x | nosuchfilter }}")");
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("filter not found: nosuchfilter"), std::string::npos);
  r = RenderCase("string", R"("line\n  ${{ x + }}")");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::kSyntax);
  EXPECT_EQ(r.error->line, 2);
  r = RenderCase("string", R"("{% include 'x' %}")");
  ASSERT_TRUE(r.error);
}

TEST(Render, CompatMode) {
  RenderResult r = RenderCase("compat", R"("{{ cookiecutter.name | jsonify }} ${{ cookiecutter.name }} {{ [1,2,3][1:] }} {{ True }}")",
                       R"({"cookiecutter":{"name":"x"}})");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.rendered_json, R"("\"x\" $x 2,3 true")");
}

TEST(Render, CompiledTemplatesAreReusable) {
  Engine engine;
  auto a = engine.Compiled("${{ x }}", {});
  auto b = engine.Compiled("${{ x }}", {});
  EXPECT_EQ(a.get(), b.get());
  EXPECT_TRUE(a->IsSingle());
  EXPECT_FALSE(engine.Compiled("${{ x }} ", {})->IsSingle());
  EXPECT_TRUE(engine.Compiled("{# c #}${{ x }}", {})->IsSingle());
}

TEST(Render, CompileErrorsAreCachedAndRethrown) {
  Engine engine;
  for (int i = 0; i < 2; ++i) {  // the second call answers from the cache
    try {
      engine.Compiled("a\n ${{ x + }}", {});
      FAIL() << "expected a syntax error";
    } catch (const EngineError& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kSyntax);
      EXPECT_EQ(e.line(), 2);
    }
  }
}

TEST(Render, CacheStaysBoundedAndCorrect) {
  EngineConfig config;
  config.cache_entries = 4;
  Engine engine(config);
  Json ctx;
  ctx.Parse(R"({"x":"v"})");
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 10; ++i) {
      std::string src = "${{ x }}" + std::to_string(i);
      EXPECT_EQ(engine.RenderText(src, ctx, {}), "v" + std::to_string(i));
      EXPECT_EQ(engine.RenderText(src, ctx, SyntaxOptions{true, false, false}), "$v" + std::to_string(i));
    }
  }
}

TEST(Render, ContextObjectsKeepJsKeyOrderAndLastDuplicate) {
  // Index keys enumerate first and ascending; a repeated key keeps its first
  // position and its last value (JSON.parse).
  EXPECT_EQ(Str(R"("${{ values | dump }}")", R"({"b":1,"2":2,"a":3,"1":4,"b":5})"),
            R"("{\"1\":4,\"2\":2,\"b\":5,\"a\":3}")");
  std::string big = "{";
  for (int i = 0; i < 20; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  big += "\"k3\":99}";
  EXPECT_EQ(Str(R"("${{ values.k3 }} ${{ values.k19 }} ${{ values | length }}")", big), R"("99 19 20")");
}

TEST(Render, ContextMembersReadByNameAreTheOnesTheObjectHolds) {
  // A read by name converts that member alone; converting the whole object
  // later (dump, iteration) must hand out the same array, mutations included.
  EXPECT_EQ(Str(R"("${{ values.l.push(4) }} ${{ values.l | length }} ${{ values | dump }}")",
                R"({"a":{"x":1},"l":[1,2,3],"l":[7]})"),
            R"("2 2 {\"a\":{\"x\":1},\"l\":[7,4]}")");
  EXPECT_EQ(Str(R"("${{ values.o.k }}{% for k, v in values %}{{k}}{% endfor %}${{ values.o.k }}")",
                R"({"o":{"k":"v"},"n":1})"),
            R"("v{{k}}{{k}}v")");
  // An invalid member fails every read, also of its valid siblings.
  RenderResult r = RenderCase("string", R"("${{ values.ok }}")", "{\"values\":{\"ok\":\"a\",\"bad\":\"\xc3\"}}");
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("invalid UTF-8 in the context at values.bad"), std::string::npos) << r.error->message;
  EXPECT_EQ(Str(R"("${{ values.missing }}|${{ values.x }}|${{ values.x === null }}")", R"({"x":null})"), R"("||true")");
}

TEST(Render, RuntimeErrorsReportTheInnermostNode) {
  RenderResult r = RenderCase("string", R"("ab\n{% if true %}\n  x ${{ values.nope() }}{% endif %}")");
  ASSERT_TRUE(r.error);
  // The innermost failing node is reported (the call). nunjucks' own
  // positions differ here ([Line 2, Column 19]); conformance does not compare
  // error texts, this pins the engine's behaviour.
  EXPECT_EQ(r.error->line, 3);
  EXPECT_EQ(r.error->column, 20);
  r = RenderCase("string", R"("{% macro m(a) %}\n  ${{ a.b() }}{% endmacro %}x${{ m(1) }}")");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->line, 2);
  EXPECT_EQ(r.error->column, 10);
}

TEST(Render, SortFoldsCaseOnlyBetweenStrings) {
  EXPECT_EQ(Str(R"("${{ ['b','A','a','C','B'] | sort | join(',') }}")"), R"("A,a,b,B,C")");
  EXPECT_EQ(Str(R"("${{ ['b','A','a','C'] | sort(false, true) | join(',') }}")"), R"("A,C,a,b")");
  EXPECT_EQ(Str(R"("${{ 'HeLLo Wörld İ' | lower }}")"), "\"hello wörld i\u0307\"");
}


TEST(Render, CacheHitsShareTheCompiledTemplate) {
  EngineConfig config;
  config.cache_entries = 4;
  Engine engine(config);
  auto first = engine.Compiled("${{ x }}a", {});
  EXPECT_EQ(engine.Compiled("${{ x }}a", {}), first);  // a hit: the same object
  EXPECT_NE(engine.Compiled("${{ x }}a", SyntaxOptions{true, false, false}), first);  // other syntax, other entry
  EXPECT_EQ(engine.CachedEntries(), 2U);
  for (int i = 0; i < 20; ++i) {
    engine.Compiled("${{ x }}" + std::to_string(i), {});
    EXPECT_LE(engine.CachedEntries(), 4U);
  }
  // Filling past the bound evicted some of the early entries, never all of
  // the recent ones.
  int recompiled = 0;
  for (int i = 0; i < 20; ++i) {
    std::string src = "${{ x }}" + std::to_string(i);
    auto before = engine.CachedEntries();
    engine.Compiled(src, {});
    if (engine.CachedEntries() != before || before == 4U) ++recompiled;
  }
  EXPECT_GT(recompiled, 0);
  EXPECT_EQ(engine.Compiled("${{ x }}19", {}), engine.Compiled("${{ x }}19", {}));
}

TEST(Render, CacheIsBoundedInBytes) {
  EngineConfig config;
  config.cache_bytes = 1000;
  Engine engine(config);
  engine.Compiled(std::string(300, 'a'), {});  // over a quarter of the budget: never kept
  EXPECT_EQ(engine.CachedEntries(), 0U);
  for (char c = 'a'; c <= 'z'; ++c) {
    engine.Compiled(std::string(200, c), {});
    EXPECT_LE(engine.CachedBytes(), 1000U);
  }
  EXPECT_GT(engine.CachedEntries(), 0U);
  EngineConfig none;
  none.cache_entries = 0;  // no caching at all
  Engine uncached(none);
  EXPECT_NE(uncached.Compiled("${{ x }}", {}), uncached.Compiled("${{ x }}", {}));
  EXPECT_EQ(uncached.CachedEntries(), 0U);
}

TEST(Render, CachedSyntaxErrorsAreTheSameEachTime) {
  Engine engine;
  std::string first;
  for (int i = 0; i < 3; ++i) {
    RenderResult r = engine.RenderJsonText("string", R"("ok\n  {% if %}")", "{}", "");
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->kind, ErrorKind::kSyntax);
    EXPECT_EQ(r.error->line, 2);
    EXPECT_EQ(r.error->column, 9);
    if (i == 0) first = r.error->message;
    EXPECT_EQ(r.error->message, first);
  }
  EXPECT_EQ(engine.CachedEntries(), 1U);  // the error is what the cache holds
  // Limit errors are not kept: an oversized source is refused every time
  // without filling the cache.
  EngineConfig small;
  small.limits.max_source_bytes = 16;
  Engine limited(small);
  for (int i = 0; i < 2; ++i) {
    RenderResult r = limited.RenderJsonText("string", R"("0123456789abcdefghij")", "{}", "");
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->kind, ErrorKind::kLimit);
  }
  EXPECT_EQ(limited.CachedEntries(), 0U);
  // A nesting limit is a property of the source: kept, and the same each time.
  Engine nesting;
  std::string deep = "\"${{ " + std::string(300, '(') + "1" + std::string(300, ')') + " }}\"";
  for (int i = 0; i < 2; ++i) {
    RenderResult r = nesting.RenderJsonText("string", deep, "{}", "");
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->kind, ErrorKind::kLimit);
    EXPECT_NE(r.error->message.find("nesting deeper"), std::string::npos) << r.error->message;
  }
  EXPECT_EQ(nesting.CachedEntries(), 1U);
}

TEST(Render, RuntimeErrorLocationIsStableAcrossRenders) {
  // The location comes from the innermost node the error unwound through; a
  // second render of the same compiled template must not keep the first one's.
  Engine engine;
  for (int i = 0; i < 2; ++i) {
    RenderResult r = engine.RenderJsonText("string", R"("${{ values.a }}\n  ${{ values.a | nope }}")",
                                           R"({"values":{"a":1}})", "");
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->line, 2);
    EXPECT_EQ(r.error->column, 18);  // the filter's name
  }
  RenderResult ok = engine.RenderJsonText("string", R"("${{ values.a }}")", R"({"values":{"a":1}})", "");
  EXPECT_FALSE(ok.error);
  // Errors in nested statements point at the failing expression, not the tag.
  RenderResult r = engine.RenderJsonText(
      "string", R"("{% for x in [1] %}{% if true %}\n\n   ${{ x.y() }}{% endif %}{% endfor %}")", "{}", "");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->line, 3);
  EXPECT_EQ(r.error->column, 11);  // the call's parenthesis, as nunjucks places calls
}

TEST(Render, SortFoldsCaseByAttributeToo) {
  EXPECT_EQ(Str(R"("${{ values.u | sort(attribute='n') | join(',', 'n') }}")",
                R"({"u":[{"n":"b"},{"n":"C"},{"n":"a"},{"n":"B"}]})"),
            R"("a,b,B,C")");
  EXPECT_EQ(Str(R"("${{ values.u | sort(false, true, 'n') | join(',', 'n') }}")",
                R"({"u":[{"n":"b"},{"n":"C"},{"n":"a"},{"n":"B"}]})"),
            R"("B,C,a,b")");
  EXPECT_EQ(Str(R"("${{ ['b','A','a','C','B'] | sort(true) | join(',') }}")"), R"("C,b,B,A,a")");
  // Non-ASCII keys fold with the full mapping (Ä sorts with ä).
  EXPECT_EQ(Str(R"("${{ ['b','\u00c4','\u00e4','a'] | sort | join(',') }}")"), "\"a,b,\u00c4,\u00e4\"");
}

TEST(Render, CaseMappingIsAsciiFastAndUnicodeCorrect) {
  // Pure ASCII takes the byte-wise path; anything else the full JS mapping.
  EXPECT_EQ(Str(R"("${{ 'Hello World 123_-' | lower }}|${{ 'Hello World 123_-' | upper }}")"),
            R"("hello world 123_-|HELLO WORLD 123_-")");
  EXPECT_EQ(Str(R"("${{ 'stra\u00dfe \ufb01' | upper }}")"), "\"STRASSE FI\"");
  EXPECT_EQ(Str(R"("${{ '\u03a3\u0391\u03a3 \u03a3' | lower }}")"), "\"\u03c3\u03b1\u03c2 \u03c3\"");
  EXPECT_EQ(Str(R"("${{ 'hello wORLD' | capitalize }}|${{ 'hello wORLD' | title }}")"), R"("Hello world|Hello World")");
  EXPECT_EQ(Str(R"("${{ '\u00e9t\u00e9' | upper }}|${{ '\u00c9T\u00c9' | lower }}")"), "\"\u00c9T\u00c9|\u00e9t\u00e9\"");
}

}  // namespace
}  // namespace idp::tmpl
