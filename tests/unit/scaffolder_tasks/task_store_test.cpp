// The task store over real SQLite files: its own schema version next to the
// catalog's, Backstage's claim/complete/cancel/retry/recover rules, events
// with increasing ids.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/schema_migrations.h"
#include "store/store.h"
#include "tasks_test_util.h"

namespace idp::scaffolder::tasks::testing {
namespace {

std::string Column(const fs::path& db, const std::string& sql) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(d, sql);
  if (!q.executeStep()) return "<no row>";
  return q.getColumn(0).isNull() ? "<null>" : q.getColumn(0).getString();
}

TEST(TaskStore, SharesTheCatalogFileWithItsOwnSchemaVersion) {
  TempDir dir;
  const fs::path db = dir.path() / "catalog.db";
  {
    auto catalog = store::Store::Open(db.string());
    ASSERT_TRUE(catalog.ok()) << catalog.status().message();
    auto tasks = TaskStore::Open(db.string());
    ASSERT_TRUE(tasks.ok()) << tasks.status().message();
    ASSERT_TRUE((*tasks)->Create(SpecWithSteps("[]"), nullptr, std::nullopt).ok());
  }
  EXPECT_EQ(Column(db, "SELECT version FROM scaffolder_schema_version"), "1");
  EXPECT_EQ(Column(db, "SELECT version FROM schema_version"), std::to_string(store::kLatestSchemaVersion));
  // Reopening in the other order migrates nothing and keeps the rows.
  auto tasks = TaskStore::Open(db.string());
  ASSERT_TRUE(tasks.ok());
  auto catalog = store::Store::Open(db.string());
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  auto list = (*tasks)->List({});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total, 1);
}

TEST(TaskStore, RefusesANewerScaffolderSchema) {
  TempDir dir;
  const fs::path db = dir.path() / "t.db";
  ASSERT_TRUE(TaskStore::Open(db.string()).ok());
  {
    SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
    d.exec("UPDATE scaffolder_schema_version SET version = 99");
  }
  auto again = TaskStore::Open(db.string());
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("scaffolder schema version 99 is newer"), std::string::npos)
      << again.status().message();
}

TEST(TaskStore, ListsNewestFirstWithFiltersAndPages) {
  TempDir dir;
  auto store = TaskStore::Open((dir.path() / "t.db").string());
  ASSERT_TRUE(store.ok());
  TaskStore& s = **store;
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    auto id = s.Create(SpecWithSteps("[]"), nullptr, i % 2 ? std::optional<std::string>("user:default/a") : std::nullopt);
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
    std::this_thread::sleep_for(std::chrono::milliseconds(3));  // distinct created_at
  }
  auto all = s.List({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->tasks.size(), 4u);
  EXPECT_EQ(all->tasks.front().id, ids.back());
  ListOptions by_user;
  by_user.created_by = {"user:default/a"};
  by_user.limit = 1;
  auto mine = s.List(by_user);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->total, 2);
  ASSERT_EQ(mine->tasks.size(), 1u);
  EXPECT_EQ(mine->tasks[0].id, ids[3]);
  ListOptions asc;
  asc.order = {{"created_at", true}};
  asc.offset = 1;
  auto page = s.List(asc);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->tasks.size(), 3u);
  EXPECT_EQ(page->tasks[0].id, ids[1]);
  ListOptions processing;
  processing.status = {"processing"};
  EXPECT_EQ(s.List(processing)->total, 0);
}

TEST(TaskStore, ClaimWipesSecretsUnlessStartOver) {
  TempDir dir;
  const fs::path db = dir.path() / "t.db";
  auto store = TaskStore::Open(db.string());
  ASSERT_TRUE(store.ok());
  TaskStore& s = **store;
  Json secrets = Parse(R"({"token":"s3cr3t-value"})");
  auto plain = s.Create(SpecWithSteps("[]"), &secrets, std::nullopt);
  ASSERT_TRUE(plain.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  auto keep = s.Create(SpecWithSteps("[]", "{}", R"("EXPERIMENTAL_recovery":{"EXPERIMENTAL_strategy":"startOver"},)"),
                       &secrets, std::nullopt);
  ASSERT_TRUE(keep.ok());

  auto first = s.Claim();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->task.id, *plain);
  EXPECT_EQ((*first)->task.status, "processing");
  EXPECT_EQ(AsView((*first)->secrets["token"]), "s3cr3t-value");
  EXPECT_EQ(Column(db, "SELECT secrets FROM scaffolder_tasks WHERE id = '" + *plain + "'"), "<null>");
  auto second = s.Claim();
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_NE(Column(db, "SELECT secrets FROM scaffolder_tasks WHERE id = '" + *keep + "'"), "<null>");
  auto none = s.Claim();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // Completion clears the kept secrets too.
  ASSERT_TRUE(s.Complete(*keep, "completed", Parse(R"({"message":"Run completed with status: completed"})")).ok());
  EXPECT_EQ(Column(db, "SELECT secrets FROM scaffolder_tasks WHERE id = '" + *keep + "'"), "<null>");
}

TEST(TaskStore, EventsHaveIncreasingIdsAndAfterKeepsTheCompletion) {
  TempDir dir;
  auto store = TaskStore::Open((dir.path() / "t.db").string());
  ASSERT_TRUE(store.ok());
  TaskStore& s = **store;
  auto id = s.Create(SpecWithSteps("[]"), nullptr, std::nullopt);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(s.Claim().ok());
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto e = s.AppendEvent(*id, "log", Parse(R"({"message":"m","stepId":"a"})"));
    ASSERT_TRUE(e.ok());
    ids.push_back(*e);
  }
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
  ASSERT_TRUE(s.Complete(*id, "completed", Parse(R"({"message":"Run completed with status: completed","output":{}})")).ok());
  auto after = s.ListEvents(*id, ids[2] + 100);  // beyond every id: the completion still comes
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].type, "completion");
  EXPECT_GT((*after)[0].id, ids[2]);
  auto tail = s.ListEvents(*id, ids[0]);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->size(), 3u);  // ids[1], ids[2], completion
  Json doc(rapidjson::kObjectType);
  JsonValue e = EventToJson((*tail)[0], false, doc.GetAllocator());
  EXPECT_EQ(e["id"].GetInt64(), ids[1]);
  EXPECT_EQ(AsView(e["taskId"]), *id);
  EXPECT_EQ(AsView(e["type"]), "log");
  EXPECT_FALSE(e["isTaskRecoverable"].GetBool());
  EXPECT_EQ(AsView(e["createdAt"]).size(), 24u) << AsView(e["createdAt"]);  // 2026-12-08T00:00:00.000Z
  // A second completion is refused: the task is no longer processing.
  EXPECT_FALSE(s.Complete(*id, "failed", Parse(R"({"message":"x"})")).ok());
}

TEST(TaskStore, CancelNamesTheLastStepAndRetryReopens) {
  TempDir dir;
  auto store = TaskStore::Open((dir.path() / "t.db").string());
  ASSERT_TRUE(store.ok());
  TaskStore& s = **store;
  auto id = s.Create(SpecWithSteps("[]"), nullptr, std::nullopt);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(s.Cancel(*id).ok());
  auto events = Events(s, *id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(ToJsonString(events[0].body), R"({"message":"Step 0 has been cancelled.","stepId":0,"status":"cancelled"})");
  ASSERT_TRUE(s.Claim().ok());
  ASSERT_TRUE(s.AppendEvent(*id, "log", Parse(R"({"message":"Beginning step x","stepId":"fetch","status":"processing"})")).ok());
  ASSERT_TRUE(s.AppendEvent(*id, "log", Parse(R"({"message":"no step"})")).ok());
  ASSERT_TRUE(s.Cancel(*id).ok());
  events = Events(s, *id);
  EXPECT_EQ(ToJsonString(events.back().body),
            R"({"message":"Step fetch has been cancelled.","stepId":"fetch","status":"cancelled"})");
  ASSERT_TRUE(s.Complete(*id, "failed", Parse(R"({"message":"Run completed with status: failed"})")).ok());
  const std::int64_t last = events.back().id;

  Json secrets = Parse(R"({"token":"again"})");
  ASSERT_TRUE(s.Retry(*id, &secrets).ok());
  auto task = s.Get(*id);
  ASSERT_TRUE(task.ok() && *task);
  EXPECT_EQ((*task)->status, "open");
  events = Events(s, *id);
  for (const auto& e : events) {
    EXPECT_NE(e.type, "completion");
    EXPECT_NE(e.type, "cancelled");
  }
  EXPECT_EQ(events.back().type, "recovered");
  EXPECT_EQ(ToJsonString(events.back().body), R"({"recoverStrategy":"none"})");
  EXPECT_GT(events.back().id, last);
  auto claimed = s.Claim();
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ(AsView((*claimed)->secrets["token"]), "again");
  EXPECT_FALSE((*claimed)->cancel_requested);
  EXPECT_FALSE(s.Retry("no-such-task", nullptr).ok());
}

TEST(TaskStore, RecoverReopensStaleProcessingTasksAndStartOverTrimsEvents) {
  TempDir dir;
  auto store = TaskStore::Open((dir.path() / "t.db").string());
  ASSERT_TRUE(store.ok());
  TaskStore& s = **store;
  auto a = s.Create(SpecWithSteps("[]", "{}", R"("EXPERIMENTAL_recovery":{"EXPERIMENTAL_strategy":"startOver"},)"),
                    nullptr, std::nullopt);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(s.Claim().ok());
  ASSERT_TRUE(s.AppendEvent(*a, "log", Parse(R"({"message":"first attempt"})")).ok());
  // A long timeout leaves a fresh heartbeat alone.
  auto none = s.Recover(std::chrono::hours(1));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto skipped = s.Recover(std::chrono::milliseconds(0), {*a});
  ASSERT_TRUE(skipped.ok());
  EXPECT_TRUE(skipped->empty());
  auto recovered = s.Recover(std::chrono::milliseconds(0));
  ASSERT_TRUE(recovered.ok());
  ASSERT_EQ(recovered->size(), 1u);
  EXPECT_EQ((*s.Get(*a))->status, "open");
  // startOver: the list starts at the last `recovered` event, which itself
  // is dropped when it is the newest.
  EXPECT_TRUE(Events(s, *a).empty());
  ASSERT_TRUE(s.AppendEvent(*a, "log", Parse(R"({"message":"second attempt"})")).ok());
  auto events = Events(s, *a);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "recovered");
  EXPECT_EQ(ToJsonString(events[0].body), R"({"recoverStrategy":"startOver"})");
}

TEST(TaskStore, JanitorFailsStaleTasks) {
  TempDir dir;
  auto store = TaskStore::Open((dir.path() / "t.db").string());
  ASSERT_TRUE(store.ok());
  TaskStore& s = **store;
  auto id = s.Create(SpecWithSteps("[]"), nullptr, std::nullopt);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(s.Claim().ok());
  auto failed = s.FailStale(std::chrono::milliseconds(0));
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*s.Get(*id))->status, "failed");
  auto events = Events(s, *id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "completion");
  EXPECT_EQ(ToJsonString(events[0].body),
            R"({"message":"The task was cancelled because the task worker lost connection to the task broker"})");
}

}  // namespace
}  // namespace idp::scaffolder::tasks::testing
