#include <algorithm>

#include "store_test_support.h"

namespace idp::store {
namespace {

using namespace testing;

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(Writer, ApplyReturnsEntityAndRelationSources) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(Component("a", "team-a")));
  auto w = store.ApplyProcessed(batch);
  ASSERT_TRUE(w.ok()) << w.status().message();
  // component:default/a emits ownedBy (source a) and ownerOf (source group:default/team-a).
  EXPECT_TRUE(Contains(w->to_stitch, "component:default/a"));
  EXPECT_TRUE(Contains(w->to_stitch, "group:default/team-a"));
  EXPECT_TRUE(w->conflicts.empty());
}

TEST(Writer, UnchangedResultHashIsANoOp) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(Component("a"), "file:/a.yaml", "", "h1"));
  ASSERT_TRUE(store.ApplyProcessed(batch).ok());
  auto w = store.ApplyProcessed(batch);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->unchanged, 1u);
  EXPECT_TRUE(w->to_stitch.empty());
}

TEST(Writer, ConflictFromOtherLocationIsIgnoredAndReported) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> first;
  first.push_back(Processed(Component("a", "team-a"), "file:/one.yaml"));
  ApplyAndStitch(store, first);
  std::vector<catalog::ProcessedEntity> second;
  second.push_back(Processed(Component("a", "team-b"), "file:/two.yaml"));
  auto w = store.ApplyProcessed(second);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->conflicts.size(), 1u);
  EXPECT_EQ(w->conflicts[0].ref, "component:default/a");
  EXPECT_EQ(w->conflicts[0].existing_location_key, "file:/one.yaml");
  EXPECT_EQ(w->conflicts[0].location_key, "file:/two.yaml");
  ASSERT_TRUE(store.Stitch(w->to_stitch).ok());
  EXPECT_EQ(Str(MustGet(store, "component:default/a"), {"spec", "owner"}), "team-a");
  // The loser's relations were never written.
  EXPECT_FALSE(Contains(w->to_stitch, "group:default/team-b"));
}

TEST(Writer, SameLocationKeyLaterWins) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(Component("twin", "team-a"), "file:/one.yaml"));
  batch.push_back(Processed(Component("Twin", "team-b"), "file:/one.yaml"));
  ApplyAndStitch(store, batch);
  const Json e = MustGet(store, "component:default/twin");
  EXPECT_EQ(Str(e, {"spec", "owner"}), "team-b");
  EXPECT_EQ(Str(e, {"metadata", "name"}), "Twin");
}

TEST(Writer, FailedRunKeepsContentAndRecordsErrors) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(Component("a")));
  ApplyAndStitch(store, batch);
  catalog::ProcessedEntity failed;
  failed.ref = "component:default/a";
  failed.location_key = "file:/a.yaml";
  failed.ok = false;
  failed.errors.push_back({"InputError", "Policy check failed", "Error", "bad name"});
  failed.result_hash = "failed-1";
  std::vector<catalog::ProcessedEntity> second;
  second.push_back(std::move(failed));
  ApplyAndStitch(store, second);
  const Json e = MustGet(store, "component:default/a");
  EXPECT_EQ(Str(e, {"spec", "owner"}), "team-a");
  ASSERT_TRUE(e.HasMember("status"));
  const auto& item = e["status"]["items"][0];
  EXPECT_EQ(Str(item, {"type"}), "backstage.io/catalog-processing");
  EXPECT_EQ(Str(item, {"level"}), "error");
  EXPECT_EQ(Str(item, {"message"}), "InputError: Policy check failed");
  EXPECT_EQ(Str(item, {"error", "name"}), "InputError");
  EXPECT_EQ(Str(item, {"error", "cause", "message"}), "bad name");
  // Relations of the earlier success remain.
  EXPECT_EQ(Str(e, {"relations"}), R"([{"type":"ownedBy","targetRef":"group:default/team-a"}])");
}

TEST(Writer, NeverSuccessfulEntityIsInvisible) {
  Store store = OpenMemory();
  catalog::ProcessedEntity failed;
  failed.ref = "component:default/x";
  failed.location_key = "file:/x.yaml";
  failed.errors.push_back({"InputError", "nope", std::nullopt, std::nullopt});
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(std::move(failed));
  ApplyAndStitch(store, batch);
  auto r = store.GetByRef("component:default/x");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  // It still claims its location key.
  std::vector<catalog::ProcessedEntity> other;
  other.push_back(Processed(Component("x"), "file:/y.yaml"));
  auto w = store.ApplyProcessed(other);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->conflicts.size(), 1u);
}

TEST(Writer, RelationChangeRestitchesOldAndNewTargets) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(Component("a", "team-a")));
  ApplyAndStitch(store, batch);
  std::vector<catalog::ProcessedEntity> next;
  next.push_back(Processed(Component("a", "team-b")));
  auto w = store.ApplyProcessed(next);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(Contains(w->to_stitch, "group:default/team-a"));
  EXPECT_TRUE(Contains(w->to_stitch, "group:default/team-b"));
}

TEST(Writer, DeleteEntityGivesNewUidOnRecreate) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(LocationEntity("loc", "/a.yaml"), "file:/root.yaml"));
  batch.back().children = {"component:default/a"};
  batch.push_back(Processed(Component("a"), "file:/a.yaml", "location:default/loc"));
  ApplyAndStitch(store, batch);
  const std::string uid = Str(MustGet(store, "component:default/a"), {"metadata", "uid"});
  auto d = store.DeleteEntityByUid(uid);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->deleted, std::vector<std::string>{"component:default/a"});
  EXPECT_EQ(d->to_reprocess, std::vector<std::string>{"location:default/loc"});
  EXPECT_TRUE(Contains(d->to_stitch, "group:default/team-a"));
  ASSERT_TRUE(store.Stitch(d->to_stitch).ok());
  EXPECT_FALSE(store.GetByRef("component:default/a")->has_value());
  EXPECT_FALSE(store.GetByUid(uid)->has_value());
  // The parent's unchanged hash no longer short-circuits: it re-emits the child.
  auto again = store.ApplyProcessed(batch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 0u);
  ASSERT_TRUE(store.Stitch(again->to_stitch).ok());
  const std::string uid2 = Str(MustGet(store, "component:default/a"), {"metadata", "uid"});
  EXPECT_NE(uid2, uid);
  EXPECT_EQ(Str(MustGet(store, "component:default/a"), {"metadata", "annotations"}).find("orphan"),
            std::string::npos);
}

TEST(Writer, OrphanKeepGetsAnnotation) {
  Store store = OpenMemory({OrphanStrategy::kKeep});
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(LocationEntity("loc", "/a.yaml"), "file:/root.yaml"));
  batch.back().children = {"component:default/a", "component:default/b"};
  batch.push_back(Processed(Component("a"), "file:/a.yaml", "location:default/loc"));
  batch.push_back(Processed(Component("b"), "file:/a.yaml", "location:default/loc"));
  ApplyAndStitch(store, batch);
  EXPECT_EQ(Str(MustGet(store, "component:default/b"), {"metadata", "annotations", "backstage.io/orphan"}),
            "<missing>");
  // The file no longer contains b.
  std::vector<catalog::ProcessedEntity> next;
  next.push_back(Processed(LocationEntity("loc", "/a.yaml"), "file:/root.yaml"));
  next.back().children = {"component:default/a"};
  next.back().result_hash = "changed";
  auto w = ApplyAndStitch(store, next);
  EXPECT_TRUE(Contains(w.to_stitch, "component:default/b"));
  EXPECT_EQ(Str(MustGet(store, "component:default/b"), {"metadata", "annotations", "backstage.io/orphan"}), "true");
  EXPECT_EQ(Str(MustGet(store, "component:default/a"), {"metadata", "annotations", "backstage.io/orphan"}),
            "<missing>");
}

TEST(Writer, FailedParentKeepsChildLinks) {
  Store store = OpenMemory({OrphanStrategy::kKeep});
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(LocationEntity("loc", "/a.yaml"), "file:/root.yaml"));
  batch.back().children = {"component:default/a"};
  batch.push_back(Processed(Component("a"), "file:/a.yaml", "location:default/loc"));
  ApplyAndStitch(store, batch);
  catalog::ProcessedEntity failed;
  failed.ref = "location:default/loc";
  failed.location_key = "file:/root.yaml";
  failed.errors.push_back({"NotFoundError", "gone", std::nullopt, std::nullopt});
  failed.result_hash = "f";
  std::vector<catalog::ProcessedEntity> next;
  next.push_back(std::move(failed));
  ApplyAndStitch(store, next);
  EXPECT_EQ(Str(MustGet(store, "component:default/a"), {"metadata", "annotations", "backstage.io/orphan"}),
            "<missing>");
}

TEST(Writer, OrphanDeleteRemovesOrphansAndTheirSubtrees) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(LocationEntity("loc", "/a.yaml"), "file:/root.yaml"));
  batch.back().children = {"location:default/sub", "group:default/team-a"};
  batch.push_back(Processed(LocationEntity("sub", "/b.yaml"), "file:/a.yaml", "location:default/loc"));
  batch.back().children = {"component:default/a"};
  batch.push_back(Processed(Component("a"), "file:/b.yaml", "location:default/sub"));
  batch.push_back(Processed(Group("team-a"), "file:/a.yaml", "location:default/loc"));
  ApplyAndStitch(store, batch);
  EXPECT_EQ(Str(MustGet(store, "group:default/team-a"), {"relations"}),
            R"([{"type":"ownerOf","targetRef":"component:default/a"}])");
  std::vector<catalog::ProcessedEntity> next;
  next.push_back(Processed(LocationEntity("loc", "/a.yaml"), "file:/root.yaml"));
  next.back().children = {"group:default/team-a"};
  next.back().result_hash = "changed";
  ApplyAndStitch(store, next);
  auto d = store.DeleteOrphans();
  ASSERT_TRUE(d.ok());
  auto deleted = d->deleted;
  std::sort(deleted.begin(), deleted.end());
  EXPECT_EQ(deleted, (std::vector<std::string>{"component:default/a", "location:default/sub"}));
  EXPECT_TRUE(Contains(d->to_stitch, "group:default/team-a"));
  ASSERT_TRUE(store.Stitch(d->to_stitch).ok());
  EXPECT_TRUE(store.GetByRef("location:default/loc")->has_value());
  EXPECT_FALSE(store.GetByRef("component:default/a")->has_value());
  EXPECT_EQ(Str(MustGet(store, "group:default/team-a"), {"relations"}), "[]");
}

TEST(Writer, RemoveLocationPrunesEagerlyButKeepsOtherwiseReachable) {
  Store store = OpenMemory();
  auto l1 = store.AddLocation("file", "/one.yaml");
  auto l2 = store.AddLocation("file", "/two.yaml");
  ASSERT_TRUE(l1.ok() && l2.ok());
  EXPECT_FALSE(store.AddLocation("file", "/one.yaml").ok());
  const std::string r1 = l1->entity_ref, r2 = l2->entity_ref;
  std::string n1 = r1.substr(std::string("location:default/").size());
  std::string n2 = r2.substr(std::string("location:default/").size());
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(LocationEntity(n1, "/one.yaml"), "file:/one.yaml"));
  batch.back().children = {"component:default/a", "component:default/shared"};
  batch.push_back(Processed(LocationEntity(n2, "/two.yaml"), "file:/two.yaml"));
  batch.back().children = {"component:default/shared"};
  batch.push_back(Processed(Component("a"), "file:/one.yaml", r1));
  batch.push_back(Processed(Component("shared"), "file:/one.yaml", r1));
  ApplyAndStitch(store, batch);
  auto w = store.RemoveLocation(l1->id);
  ASSERT_TRUE(w.ok()) << w.status().message();
  auto deleted = w->deleted;
  std::sort(deleted.begin(), deleted.end());
  EXPECT_EQ(deleted, (std::vector<std::string>{"component:default/a", r1}));
  ASSERT_TRUE(store.Stitch(w->to_stitch).ok());
  EXPECT_TRUE(store.GetByRef("component:default/shared")->has_value());
  EXPECT_FALSE(store.GetByRef("component:default/a")->has_value());
  EXPECT_FALSE(store.GetByRef(r1)->has_value());
  auto locs = store.ListLocations();
  ASSERT_TRUE(locs.ok());
  ASSERT_EQ(locs->size(), 1u);
  EXPECT_EQ((*locs)[0].id, l2->id);
  EXPECT_EQ(store.RemoveLocation(l1->id).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace idp::store
