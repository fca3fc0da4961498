// The Catalog facade end to end: real files in a temp dir, a real SQLite file.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "catalog/catalog.h"
#include "catalog/location_entity.h"
#include "catalog_test_support.h"
#include "facade_test_support.h"

namespace idp::catalog {
namespace {

using test::MustGet;
using test::TempTree;

// examples/ copied into a fresh tree (the tests edit files).
std::filesystem::path CopyExamples(const TempTree& tree) {
  const std::filesystem::path dst = tree.root() / "examples";
  std::filesystem::copy(std::filesystem::path(IDP_SOURCE_DIR) / "examples", dst,
                        std::filesystem::copy_options::recursive);
  return dst;
}

Catalog MustOpen(const TempTree& tree, store::OrphanStrategy orphans = store::OrphanStrategy::kDelete) {
  CatalogOptions o;
  o.db_path = (tree.root() / "catalog.db").string();
  o.allowed_roots = {tree.root()};
  o.orphan_strategy = orphans;
  o.threads = 2;
  auto c = Catalog::Open(std::move(o));
  EXPECT_TRUE(c.ok()) << c.status().message();
  return std::move(c).value();
}

RefreshReport MustRefresh(Catalog& c) {
  auto r = c.Refresh();
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : RefreshReport{};
}

std::string Etag(const Json& e) { return std::string(AsView(e["metadata"]["etag"])); }

std::map<std::string, std::string> AllEtags(const Catalog& c) {
  std::map<std::string, std::string> out;
  auto refs = c.ListRefs();
  EXPECT_TRUE(refs.ok());
  for (const std::string& r : *refs) out[r] = Etag(MustGet(c, r));
  return out;
}

bool HasRelation(const Json& e, std::string_view type, std::string_view target) {
  for (const JsonValue& r : e["relations"].GetArray()) {
    if (AsView(r["type"]) == type && AsView(r["targetRef"]) == target) return true;
  }
  return false;
}

std::string Component(const std::string& name, const std::string& description = "x") {
  return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name +
         "\n  description: " + description + "\nspec:\n  type: service\n  lifecycle: production\n"
         "  owner: team-a\n";
}

TEST(CatalogFacade, IngestsTheExamples) {
  TempTree tree;
  const auto examples = CopyExamples(tree);
  Catalog c = MustOpen(tree);
  auto loc = c.AddFileLocation((examples / "all.yaml").string());
  ASSERT_TRUE(loc.ok()) << loc.status().message();
  // The generated Location entity exists before any refresh.
  EXPECT_EQ(loc->entity_ref,
            "location:default/" + GeneratedLocationName({"file", (examples / "all.yaml").string()}));
  EXPECT_TRUE(c.GetByRef(loc->entity_ref)->has_value());

  RefreshReport r = MustRefresh(c);
  EXPECT_EQ(r.failed, 0u);
  EXPECT_TRUE(r.conflicts.empty());
  auto refs = c.ListRefs();
  ASSERT_TRUE(refs.ok());
  // 101 entities from the files plus the generated Location.
  EXPECT_EQ(refs->size(), 102u);
  EXPECT_TRUE(std::is_sorted(refs->begin(), refs->end()));

  const Json api = MustGet(c, "component:default/payments-api");
  EXPECT_TRUE(HasRelation(api, "ownedBy", "group:default/payments-core"));
  EXPECT_TRUE(HasRelation(api, "dependsOn", "component:partners/acquirer-connector"));
  EXPECT_TRUE(HasRelation(api, "providesApi", "api:default/payments-rest-api"));
  const Json team = MustGet(c, "group:default/payments-core");
  EXPECT_TRUE(HasRelation(team, "ownerOf", "component:default/payments-api"));
  EXPECT_FALSE(api.HasMember("status"));

  store::QueryRequest q;
  q.filter = store::EntityFilter{{*store::ParseFilterParam("kind=user")}};
  auto users = c.Query(q);
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->total_items, 20u);

  store::FacetsRequest f;
  f.facets = {"kind"};
  auto facets = c.Facets(f);
  ASSERT_TRUE(facets.ok());
  std::size_t total = 0;
  for (const auto& v : facets->facets[0].second) total += v.count;
  EXPECT_EQ(total, 102u);

  auto anc = c.GetAncestry("component:default/payments-api");
  ASSERT_TRUE(anc.ok());
  EXPECT_EQ(anc->items.back().entity["metadata"]["name"].GetString(),
            loc->entity_ref.substr(std::string("location:default/").size()));
}

TEST(CatalogFacade, RefreshRewritesOnlyWhatChanged) {
  TempTree tree;
  tree.Write("root.yaml",
             "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\n"
             "spec:\n  targets: [./a.yaml, ./b.yaml]\n");
  tree.Write("a.yaml", Component("a"));
  tree.Write("b.yaml", Component("b"));
  Catalog c = MustOpen(tree);
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "root.yaml").string()).ok());
  RefreshReport first = MustRefresh(c);
  EXPECT_EQ(first.processed, 4u);
  const auto before = AllEtags(c);
  ASSERT_EQ(before.size(), 4u);

  RefreshReport same = MustRefresh(c);
  EXPECT_EQ(same.written, 0u);
  EXPECT_EQ(same.stitched, 0u);
  EXPECT_EQ(AllEtags(c), before);

  tree.Write("a.yaml", Component("a", "edited"));
  RefreshReport edited = MustRefresh(c);
  EXPECT_EQ(edited.written, 1u);
  EXPECT_EQ(edited.stitched, 1u);
  EXPECT_EQ(edited.changed_files, std::vector<std::string>{(tree.root() / "a.yaml").string()});
  const auto after = AllEtags(c);
  for (const auto& [ref, etag] : before) {
    if (ref == "component:default/a") {
      EXPECT_NE(after.at(ref), etag);
    } else {
      EXPECT_EQ(after.at(ref), etag) << ref;
    }
  }
  EXPECT_EQ(std::string(MustGet(c, "component:default/a")["metadata"]["description"].GetString()), "edited");
}

TEST(CatalogFacade, RemovedFromFileIsDeletedOrKeptAsOrphan) {
  for (const auto strategy : {store::OrphanStrategy::kDelete, store::OrphanStrategy::kKeep}) {
    TempTree tree;
    tree.Write("a.yaml", Component("a") + "---\n" + Component("b"));
    Catalog c = MustOpen(tree, strategy);
    ASSERT_TRUE(c.AddFileLocation((tree.root() / "a.yaml").string()).ok());
    MustRefresh(c);
    ASSERT_TRUE(c.GetByRef("component:default/b")->has_value());
    tree.Write("a.yaml", Component("a"));
    RefreshReport r = MustRefresh(c);
    if (strategy == store::OrphanStrategy::kDelete) {
      EXPECT_EQ(r.deleted, std::vector<std::string>{"component:default/b"});
      EXPECT_FALSE(c.GetByRef("component:default/b")->has_value());
    } else {
      EXPECT_TRUE(r.deleted.empty());
      const Json b = MustGet(c, "component:default/b");
      EXPECT_STREQ(b["metadata"]["annotations"]["backstage.io/orphan"].GetString(), "true");
    }
    EXPECT_TRUE(c.GetByRef("component:default/a")->has_value());
  }
}

TEST(CatalogFacade, ReopenKeepsDataAndUids) {
  TempTree tree;
  tree.Write("a.yaml", Component("a"));
  std::string uid;
  {
    Catalog c = MustOpen(tree);
    ASSERT_TRUE(c.AddFileLocation((tree.root() / "a.yaml").string()).ok());
    MustRefresh(c);
    uid = MustGet(c, "component:default/a")["metadata"]["uid"].GetString();
  }
  Catalog c = MustOpen(tree);
  auto locs = c.ListLocations();
  ASSERT_TRUE(locs.ok());
  ASSERT_EQ(locs->size(), 1u);
  EXPECT_EQ((*locs)[0].target, (tree.root() / "a.yaml").string());
  EXPECT_EQ(std::string(MustGet(c, "component:default/a")["metadata"]["uid"].GetString()), uid);
  auto by_uid = c.GetByUid(uid);
  ASSERT_TRUE(by_uid.ok() && by_uid->has_value());
  RefreshReport r = MustRefresh(c);
  EXPECT_EQ(r.written, 0u);
  EXPECT_EQ(std::string(MustGet(c, "component:default/a")["metadata"]["uid"].GetString()), uid);
}

TEST(CatalogFacade, RemoveLocationDropsItsEntities) {
  TempTree tree;
  tree.Write("a.yaml", Component("a"));
  tree.Write("b.yaml", Component("b"));
  Catalog c = MustOpen(tree);
  auto la = c.AddFileLocation((tree.root() / "a.yaml").string());
  ASSERT_TRUE(la.ok());
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "b.yaml").string()).ok());
  EXPECT_EQ(c.AddFileLocation((tree.root() / "a.yaml").string()).status().code(), Code::kInvalid);
  MustRefresh(c);
  ASSERT_EQ(c.ListRefs()->size(), 4u);
  auto removed = c.RemoveLocation(la->id);
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  auto refs = c.ListRefs();
  ASSERT_TRUE(refs.ok());
  EXPECT_EQ(refs->size(), 2u);
  EXPECT_FALSE(c.GetByRef("component:default/a")->has_value());
  EXPECT_TRUE(c.GetByRef("component:default/b")->has_value());
}

TEST(CatalogFacade, FirstRegisteredLocationWinsAConflict) {
  TempTree tree;
  tree.Write("z.yaml", Component("same", "from-z"));
  tree.Write("a.yaml", Component("same", "from-a"));
  Catalog c = MustOpen(tree);
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "z.yaml").string()).ok());
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "a.yaml").string()).ok());
  RefreshReport r = MustRefresh(c);
  EXPECT_EQ(r.conflicts.size(), 1u);
  EXPECT_STREQ(MustGet(c, "component:default/same")["metadata"]["description"].GetString(), "from-z");
}

TEST(CatalogFacade, ReadsRunWhileRefreshing) {
  TempTree tree;
  const auto examples = CopyExamples(tree);
  Catalog c = MustOpen(tree);
  ASSERT_TRUE(c.AddFileLocation((examples / "all.yaml").string()).ok());
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::atomic<int> errors{0};
  std::thread reader([&] {
    while (!done) {
      auto q = c.Query({});
      if (!q.ok()) ++errors;
      ++reads;
    }
  });
  MustRefresh(c);
  done = true;
  reader.join();
  EXPECT_EQ(errors, 0);
  EXPECT_GT(reads, 0);
  EXPECT_EQ(c.ListRefs()->size(), 102u);
}

TEST(CatalogFacade, OpenRejectsBadOptions) {
  CatalogOptions o;
  o.db_path = "";
  EXPECT_EQ(Catalog::Open(o).status().code(), Code::kInvalidArgument);
  o.db_path = ":memory:";
  o.allowed_roots = {"relative/dir"};
  EXPECT_EQ(Catalog::Open(o).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace idp::catalog
