// The store's incremental-refresh state: the stitch queue (a write and its
// stitch are separate transactions; a crash between them must lose nothing)
// and the saved source records.
#include <gtest/gtest.h>

#include "store_test_support.h"

namespace idp::store {
namespace {

using testing::Component;
using testing::Processed;
using testing::TempDir;

TEST(StitchQueue, WrittenButUnstitchedRefsSurviveAReopen) {
  TempDir dir;
  const std::string path = dir.File("q.db");
  {
    auto s = Store::Open(path);
    ASSERT_TRUE(s.ok());
    const catalog::ProcessedEntity batch[] = {Processed(Component("a"), "file:/a.yaml", "location:default/root")};
    auto w = s->ApplyProcessed(batch);
    ASSERT_TRUE(w.ok());
    // The process "dies" here: no Stitch.
  }
  auto s = Store::Open(path);
  ASSERT_TRUE(s.ok());
  auto pending = s->PendingStitches();
  ASSERT_TRUE(pending.ok());
  // The entity and the relation target it touches.
  EXPECT_NE(std::find(pending->begin(), pending->end(), "component:default/a"), pending->end());
  EXPECT_FALSE(s->GetByRef("component:default/a")->has_value());
  ASSERT_TRUE(s->Stitch(*pending).ok());
  EXPECT_TRUE(s->GetByRef("component:default/a")->has_value());
  EXPECT_TRUE(s->PendingStitches()->empty());
}

catalog::SourceRecord Record(std::string key, std::vector<std::string> refs) {
  catalog::SourceRecord r;
  r.key = std::move(key);
  r.hash = "h1";
  r.origin = "file:/root.yaml";
  r.refs = std::move(refs);
  r.size = 10;
  r.mtime_ns = 20;
  return r;
}

TEST(SourceRecords, SavedOnlyWhenTheStoreHoldsEveryEntityOfTheFile) {
  Store s = testing::OpenMemory();
  const catalog::ProcessedEntity batch[] = {Processed(Component("a"), "file:/a.yaml", "location:default/root"),
                                            Processed(Component("b"), "file:/b.yaml", "location:default/root")};
  ASSERT_TRUE(s.ApplyProcessed(batch).ok());
  const catalog::SourceRecord a = Record("file:/a.yaml", {"component:default/a"});
  // b.yaml claims a ref stored from a.yaml (it lost a conflict): not saved.
  const catalog::SourceRecord b = Record("file:/b.yaml", {"component:default/b", "component:default/a"});
  const catalog::SourceRecord* records[] = {&a, &b};
  ASSERT_TRUE(s.SaveSources(records, "config-1").ok());
  auto loaded = s.LoadSources("config-1");
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->at("file:/a.yaml").refs, a.refs);
  EXPECT_EQ(loaded->at("file:/a.yaml").mtime_ns, 20);
  // Another configuration: nothing is reused.
  EXPECT_TRUE(s.LoadSources("config-2")->empty());
}

TEST(SourceRecords, RefsNeedingEscapesRoundTrip) {
  Store s = testing::OpenMemory();
  // Names JSON must escape (quote, backslash, a control character), one
  // with a comma and non-ASCII text, and a plain one: read by the fast path
  // or the full parser, each comes back as it was.
  const catalog::ProcessedEntity batch[] = {
      Processed(Component(R"(we\"ird\\name)"), "file:/a.yaml", "location:default/root"),
      Processed(Component(R"(tab\there)"), "file:/a.yaml", "location:default/root"),
      Processed(Component("comma,ünï"), "file:/b.yaml", "location:default/root"),
      Processed(Component("plain"), "file:/b.yaml", "location:default/root")};
  ASSERT_TRUE(s.ApplyProcessed(batch).ok());
  const std::vector<std::string> in_a = {batch[0].ref, batch[1].ref};
  const std::vector<std::string> in_b = {batch[2].ref, batch[3].ref};
  ASSERT_NE(in_a[0].find('"'), std::string::npos);
  ASSERT_NE(in_a[1].find('\t'), std::string::npos);
  const catalog::SourceRecord a = Record("file:/a.yaml", in_a);
  const catalog::SourceRecord b = Record("file:/b.yaml", in_b);
  const catalog::SourceRecord empty = Record("file:/c.yaml", {});
  const catalog::SourceRecord* records[] = {&a, &b, &empty};
  ASSERT_TRUE(s.SaveSources(records, "c").ok());
  auto loaded = s.LoadSources("c");
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 3u);
  EXPECT_EQ(loaded->at("file:/a.yaml").refs, in_a);
  EXPECT_EQ(loaded->at("file:/b.yaml").refs, in_b);
  EXPECT_TRUE(loaded->at("file:/c.yaml").refs.empty());
}

TEST(SourceRecords, DeletingAnEntityForgetsItsFile) {
  Store s = testing::OpenMemory();
  const catalog::ProcessedEntity batch[] = {Processed(Component("a"), "file:/a.yaml", "location:default/root")};
  ASSERT_TRUE(s.ApplyProcessed(batch).ok());
  const catalog::SourceRecord a = Record("file:/a.yaml", {"component:default/a"});
  const catalog::SourceRecord* records[] = {&a};
  ASSERT_TRUE(s.SaveSources(records, "c").ok());
  ASSERT_EQ(s.LoadSources("c")->size(), 1u);
  ASSERT_TRUE(s.DeleteEntity("component:default/a").ok());
  EXPECT_TRUE(s.LoadSources("c")->empty());
}

}  // namespace
}  // namespace idp::store
