#include <gtest/gtest.h>

#include "test_util.h"

namespace idp::tmpl {
namespace {

using testing::RenderCase;

const char* kCtx = R"({"parameters":{"n":3,"numStr":"123","empty":"","nil":null,"list":["alpha","beta"],
  "flag":true,"off":false,"name":"svc","keyOrder":{"b":1,"a":2,"10":3,"2":4}}})";

std::string Value(const std::string& t) {
  RenderResult r = RenderCase("value", t, kCtx);
  if (r.undefined) return "undefined";
  return r.rendered_json + (r.fallback ? " (fallback)" : "");
}

TEST(ValueMode, KeepsTypesOfSingleExpressions) {
  EXPECT_EQ(Value(R"("${{ parameters.n }}")"), "3");
  EXPECT_EQ(Value(R"("${{ parameters.numStr }}")"), R"("123")");
  EXPECT_EQ(Value(R"("${{ parameters.empty }}")"), R"("")");
  EXPECT_EQ(Value(R"("${{ parameters.missing }}")"), "undefined");
  EXPECT_EQ(Value(R"("${{ parameters.nil }}")"), "null");
  EXPECT_EQ(Value(R"("${{ 1 / 0 }}")"), "null");
  EXPECT_EQ(Value(R"("${{ parameters.keyOrder }}")"), R"({"2":4,"10":3,"b":1,"a":2})");
  EXPECT_EQ(Value(R"("${{ parameters.n }} ")"), R"("3 ")");
  EXPECT_EQ(Value(R"("{% if parameters.flag %}42{% endif %}")"), "42");
  EXPECT_EQ(Value(R"("{% if parameters.off %}x{% endif %}")"), "undefined");
  EXPECT_EQ(Value(R"("{% if parameters.flag %}${{ parameters.list }}{% endif %}")"), R"(["alpha","beta"])");
  EXPECT_EQ(Value("\"${{ parameters.numStr\\n}}\""), "123");
  EXPECT_EQ(Value(R"("${{ 'abc' | int }}")"), "undefined");
  EXPECT_EQ(Value(R"("${{ '<b>' | escape }}")"), R"({"val":"&lt;b&gt;","length":9})");
}

TEST(ValueMode, WalksStructuresAndKeepsRawStringOnError) {
  EXPECT_EQ(Value(R"({"a":"${{ parameters.n }}","b":"${{ parameters.missing }}","c":["${{ parameters.missing }}",1]})"),
            R"({"a":3,"c":[null,1]})");
  EXPECT_EQ(Value(R"("${{ parameters.list | join(', ') | nosuch }}")"),
            R"("${{ parameters.list | join(', ') | nosuch }}" (fallback))");
}

TEST(IfMode, UsesBackstageTruthiness) {
  EXPECT_EQ(RenderCase("if", "false", kCtx).rendered_json, "false");
  EXPECT_EQ(RenderCase("if", R"("false")", kCtx).rendered_json, "true");
  EXPECT_EQ(RenderCase("if", R"("${{ parameters.off }}")", kCtx).rendered_json, "false");
  EXPECT_EQ(RenderCase("if", R"("${{ [] }}")", kCtx).rendered_json, "false");
  EXPECT_EQ(RenderCase("if", R"("${{ {} }}")", kCtx).rendered_json, "true");
  EXPECT_EQ(RenderCase("if", R"("${{ failure() }}")", kCtx, R"({"taskFailed":true})").rendered_json, "true");
  EXPECT_EQ(RenderCase("if", R"("${{ failure() }}")", kCtx).rendered_json, "false");
}

TEST(EachMode, IteratesEntries) {
  EXPECT_EQ(RenderCase("each", R"("${{ parameters.list }}")", kCtx).rendered_json,
            R"([{"key":"0","value":"alpha"},{"key":"1","value":"beta"}])");
  RenderResult r = RenderCase("each", R"("${{ parameters.missing }}")", kCtx);
  EXPECT_TRUE(r.error);
}

TEST(OutputMode, FiltersLinksByIf) {
  RenderResult r = RenderCase("output", R"({"links":[{"title":"a","if":"${{ parameters.flag }}"},{"title":"b","if":"${{ parameters.off }}"}]})",
                       kCtx);
  EXPECT_EQ(r.rendered_json, R"({"links":[{"title":"a"}]})");
}

}  // namespace
}  // namespace idp::tmpl
