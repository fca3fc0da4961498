// Edges of each Backstage format regex (values checked against the oracle
// through data/entities.jsonl too).
#include <gtest/gtest.h>

#include <string>

#include "model/field_formats.h"

namespace idp::model::formats {
namespace {

const std::string k63(63, 'a');
const std::string k64(64, 'a');

TEST(FieldFormats, ObjectName) {
  for (const std::string s : {"a", "A", "1", "a-b", "a--b", "a..b", "a_-.b", "Upper-Case", "123"}) {
    EXPECT_TRUE(IsValidObjectName(s)) << s;
  }
  EXPECT_TRUE(IsValidObjectName(k63));
  EXPECT_FALSE(IsValidObjectName(k64));
  for (const std::string s : {"", "-a", "a-", "_a", "a_", ".a", "a.", "x y", "a/b", "a:b", "\xC3\xBC", "a\n"}) {
    EXPECT_FALSE(IsValidObjectName(s)) << s;
  }
  EXPECT_TRUE(IsValidLabelValue(""));
  EXPECT_TRUE(IsValidLabelValue("V-1.2_3"));
  EXPECT_FALSE(IsValidLabelValue("a b"));
}

TEST(FieldFormats, DnsLabelAndSubdomain) {
  for (const std::string s : {"default", "ns-1", "a--b", "1", "0a"}) EXPECT_TRUE(IsValidDnsLabel(s)) << s;
  for (const std::string s : {"", "A", "a_b", "a.b", "-a", "a-", "ns "}) EXPECT_FALSE(IsValidDnsLabel(s)) << s;
  EXPECT_TRUE(IsValidDnsLabel(k63));
  EXPECT_FALSE(IsValidDnsLabel(k64));
  EXPECT_TRUE(IsValidDnsSubdomain("backstage.io"));
  for (const std::string s : {"", ".a", "a.", "a..b", "A.io", "a_b.io"}) EXPECT_FALSE(IsValidDnsSubdomain(s)) << s;
  // 253 characters in total at most: 4 labels of 63 + 3 dots = 255 > 253.
  const std::string l62(62, 'a');
  const std::string s251 = l62 + "." + l62 + "." + l62 + "." + l62;  // 251
  EXPECT_TRUE(IsValidDnsSubdomain(s251));
  EXPECT_TRUE(IsValidDnsSubdomain(s251 + ".a"));    // 253
  EXPECT_FALSE(IsValidDnsSubdomain(s251 + ".ab"));  // 254
  EXPECT_TRUE(IsValidLabelKey(s251 + ".a/name"));
  EXPECT_FALSE(IsValidLabelKey(s251 + ".ab/name"));
}

TEST(FieldFormats, ApiVersionKindKeys) {
  for (const std::string s : {"v1", "backstage.io/v1alpha1", "example.com/V2", "1", "a/b"}) {
    EXPECT_TRUE(IsValidApiVersion(s)) << s;
  }
  for (const std::string s : {"", "Backstage.io/v1", "backstage.io/v1-alpha", "a/b/c", "/v1", "a/", "1.0", "a_b/v1"}) {
    EXPECT_FALSE(IsValidApiVersion(s)) << s;
  }
  EXPECT_TRUE(IsValidApiVersion("x/" + k63));
  EXPECT_FALSE(IsValidApiVersion("x/" + k64));
  for (const std::string s : {"Component", "component", "A1", "a"}) EXPECT_TRUE(IsValidKind(s)) << s;
  for (const std::string s : {"", "1A", "a-b", "a_b", "Kind With Space"}) EXPECT_FALSE(IsValidKind(s)) << s;
  EXPECT_TRUE(IsValidKind(std::string(63, 'A')));
  EXPECT_FALSE(IsValidKind(std::string(64, 'A')));
  for (const std::string s : {"a", "backstage.io/x", "example.com/Upper_Case", "1", "0/x"}) {
    EXPECT_TRUE(IsValidLabelKey(s)) << s;
  }
  for (const std::string s : {"", "Backstage.io/x", "a/b/c", "/a", "a/", "a b", "a_b/c", "a-/b"}) {
    EXPECT_FALSE(IsValidLabelKey(s)) << s;
  }
  EXPECT_TRUE(IsValidLabelKey(k63 + "/x"));
  EXPECT_FALSE(IsValidLabelKey(k64 + "/x"));
  EXPECT_TRUE(IsValidLabelKey("x/" + k63));
  EXPECT_FALSE(IsValidLabelKey("x/" + k64));
}

TEST(FieldFormats, Tags) {
  for (const std::string s : {"java", "c++", "c#", "k8s:prod", "a-b", ":", "+", "#", "a-:"}) {
    EXPECT_TRUE(IsValidTag(s)) << s;
  }
  for (const std::string s : {"", "a--b", "v1.2", "snake_case", "Java", "-a", "a-", "a b", "\xC3\xBC"}) {
    EXPECT_FALSE(IsValidTag(s)) << s;
  }
  EXPECT_TRUE(IsValidTag(k63));
  EXPECT_FALSE(IsValidTag(k64));
}

}  // namespace
}  // namespace idp::model::formats
