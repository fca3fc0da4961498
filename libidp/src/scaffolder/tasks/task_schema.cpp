#include "scaffolder/tasks/task_schema.h"

#include <SQLiteCpp/Transaction.h>

#include <functional>
#include <string>
#include <vector>

namespace idp::scaffolder::tasks {

namespace {

// v0 -> v1: Backstage's tasks and task_events (spec 5.6), prefixed so they
// cannot meet a catalog table. Timestamps are ISO-8601 UTC text with
// milliseconds: they sort as they compare. AUTOINCREMENT: event ids never
// come back after a retry deletes the completion.
void MigrateTo1(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE scaffolder_tasks (
      id                TEXT PRIMARY KEY NOT NULL,
      spec              TEXT NOT NULL,
      status            TEXT NOT NULL,
      created_at        TEXT NOT NULL,
      last_heartbeat_at TEXT,
      created_by        TEXT,
      secrets           TEXT,
      state             TEXT
    );
    CREATE INDEX scaffolder_tasks_by_status ON scaffolder_tasks (status, last_heartbeat_at);
    CREATE INDEX scaffolder_tasks_by_created ON scaffolder_tasks (created_at);
    CREATE TABLE scaffolder_task_events (
      id         INTEGER PRIMARY KEY AUTOINCREMENT,
      task_id    TEXT NOT NULL REFERENCES scaffolder_tasks (id) ON DELETE CASCADE,
      body       TEXT NOT NULL,
      event_type TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX scaffolder_task_events_by_task ON scaffolder_task_events (task_id, id);
  )sql");
}

const std::vector<std::function<void(SQLite::Database&)>>& Migrations() {
  static const std::vector<std::function<void(SQLite::Database&)>> kMigrations = {MigrateTo1};
  return kMigrations;
}

Result<int> ReadVersion(SQLite::Database& db) {
  try {
    if (!db.tableExists("scaffolder_schema_version")) return 0;
    SQLite::Statement q(db, "SELECT MAX(version) FROM scaffolder_schema_version");
    if (!q.executeStep() || q.getColumn(0).isNull()) return 0;
    return q.getColumn(0).getInt();
  } catch (const std::exception& e) {
    return Status(Code::kInvalid, std::string("cannot read the scaffolder schema version: ") + e.what());
  }
}

}  // namespace

Result<int> MigrateTaskSchema(SQLite::Database& db) {
  auto current = ReadVersion(db);
  if (!current) return current.status();
  int version = *current;
  if (version > kLatestTaskSchemaVersion) {
    return Status(Code::kInvalid, "scaffolder schema version " + std::to_string(version) +
                                      " is newer than this build supports (" +
                                      std::to_string(kLatestTaskSchemaVersion) + ")");
  }
  try {
    while (version < kLatestTaskSchemaVersion) {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      db.exec("CREATE TABLE IF NOT EXISTS scaffolder_schema_version (version INTEGER NOT NULL)");
      Migrations()[static_cast<std::size_t>(version)](db);
      ++version;
      db.exec("DELETE FROM scaffolder_schema_version");
      db.exec("INSERT INTO scaffolder_schema_version (version) VALUES (" + std::to_string(version) + ")");
      tx.commit();
    }
  } catch (const std::exception& e) {
    return Status(Code::kIo, "scaffolder schema migration to version " + std::to_string(version + 1) +
                                 " failed: " + e.what());
  }
  return version;
}

}  // namespace idp::scaffolder::tasks
