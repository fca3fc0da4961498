#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

namespace idp::tmpl {
namespace {

using testing::RenderCase;

TEST(Sandbox, ReservedNamesAreRefused) {
  for (const char* t : {R"("${{ ''.constructor.constructor('return 1')() }}")", R"("${{ x.__proto__ }}")",
                        R"("${{ range['constructor'] }}")", R"("${{ x[k] }}")", R"("{% set constructor = 1 %}")"}) {
    RenderResult r = RenderCase("string", t, R"({"k":"prototype","x":{}})");
    ASSERT_TRUE(r.error) << t;
    EXPECT_EQ(r.error->kind, ErrorKind::kRefused) << t;
    EXPECT_NE(r.error->message.find("is reserved"), std::string::npos) << r.error->message;
  }
}

TEST(Sandbox, LimitsStopRunawayTemplates) {
  RenderResult r = RenderCase("string", R"("{% for i in range(100000000) %}x{% endfor %}")");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::kLimit);
  r = RenderCase("string", R"("{% macro f(n) %}${{ f(n + 1) }}{% endmacro %}${{ f(0) }}")");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::kLimit);
  std::string deep = "\"${{ " + std::string(500, '(') + "1" + std::string(500, ')') + " }}\"";
  r = RenderCase("string", deep);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::kLimit);
  EXPECT_GT(r.error->line, 0);
  r = RenderCase("string", R"("{% set s = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' %}{% for i in range(30) %}{% set s = s ~ s %}{% endfor %}${{ s | length }}")");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::kLimit);
}

TEST(Sandbox, LoadingTagsFail) {
  for (const char* t : {R"("{% include 'x' %}")", R"("{% extends 'x' %}")", R"("{% import 'x' as y %}")"}) {
    EXPECT_TRUE(RenderCase("string", t).error) << t;
  }
}

TEST(Sandbox, ConcurrentRendersShareCompiledTemplates) {
  Engine engine;
  std::vector<std::thread> threads;
  std::vector<std::string> results(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      std::string ctx = "{\"values\":{\"n\":" + std::to_string(i) + "}}";
      for (int k = 0; k < 50; ++k) {
        results[static_cast<std::size_t>(i)] =
            engine.RenderJsonText("string", R"("{% for x in range(values.n) %}${{ x }}{% endfor %}")", ctx, "")
                .rendered_json;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(results[0], R"("")");
  EXPECT_EQ(results[3], R"("012")");
  EXPECT_EQ(results[7], R"("0123456")");
}

}  // namespace
}  // namespace idp::tmpl
