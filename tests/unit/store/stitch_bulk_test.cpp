// Bulk stitching (many refs at once: the search indices are dropped and
// rebuilt inside the transaction) must leave exactly what row-by-row
// stitching leaves: every entity findable by its search rows.
#include <gtest/gtest.h>

#include "store_test_support.h"

namespace idp::store {
namespace {

using testing::Component;
using testing::Processed;

std::size_t CountWhere(const Store& s, const std::string& filter) {
  QueryRequest q;
  q.filter = EntityFilter{{*ParseFilterParam(filter)}};
  auto r = s.Query(q);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r->total_items : 0;
}

TEST(StitchBulk, ManyRefsAtOnceAreAllSearchable) {
  Store s = testing::OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  std::vector<std::string> refs;
  for (int i = 0; i < 1500; ++i) {
    batch.push_back(Processed(Component("c" + std::to_string(i), i % 3 == 0 ? "team-a" : "team-b"),
                              "file:/a.yaml", "location:default/root"));
    refs.push_back(batch.back().ref);
  }
  ASSERT_TRUE(s.ApplyProcessed(batch).ok());
  auto first = s.Stitch(refs);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->changed, 1500u);
  EXPECT_EQ(CountWhere(s, "kind=component"), 1500u);
  EXPECT_EQ(CountWhere(s, "spec.owner=team-a"), 500u);

  // Again in bulk with one entity changed: the unchanged keep their rows.
  batch[0] = Processed(Component("c0", "team-b"), "file:/a.yaml", "location:default/root");
  ASSERT_TRUE(s.ApplyProcessed(std::span(batch.data(), 1)).ok());
  auto second = s.Stitch(refs);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->changed, 1u);
  EXPECT_EQ(second->unchanged, 1499u);
  EXPECT_EQ(CountWhere(s, "spec.owner=team-a"), 499u);
  EXPECT_EQ(CountWhere(s, "spec.owner=team-b"), 1001u);
  EXPECT_EQ(CountWhere(s, "metadata.name=c1499"), 1u);
}

}  // namespace
}  // namespace idp::store
