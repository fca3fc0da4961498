#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "catalog/location_entity.h"
#include "catalog/orchestrator.h"
#include "core/sha1.h"
#include "validate/location_annotations.h"

namespace idp::catalog {
namespace {

// Digests from node: crypto.createHash('sha1').update(s).digest('hex').
TEST(Sha1, MatchesNode) {
  EXPECT_EQ(Sha1Hex("file:/tmp/some/catalog-info.yaml"), "e970319ff8abfb32ef4bf477439bb6d2970ddfef");
  EXPECT_EQ(Sha1Hex(std::string(119, 'x')), "4300320394f7ee239bcdce7d3b8bcee173a0cd5c");
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST(GeneratedLocation, NameAndShapeMatchBackstage) {
  const LocationSpec url{"url", "https://github.com/backstage/backstage/blob/master/catalog-info.yaml"};
  EXPECT_EQ(GeneratedLocationName(url), "generated-aa2077ff12588d858ceb1a61b6102ec9ea316cfc");
  const UnprocessedEntity u = RegisteredLocation({"file", "/tmp/some/catalog-info.yaml"});
  EXPECT_EQ(ToJsonString(u.entity),
            R"({"apiVersion":"backstage.io/v1alpha1","kind":"Location","metadata":{"name":)"
            R"("generated-e970319ff8abfb32ef4bf477439bb6d2970ddfef","annotations":{)"
            R"("backstage.io/managed-by-location":"file:/tmp/some/catalog-info.yaml",)"
            R"("backstage.io/managed-by-origin-location":"file:/tmp/some/catalog-info.yaml"}},)"
            R"("spec":{"type":"file","target":"/tmp/some/catalog-info.yaml"}})");
  EXPECT_EQ(u.location_key, "file:/tmp/some/catalog-info.yaml");
  EXPECT_EQ(u.parent_ref, "");
}

// The same digest computed live by node, when node is installed.
TEST(GeneratedLocation, NameMatchesLiveNode) {
  const std::string ref = "file:/srv/catalog/all-components.yaml";
  const std::string cmd = "node -e \"process.stdout.write(require('crypto').createHash('sha1')"
                          ".update('" + ref + "').digest('hex'))\" 2>/dev/null";
  std::string digest;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[64];
    while (fgets(buf, sizeof buf, p) != nullptr) digest += buf;
    pclose(p);
  }
  if (digest.size() != 40) GTEST_SKIP() << "node not available";
  EXPECT_EQ(GeneratedLocationName({"file", "/srv/catalog/all-components.yaml"}), "generated-" + digest);
}

TEST(LocationRef, Parses) {
  Result<LocationSpec> r = ParseLocationRef(" file : /a/b.yaml ");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type, "file");
  EXPECT_EQ(r->target, "/a/b.yaml");
  EXPECT_FALSE(ParseLocationRef("nocolon").ok());
  EXPECT_FALSE(ParseLocationRef("file:").ok());
  EXPECT_FALSE(ParseLocationRef("https://x/y").ok());
}

}  // namespace
}  // namespace idp::catalog
