// A crash loses nothing: a child process ingests a catalog and is killed
// (SIGKILL) at a named durable step of the refresh; the database it leaves
// must pass SQLite's integrity check and the store's invariants, and one
// more refresh must converge to exactly what a clean ingest stores.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog_test_support.h"

namespace idp::catalog {
namespace {

using test::TempTree;
namespace fs = std::filesystem;

constexpr int kFiles = 6;
constexpr int kPerFile = 60;

std::string Entity(int file, int i, const std::string& flavour) {
  const std::string name = "svc-" + std::to_string(file) + "-" + std::to_string(i);
  std::string depends;
  if (i > 0) depends = "  dependsOn: [component:svc-" + std::to_string(file) + "-" + std::to_string(i - 1) + "]\n";
  return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name +
         "\n  description: " + flavour + "\nspec:\n  type: service\n  lifecycle: production\n  owner: team-" +
         std::to_string(file) + "\n" + depends;
}

// root.yaml -> nested/index.yaml -> f0..f5.yaml (groups + components).
void WriteTree(const TempTree& tree, const std::string& flavour, int drop_from_file0 = 0) {
  std::string targets;
  for (int f = 0; f < kFiles; ++f) {
    std::string text = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-" +
                       std::to_string(f) + "\nspec:\n  type: team\n  children: []\n";
    const int count = f == 0 ? kPerFile - drop_from_file0 : kPerFile;
    for (int i = 0; i < count; ++i) text += "---\n" + Entity(f, i, flavour);
    tree.Write("nested/f" + std::to_string(f) + ".yaml", text);
    targets += (f ? ", ./f" : "./f") + std::to_string(f) + ".yaml";
  }
  tree.Write("nested/index.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: index\n"
                                  "spec:\n  targets: [" + targets + "]\n");
  tree.Write("root.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\n"
                          "spec:\n  target: ./nested/index.yaml\n");
  // At rest (older than the 2 s a refresh needs to trust size and mtime).
  for (const auto& e : fs::recursive_directory_iterator(tree.root())) {
    if (e.path().extension() == ".yaml") {
      fs::last_write_time(e.path(), fs::file_time_type::clock::now() - std::chrono::minutes(5));
    }
  }
}

CatalogOptions Options(const fs::path& db, const fs::path& root) {
  CatalogOptions o;
  o.db_path = db.string();
  o.allowed_roots = {root};
  o.threads = 2;
  o.write_batch = 50;  // many write transactions: many points to die at
  return o;
}

// Runs a refresh in a child process that kills itself at the `nth` time
// `step` is reached. Returns true when it died there.
bool RefreshAndDieAt(const fs::path& db, const fs::path& root, const std::string& step, int nth) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    CatalogOptions o = Options(db, root);
    int seen = 0;
    o.on_step = [&](std::string_view s) {
      if (s == step && ++seen == nth) ::kill(::getpid(), SIGKILL);
    };
    auto c = Catalog::Open(std::move(o));
    if (!c.ok()) ::_exit(3);
    auto added = c->AddFileLocation((root / "root.yaml").string());
    if (!added.ok() && added.status().code() != Code::kInvalid) ::_exit(4);
    (void)c->Refresh();
    ::_exit(0);  // the step was never reached
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

// Every entity as served, without its uid (random per database).
std::vector<std::string> Export(const Catalog& c) {
  std::vector<std::string> out;
  auto refs = c.ListRefs();
  EXPECT_TRUE(refs.ok());
  if (!refs.ok()) return out;
  for (const std::string& ref : *refs) {
    auto e = c.GetByRef(ref);
    if (!e.ok() || !e->has_value()) continue;
    Json& entity = **e;
    entity["metadata"].RemoveMember("uid");
    out.push_back(ToJsonString(entity));
  }
  return out;
}

std::vector<std::string> CleanExport(const fs::path& root, const fs::path& db) {
  auto c = Catalog::Open(Options(db, root));
  EXPECT_TRUE(c.ok());
  EXPECT_TRUE(c->AddFileLocation((root / "root.yaml").string()).ok());
  auto r = c->Refresh();
  EXPECT_TRUE(r.ok() && r->failed == 0);
  return Export(*c);
}

void ExpectConsistent(const fs::path& db) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(d.execAndGet("PRAGMA integrity_check").getString(), "ok");
  SQLite::Statement fk(d, "PRAGMA foreign_key_check");
  EXPECT_FALSE(fk.executeStep()) << "foreign key violation in " << fk.getColumn(0).getString();
  // Every served entity has its state and its search rows.
  EXPECT_EQ(d.execAndGet("SELECT COUNT(*) FROM final_entities f WHERE NOT EXISTS "
                         "(SELECT 1 FROM refresh_state r WHERE r.id = f.id)").getInt(), 0);
  EXPECT_EQ(d.execAndGet("SELECT COUNT(*) FROM final_entities f WHERE NOT EXISTS "
                         "(SELECT 1 FROM search s WHERE s.entity_id = f.id)").getInt(), 0);
}

// Equal exports, reported by the first difference (not 400 entities).
void ExpectSameExport(const std::vector<std::string>& got, const std::vector<std::string>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i], want[i]) << "entity #" << i;
  }
}

struct Case {
  std::string step;
  int nth;
};

TEST(CrashSafety, KilledIngestConvergesToACleanIngest) {
  for (const Case& k : {Case{"batch-written", 1}, Case{"batch-written", 4}, Case{"orphans-deleted", 1},
                        Case{"stitched", 1}, Case{"sources-saved", 1}}) {
    SCOPED_TRACE(k.step + " #" + std::to_string(k.nth));
    TempTree tree;
    WriteTree(tree, "v1");
    // Annotations hold absolute paths: the reference is ingested from the same tree.
    const std::vector<std::string> expected = CleanExport(tree.root(), tree.root() / "clean.db");
    ASSERT_EQ(expected.size(), static_cast<std::size_t>(3 + kFiles * (1 + kPerFile)));
    const fs::path db = tree.root() / "catalog.db";
    ASSERT_TRUE(RefreshAndDieAt(db, tree.root(), k.step, k.nth));
    ExpectConsistent(db);
    auto c = Catalog::Open(Options(db, tree.root()));
    ASSERT_TRUE(c.ok()) << c.status().message();
    (void)c->AddFileLocation((tree.root() / "root.yaml").string());
    auto r = c->Refresh();
    ASSERT_TRUE(r.ok()) << r.status().message();
    ExpectSameExport(Export(*c), expected);
    ExpectConsistent(db);
  }
}

TEST(CrashSafety, KilledIncrementalRefreshConverges) {
  for (const Case& k : {Case{"batch-written", 1}, Case{"orphans-deleted", 1}, Case{"stitched", 1}}) {
    SCOPED_TRACE(k.step + " #" + std::to_string(k.nth));
    TempTree tree;
    WriteTree(tree, "v1");
    const fs::path db = tree.root() / "catalog.db";
    {
      auto c = Catalog::Open(Options(db, tree.root()));
      ASSERT_TRUE(c.ok());
      ASSERT_TRUE(c->AddFileLocation((tree.root() / "root.yaml").string()).ok());
      ASSERT_TRUE(c->Refresh().ok());
    }
    // Every file edited, five entities gone from f0.yaml; the refresh dies.
    WriteTree(tree, "v2", 5);
    // What the catalog must hold after the edit, ingested cleanly.
    const std::vector<std::string> expected = CleanExport(tree.root(), tree.root() / "clean.db");
    ASSERT_TRUE(RefreshAndDieAt(db, tree.root(), k.step, k.nth));
    ExpectConsistent(db);
    auto c = Catalog::Open(Options(db, tree.root()));
    ASSERT_TRUE(c.ok());
    auto r = c->Refresh();
    ASSERT_TRUE(r.ok()) << r.status().message();
    ExpectSameExport(Export(*c), expected);
    ExpectConsistent(db);
  }
}

}  // namespace
}  // namespace idp::catalog
