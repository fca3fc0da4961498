#include <SQLiteCpp/Database.h>
#include <unistd.h>

#include <fstream>

#include "store/schema_migrations.h"
#include "store_test_support.h"

namespace idp::store {
namespace {

using testing::TempDir;

TEST(StoreOpen, MemoryDatabaseIsAtLatestVersion) {
  auto s = Store::Open(":memory:");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->SchemaVersion(), Store::LatestSchemaVersion());
}

TEST(StoreOpen, CreatesFileWithWalAndSchema) {
  TempDir dir;
  const auto path = dir.File("catalog.db");
  {
    auto s = Store::Open(path);
    ASSERT_TRUE(s.ok()) << s.status().message();
  }
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db.execAndGet("SELECT version FROM schema_version").getInt(), kLatestSchemaVersion);
  for (const char* t : {"refresh_state", "relations", "final_entities", "search", "locations",
                        "refresh_state_references"}) {
    EXPECT_TRUE(db.tableExists(t)) << t;
  }
}

TEST(StoreOpen, MigratesEmptyExistingFile) {
  TempDir dir;
  const auto path = dir.File("empty.db");
  { std::ofstream(path).flush(); }
  auto s = Store::Open(path);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->SchemaVersion(), kLatestSchemaVersion);
}

TEST(StoreOpen, MigratesFromPreviousVersionKeepingData) {
  TempDir dir;
  const auto path = dir.File("old.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    auto v = MigrateTo(db, kLatestSchemaVersion - 1);
    ASSERT_TRUE(v.ok()) << v.status().message();
    // The latest migration (relations indexed by target) is not applied yet.
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name = 'relations_by_target'").getInt(), 0);
    db.exec("INSERT INTO locations (id, type, target) VALUES ('id-1', 'url', 'https://x/y.yaml')");
  }
  auto s = Store::Open(path);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->SchemaVersion(), kLatestSchemaVersion);
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name = 'relations_by_target'").getInt(), 1);
  }
  auto locs = s->ListLocations();
  ASSERT_TRUE(locs.ok());
  ASSERT_EQ(locs->size(), 1u);
  EXPECT_EQ((*locs)[0].target, "https://x/y.yaml");
  EXPECT_EQ((*locs)[0].entity_ref, GeneratedLocationRef("url", "https://x/y.yaml"));
}

TEST(StoreOpen, NewerSchemaIsAClearError) {
  TempDir dir;
  const auto path = dir.File("new.db");
  { ASSERT_TRUE(Store::Open(path).ok()); }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("UPDATE schema_version SET version = 99");
  }
  auto s = Store::Open(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kInvalid);
  EXPECT_NE(s.status().message().find("newer"), std::string::npos) << s.status().message();
}

TEST(StoreOpen, CorruptFileIsAClearError) {
  TempDir dir;
  const auto path = dir.File("junk.db");
  { std::ofstream(path) << "this is not a database, just some text that is long enough\n"; }
  auto s = Store::Open(path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("not a SQLite database"), std::string::npos) << s.status().message();
}

TEST(StoreOpen, DamagedSqliteFileIsAnErrorNotACrash) {
  TempDir dir;
  const auto path = dir.File("damaged.db");
  { ASSERT_TRUE(Store::Open(path).ok()); }
  {
    // Keep the magic header, destroy the rest of the first page.
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(16);
    std::string junk(4000, '\x7f');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto s = Store::Open(path);
  EXPECT_FALSE(s.ok());
}

TEST(StoreOpen, DirectoryIsAnError) {
  TempDir dir;
  auto s = Store::Open(dir.File(""));
  EXPECT_FALSE(s.ok());
}

TEST(StoreOpen, ReadOnlyFileIsAClearError) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores file permissions";
  TempDir dir;
  const auto path = dir.File("ro.db");
  { ASSERT_TRUE(Store::Open(path).ok()); }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read);
  auto s = Store::Open(path);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("read-only"), std::string::npos) << s.status().message();
}

TEST(StoreOpen, ReopenKeepsEntities) {
  TempDir dir;
  const auto path = dir.File("c.db");
  std::string uid;
  {
    auto s = Store::Open(path);
    ASSERT_TRUE(s.ok());
    std::vector<catalog::ProcessedEntity> batch;
    batch.push_back(testing::Processed(testing::Component("a")));
    testing::ApplyAndStitch(*s, batch);
    uid = testing::Str(testing::MustGet(*s, "component:default/a"), {"metadata", "uid"});
  }
  auto s = Store::Open(path);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(testing::Str(testing::MustGet(*s, "Component:Default/A"), {"metadata", "uid"}), uid);
}

}  // namespace
}  // namespace idp::store
