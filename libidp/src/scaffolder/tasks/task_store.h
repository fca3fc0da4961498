// Scaffolder tasks and their events in SQLite: Backstage's DatabaseTaskStore
// (4.0.2) over the scaffolder_tasks / scaffolder_task_events tables of the
// catalog's database file. One connection guarded by a mutex: any thread may
// call any member.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/status.h"

namespace SQLite {
class Database;
}

namespace idp::scaffolder::tasks {

struct TaskRow {
  std::string id;
  Json spec;
  std::string status;  // open | processing | completed | failed | cancelled
  std::string created_at;
  std::optional<std::string> last_heartbeat_at;
  std::optional<std::string> created_by;
  std::optional<Json> state;
};

// A claimed task with the secrets it had when claimed.
struct ClaimedTask {
  TaskRow task;
  Json secrets{rapidjson::kObjectType};
  bool cancel_requested = false;  // a `cancelled` event came before the claim
};

struct EventRow {
  std::int64_t id = 0;
  std::string task_id;
  std::string type;  // log | completion | cancelled | recovered
  Json body;
  std::string created_at;
};

struct ListOptions {
  std::vector<std::string> created_by;
  std::vector<std::string> status;
  std::optional<std::int64_t> limit, offset;
  std::vector<std::pair<std::string, bool>> order;  // (column, ascending); default created_at desc
};

struct TaskList {
  std::vector<TaskRow> tasks;
  std::int64_t total = 0;
};

// Is this spec's recovery strategy `startOver` (secrets kept, events trimmed)?
bool IsRecoverable(const JsonValue& spec);

class TaskStore {
 public:
  // Opens (creating) the database file and migrates the scaffolder's tables.
  static Result<std::unique_ptr<TaskStore>> Open(const std::string& path, int busy_timeout_ms = 5000);
  ~TaskStore();

  Result<std::string> Create(const JsonValue& spec, const JsonValue* secrets,
                             const std::optional<std::string>& created_by);
  Result<std::optional<TaskRow>> Get(const std::string& id);
  Result<TaskList> List(const ListOptions& options);
  // The oldest open task, now processing; secrets wiped from the row unless
  // the task is recoverable.
  Result<std::optional<ClaimedTask>> Claim();
  Status Heartbeat(const std::string& id);
  Result<std::int64_t> AppendEvent(const std::string& id, const std::string& type, const JsonValue& body);
  // processing -> completed | failed, secrets cleared, the completion event.
  Status Complete(const std::string& id, const std::string& status, const JsonValue& body);
  // Events with id > after or of type completion (every event without
  // `after`), trimmed to the last `recovered` for startOver tasks.
  Result<std::vector<EventRow>> ListEvents(const std::string& id, std::optional<std::int64_t> after);
  // Inserts the `cancelled` event naming the last step with an event.
  Status Cancel(const std::string& id);
  // Back to open with a `recovered` event; completion/cancelled events
  // removed; new secrets when given.
  Status Retry(const std::string& id, const JsonValue* secrets);
  // processing tasks whose heartbeat is at least `timeout` old: back to open
  // with a `recovered` event (scaffolder.EXPERIMENTAL_recoverTasks). `skip`:
  // tasks this process is running (their heartbeat is only late).
  Result<std::vector<std::string>> Recover(std::chrono::milliseconds timeout, const std::vector<std::string>& skip = {});
  // The janitor: processing tasks whose heartbeat is at least `timeout` old
  // fail ("lost connection to the task broker").
  Result<std::vector<std::string>> FailStale(std::chrono::milliseconds timeout,
                                             const std::vector<std::string>& skip = {});

 private:
  explicit TaskStore(std::unique_ptr<SQLite::Database> db);
  Result<std::int64_t> InsertEventLocked(const std::string& id, const std::string& type, const std::string& body);

  std::mutex mutex_;
  std::unique_ptr<SQLite::Database> db_;
};

// Backstage's serialized task and event.
JsonValue TaskToJson(const TaskRow& task, JsonAllocator& a);
JsonValue EventToJson(const EventRow& event, bool recoverable, JsonAllocator& a);

}  // namespace idp::scaffolder::tasks
