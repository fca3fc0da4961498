#include <gtest/gtest.h>

#include "model/url_check.h"
#include "test_util.h"

namespace idp::model {
namespace {

// data/urls.jsonl: node's `new URL(input)` verdicts on tricky inputs.
TEST(UrlCheck, MatchesNodeOnEveryFixture) {
  const auto cases = testing::ReadFixture("urls.jsonl");
  ASSERT_GT(cases.size(), 100u);
  for (const Json& c : cases) {
    const std::string url = testing::Str(c, "url");
    EXPECT_EQ(IsWhatwgAbsoluteUrl(url), FindMember(c, "ok")->GetBool()) << url;
  }
}

TEST(UrlCheck, Basics) {
  EXPECT_TRUE(IsWhatwgAbsoluteUrl("https://example.com/x?y#z"));
  EXPECT_TRUE(IsWhatwgAbsoluteUrl("mailto:someone@example.com"));
  EXPECT_TRUE(IsWhatwgAbsoluteUrl("javascript:alert(1)"));
  EXPECT_FALSE(IsWhatwgAbsoluteUrl("example.com"));
  EXPECT_FALSE(IsWhatwgAbsoluteUrl("/docs"));
  EXPECT_FALSE(IsWhatwgAbsoluteUrl(""));
  EXPECT_FALSE(IsWhatwgAbsoluteUrl("https://"));
  EXPECT_FALSE(IsWhatwgAbsoluteUrl("https://host:65536"));
  EXPECT_TRUE(IsWhatwgAbsoluteUrl("https://host:65535"));
  EXPECT_FALSE(IsWhatwgAbsoluteUrl("https://[::1"));
  EXPECT_FALSE(IsWhatwgAbsoluteUrl("https://999.1.1.1"));
}

}  // namespace
}  // namespace idp::model
