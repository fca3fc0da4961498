// Incremental refresh: files unchanged since the last complete refresh are
// neither parsed nor processed again, also across a reopen of the database;
// what a refresh changes is all that is written and stitched.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>

#include <SQLiteCpp/Database.h>

#include "catalog/catalog.h"
#include "catalog_test_support.h"

namespace idp::catalog {
namespace {

using test::TempTree;
namespace fs = std::filesystem;

std::string Component(const std::string& name, const std::string& description = "x") {
  return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name +
         "\n  description: " + description + "\nspec:\n  type: service\n  lifecycle: production\n"
         "  owner: team-a\n";
}

std::string LocationTo(const std::string& name, const std::string& targets) {
  return "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: " + name +
         "\nspec:\n  targets: [" + targets + "]\n";
}

// Files written by the test get a modification time in the past, as files
// at rest have: only then may a refresh trust size and mtime.
void Age(const TempTree& tree, const std::string& file, int minutes) {
  fs::last_write_time(tree.root() / file, fs::file_time_type::clock::now() - std::chrono::minutes(minutes));
}

Catalog Open(const TempTree& tree) {
  CatalogOptions o;
  o.db_path = (tree.root() / "catalog.db").string();
  o.allowed_roots = {tree.root()};
  o.threads = 2;
  auto c = Catalog::Open(std::move(o));
  EXPECT_TRUE(c.ok()) << c.status().message();
  return std::move(c).value();
}

RefreshReport Refresh(Catalog& c) {
  auto r = c.Refresh();
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : RefreshReport{};
}

std::map<std::string, std::string> Etags(const Catalog& c) {
  std::map<std::string, std::string> out;
  auto refs = c.ListRefs();
  EXPECT_TRUE(refs.ok());
  if (!refs.ok()) return out;
  for (const std::string& ref : *refs) {
    auto e = c.GetByRef(ref);
    out[ref] = AsView((**e)["metadata"]["etag"]);
  }
  return out;
}

std::string Description(const Catalog& c, const std::string& ref) {
  auto e = c.GetByRef(ref);
  if (!e.ok() || !e->has_value()) return "<missing>";
  return std::string(AsView((**e)["metadata"]["description"]));
}

// root.yaml -> a.yaml, nested/sub.yaml -> nested/c.yaml
void WriteTree(const TempTree& tree) {
  tree.Write("root.yaml", LocationTo("root", "./a.yaml, ./nested/sub.yaml"));
  tree.Write("a.yaml", Component("a") + "---\n" + Component("b"));
  tree.Write("nested/sub.yaml", LocationTo("sub", "./c.yaml"));
  tree.Write("nested/c.yaml", Component("c"));
  for (const char* f : {"root.yaml", "a.yaml", "nested/sub.yaml", "nested/c.yaml"}) Age(tree, f, 60);
}

TEST(IncrementalRefresh, UnchangedFilesAreSkippedAcrossAReopen) {
  TempTree tree;
  WriteTree(tree);
  std::map<std::string, std::string> before;
  {
    Catalog c = Open(tree);
    ASSERT_TRUE(c.AddFileLocation((tree.root() / "root.yaml").string()).ok());
    RefreshReport first = Refresh(c);
    EXPECT_EQ(first.processed, 6u);  // generated, root, a, b, sub, c
    EXPECT_EQ(first.reused, 0u);
    before = Etags(c);
  }
  Catalog c = Open(tree);  // a new process would see the same: the records are in the file
  RefreshReport again = Refresh(c);
  // Only Location entities run (their targets may have changed); a, b, c are reused.
  EXPECT_EQ(again.processed, 3u);
  EXPECT_EQ(again.reused, 3u);
  EXPECT_EQ(again.written, 0u);
  EXPECT_EQ(again.stitched, 0u);
  EXPECT_EQ(Etags(c), before);
}

TEST(IncrementalRefresh, OneChangedFileIsAllThatIsProcessed) {
  TempTree tree;
  WriteTree(tree);
  Catalog c = Open(tree);
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "root.yaml").string()).ok());
  Refresh(c);
  const auto before = Etags(c);

  tree.Write("nested/c.yaml", Component("c", "edited"));
  Age(tree, "nested/c.yaml", 30);
  RefreshReport r = Refresh(c);
  EXPECT_EQ(r.processed, 4u);  // generated, root, sub and c
  EXPECT_EQ(r.reused, 2u);     // a and b
  EXPECT_EQ(r.written, 1u);
  EXPECT_EQ(r.stitched, 1u);
  EXPECT_EQ(Description(c, "component:default/c"), "edited");
  const auto after = Etags(c);
  for (const auto& [ref, etag] : before) {
    if (ref == "component:default/c") {
      EXPECT_NE(after.at(ref), etag);
    } else {
      EXPECT_EQ(after.at(ref), etag) << ref;
    }
  }
}

TEST(IncrementalRefresh, SameContentWithANewMtimeIsHashedAndReused) {
  TempTree tree;
  WriteTree(tree);
  Catalog c = Open(tree);
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "root.yaml").string()).ok());
  Refresh(c);
  Age(tree, "a.yaml", 10);  // touched, same bytes
  RefreshReport r = Refresh(c);
  EXPECT_EQ(r.reused, 3u);
  EXPECT_EQ(r.written, 0u);
}

TEST(IncrementalRefresh, RemovedEntityIsDeletedAndAddedOneAppears) {
  TempTree tree;
  WriteTree(tree);
  Catalog c = Open(tree);
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "root.yaml").string()).ok());
  Refresh(c);
  tree.Write("a.yaml", Component("a") + "---\n" + Component("d"));
  Age(tree, "a.yaml", 10);
  RefreshReport r = Refresh(c);
  EXPECT_EQ(r.deleted, std::vector<std::string>{"component:default/b"});
  EXPECT_EQ(Description(c, "component:default/b"), "<missing>");
  EXPECT_EQ(Description(c, "component:default/d"), "x");
  EXPECT_EQ(Description(c, "component:default/c"), "x");
}

TEST(IncrementalRefresh, DeletedEntityComesBackOnTheNextRefresh) {
  TempTree tree;
  WriteTree(tree);
  Catalog c = Open(tree);
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "root.yaml").string()).ok());
  Refresh(c);
  auto b = c.GetByRef("component:default/b");
  ASSERT_TRUE(b.ok() && b->has_value());
  auto deleted = c.DeleteByUid(std::string(AsView((**b)["metadata"]["uid"])));
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(Description(c, "component:default/b"), "<missing>");
  // a.yaml did not change, but its record no longer matches the store.
  Refresh(c);
  EXPECT_EQ(Description(c, "component:default/b"), "x");
}

TEST(IncrementalRefresh, RemovedNestedLocationTakesItsEntities) {
  TempTree tree;
  WriteTree(tree);
  Catalog c = Open(tree);
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "root.yaml").string()).ok());
  Refresh(c);
  tree.Write("root.yaml", LocationTo("root", "./a.yaml"));
  Age(tree, "root.yaml", 10);
  RefreshReport r = Refresh(c);
  EXPECT_EQ(Description(c, "component:default/c"), "<missing>");
  EXPECT_EQ(Description(c, "component:default/a"), "x");
  EXPECT_EQ(r.deleted.size(), 2u);  // the sub Location and c
}

TEST(IncrementalRefresh, FreshlyModifiedFilesAreHashedNotTrusted) {
  TempTree tree;
  WriteTree(tree);
  Catalog c = Open(tree);
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "root.yaml").string()).ok());
  Refresh(c);
  // Same size, same mtime as recorded, different bytes: a stat alone would
  // miss it. Records of files modified in the last seconds are never
  // trusted by stat, so write, refresh, then change within the same tick.
  tree.Write("nested/c.yaml", Component("c", "one"));
  Refresh(c);
  tree.Write("nested/c.yaml", Component("c", "two"));
  Refresh(c);
  EXPECT_EQ(Description(c, "component:default/c"), "two");
}

TEST(SharedFile, ReachedFromTwoLocationsIsNoConflictAndSurvivesEither) {
  TempTree tree;
  tree.Write("one.yaml", LocationTo("one", "./shared.yaml"));
  // Reached at another depth through two.yaml: after one.yaml's copy is done.
  tree.Write("two.yaml", LocationTo("two", "./mid.yaml"));
  tree.Write("mid.yaml", LocationTo("mid", "./shared.yaml"));
  tree.Write("shared.yaml", Component("s"));
  Catalog c = Open(tree);
  auto one = c.AddFileLocation((tree.root() / "one.yaml").string());
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "two.yaml").string()).ok());
  RefreshReport r = Refresh(c);
  EXPECT_TRUE(r.conflicts.empty()) << r.conflicts.front();
  EXPECT_EQ(r.failed, 0u);
  EXPECT_EQ(Description(c, "component:default/s"), "x");
  // Still reached through two.yaml.
  ASSERT_TRUE(c.RemoveLocation(one->id).ok());
  EXPECT_EQ(Description(c, "component:default/s"), "x");
  RefreshReport again = Refresh(c);
  EXPECT_TRUE(again.conflicts.empty());
  EXPECT_TRUE(again.deleted.empty());
  EXPECT_EQ(Description(c, "component:default/s"), "x");
}

TEST(BadInput, LocationCycleIsAnErrorNotAHang) {
  TempTree tree;
  tree.Write("a.yaml", LocationTo("a", "./b.yaml"));
  tree.Write("b.yaml", LocationTo("b", "./a.yaml"));
  Catalog c = Open(tree);
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "a.yaml").string()).ok());
  RefreshReport r = Refresh(c);
  EXPECT_EQ(r.failed, 1u);  // b, whose target a.yaml is already being read
  EXPECT_TRUE(c.GetByRef("location:default/a")->has_value());
  // Never processed successfully: stored with its error, not served.
  EXPECT_FALSE(c.GetByRef("location:default/b")->has_value());
  SQLite::Database db((tree.root() / "catalog.db").string(), SQLite::OPEN_READONLY);
  const std::string errors =
      db.execAndGet("SELECT errors FROM refresh_state WHERE entity_ref = 'location:default/b'").getString();
  EXPECT_NE(errors.find("Location cycle: file:" + (tree.root() / "a.yaml").string()), std::string::npos) << errors;
}

TEST(BadInput, FileThatDisappearsKeepsItsEntitiesUntilTheParentSucceeds) {
  TempTree tree;
  WriteTree(tree);
  Catalog c = Open(tree);
  ASSERT_TRUE(c.AddFileLocation((tree.root() / "root.yaml").string()).ok());
  Refresh(c);
  fs::remove(tree.root() / "a.yaml");  // gone between two refreshes
  RefreshReport r = Refresh(c);
  EXPECT_GE(r.failed, 1u);  // root reports "does not exist"
  // A failed run keeps the previous children (Backstage's rule), nothing is lost.
  EXPECT_EQ(Description(c, "component:default/a"), "x");
  EXPECT_EQ(Description(c, "component:default/c"), "x");
  tree.Write("a.yaml", Component("a", "back"));
  Age(tree, "a.yaml", 5);
  Refresh(c);
  EXPECT_EQ(Description(c, "component:default/a"), "back");
}

TEST(BadInput, ReadOnlyAndCorruptDatabasesAreClearErrors) {
  TempTree tree;
  const fs::path corrupt = tree.root() / "corrupt.db";
  tree.Write("corrupt.db", std::string("this is not a database, just text that is long enough"));
  CatalogOptions o;
  o.db_path = corrupt.string();
  auto c = Catalog::Open(o);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find(corrupt.string()), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("not a SQLite database"), std::string::npos) << c.status().message();
  // The bytes are untouched.
  std::ifstream in(corrupt);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "this is not a database, just text that is long enough");

  WriteTree(tree);
  const fs::path db = tree.root() / "catalog.db";
  {
    Catalog ok = Open(tree);
    ASSERT_TRUE(ok.AddFileLocation((tree.root() / "root.yaml").string()).ok());
    Refresh(ok);
  }
  fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  if (::access(db.c_str(), W_OK) == 0) GTEST_SKIP() << "running as a user that can write read-only files";
  o.db_path = db.string();
  auto ro = Catalog::Open(o);
  ASSERT_FALSE(ro.ok());
  EXPECT_NE(ro.status().message().find("read-only"), std::string::npos) << ro.status().message();
  fs::permissions(db, fs::perms::owner_read | fs::perms::owner_write);
  Catalog again = Open(tree);
  EXPECT_EQ(Description(again, "component:default/a"), "x");
}

}  // namespace
}  // namespace idp::catalog
