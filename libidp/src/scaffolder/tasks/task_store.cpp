#include "scaffolder/tasks/task_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

#include "scaffolder/dry_run.h"
#include "scaffolder/tasks/task_schema.h"

namespace idp::scaffolder::tasks {

namespace {

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

Json ParseOrNull(const std::string& text) {
  Json d;
  d.Parse(text.data(), text.size());
  if (d.HasParseError()) d.SetNull();
  return d;
}

std::optional<std::string> OptText(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

// SELECT id, spec, status, created_at, last_heartbeat_at, created_by, state
TaskRow ReadTask(SQLite::Statement& q) {
  TaskRow t;
  t.id = q.getColumn(0).getString();
  t.spec = ParseOrNull(q.getColumn(1).getString());
  t.status = q.getColumn(2).getString();
  t.created_at = q.getColumn(3).getString();
  t.last_heartbeat_at = OptText(q.getColumn(4));
  t.created_by = OptText(q.getColumn(5));
  if (auto state = OptText(q.getColumn(6))) t.state = ParseOrNull(*state);
  return t;
}

constexpr const char* kTaskColumns = "id, spec, status, created_at, last_heartbeat_at, created_by, state";

Status Failure(const char* what, const std::exception& e) {
  return Status(Code::kIo, std::string(what) + ": " + e.what());
}

// `{"recoverStrategy": ...}` of a spec.
std::string RecoveredBody(const std::string& spec_text) {
  Json spec = ParseOrNull(spec_text);
  std::string strategy = "none";
  if (spec.IsObject()) {
    if (const JsonValue* r = FindMember(spec, "EXPERIMENTAL_recovery"); r && r->IsObject()) {
      if (const JsonValue* s = FindMember(*r, "EXPERIMENTAL_strategy"); s && s->IsString()) strategy = AsView(*s);
    }
  }
  Json body(rapidjson::kObjectType);
  body.AddMember("recoverStrategy", MakeString(strategy, body.GetAllocator()), body.GetAllocator());
  return ToJsonString(body);
}

std::string OlderThan(std::chrono::milliseconds timeout) {
  return "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-" + std::to_string(timeout.count() / 1000.0) + " seconds')";
}

}  // namespace

bool IsRecoverable(const JsonValue& spec) {
  if (!spec.IsObject()) return false;
  const JsonValue* r = FindMember(spec, "EXPERIMENTAL_recovery");
  if (!r || !r->IsObject()) return false;
  const JsonValue* s = FindMember(*r, "EXPERIMENTAL_strategy");
  return s && s->IsString() && AsView(*s) == "startOver";
}

TaskStore::TaskStore(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
TaskStore::~TaskStore() = default;

Result<std::unique_ptr<TaskStore>> TaskStore::Open(const std::string& path, int busy_timeout_ms) {
  try {
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX, busy_timeout_ms);
    // The catalog's settings: WAL lets its connection and this one share the file.
    if (path != ":memory:") db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA foreign_keys=ON");
    auto migrated = MigrateTaskSchema(*db);
    if (!migrated.ok()) return Status(migrated.status().code(), path + ": " + migrated.status().message());
    return std::unique_ptr<TaskStore>(new TaskStore(std::move(db)));
  } catch (const std::exception& e) {
    return Status(Code::kIo, path + ": cannot open the task database: " + e.what());
  }
}

Result<std::string> TaskStore::Create(const JsonValue& spec, const JsonValue* secrets,
                                      const std::optional<std::string>& created_by) {
  const std::string id = RandomUuid();
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement q(*db_, std::string("INSERT INTO scaffolder_tasks (id, spec, status, created_at, created_by, "
                                          "secrets) VALUES (?, ?, 'open', ") +
                                  kNow + ", ?, ?)");
    q.bind(1, id);
    q.bind(2, ToJsonString(spec));
    if (created_by) q.bind(3, *created_by);
    if (secrets && secrets->IsObject()) q.bind(4, ToJsonString(*secrets));
    q.exec();
  } catch (const std::exception& e) {
    return Failure("cannot store the task", e);
  }
  return id;
}

Result<std::optional<TaskRow>> TaskStore::Get(const std::string& id) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement q(*db_, std::string("SELECT ") + kTaskColumns + " FROM scaffolder_tasks WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::optional<TaskRow>();
    return std::optional<TaskRow>(ReadTask(q));
  } catch (const std::exception& e) {
    return Failure("cannot read the task", e);
  }
}

Result<TaskList> TaskStore::List(const ListOptions& options) {
  std::string where;
  auto in_list = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    where += where.empty() ? " WHERE " : " AND ";
    where += std::string(column) + " IN (";
    for (std::size_t i = 0; i < values.size(); ++i) where += i ? ", ?" : "?";
    where += ")";
  };
  in_list("created_by", options.created_by);
  in_list("status", options.status);
  std::string order;
  for (const auto& [column, asc] : options.order) {
    // Columns are the caller's whitelist (created_at, status, created_by, ...).
    order += order.empty() ? " ORDER BY " : ", ";
    order += column + (asc ? " ASC" : " DESC");
  }
  if (order.empty()) order = " ORDER BY created_at DESC, rowid DESC";
  std::string page;
  if (options.limit) page += " LIMIT " + std::to_string(*options.limit);
  if (options.offset) page += (options.limit ? "" : " LIMIT -1") + std::string(" OFFSET ") + std::to_string(*options.offset);
  auto bind_all = [&](SQLite::Statement& q) {
    int i = 1;
    for (const auto& v : options.created_by) q.bind(i++, v);
    for (const auto& v : options.status) q.bind(i++, v);
  };
  std::lock_guard lock(mutex_);
  try {
    TaskList out;
    SQLite::Statement q(*db_, std::string("SELECT ") + kTaskColumns + " FROM scaffolder_tasks" + where + order + page);
    bind_all(q);
    while (q.executeStep()) out.tasks.push_back(ReadTask(q));
    SQLite::Statement c(*db_, "SELECT COUNT(*) FROM scaffolder_tasks" + where);
    bind_all(c);
    if (c.executeStep()) out.total = c.getColumn(0).getInt64();
    return out;
  } catch (const std::exception& e) {
    return Failure("cannot list the tasks", e);
  }
}

Result<std::optional<ClaimedTask>> TaskStore::Claim() {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(*db_, std::string("SELECT ") + kTaskColumns +
                                  ", secrets FROM scaffolder_tasks WHERE status = 'open' "
                                  "ORDER BY created_at, rowid LIMIT 1");
    if (!q.executeStep()) return std::optional<ClaimedTask>();
    ClaimedTask claimed;
    claimed.task = ReadTask(q);
    if (auto secrets = OptText(q.getColumn(7))) {
      Json s = ParseOrNull(*secrets);
      if (s.IsObject()) claimed.secrets = std::move(s);
    }
    const bool keep = IsRecoverable(claimed.task.spec);
    SQLite::Statement u(*db_, std::string("UPDATE scaffolder_tasks SET status = 'processing', last_heartbeat_at = ") +
                                  kNow + (keep ? "" : ", secrets = NULL") + " WHERE id = ? AND status = 'open'");
    u.bind(1, claimed.task.id);
    if (u.exec() < 1) return std::optional<ClaimedTask>();
    SQLite::Statement c(*db_, "SELECT 1 FROM scaffolder_task_events WHERE task_id = ? AND event_type = 'cancelled'");
    c.bind(1, claimed.task.id);
    claimed.cancel_requested = c.executeStep();
    tx.commit();
    claimed.task.status = "processing";
    return std::optional<ClaimedTask>(std::move(claimed));
  } catch (const std::exception& e) {
    return Failure("cannot claim a task", e);
  }
}

Status TaskStore::Heartbeat(const std::string& id) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement u(*db_, std::string("UPDATE scaffolder_tasks SET last_heartbeat_at = ") + kNow +
                                  " WHERE id = ? AND status = 'processing'");
    u.bind(1, id);
    if (u.exec() == 0) return Status(Code::kNotFound, "No running task with taskId " + id + " found");
    return Status::Ok();
  } catch (const std::exception& e) {
    return Failure("cannot record the heartbeat", e);
  }
}

Result<std::int64_t> TaskStore::InsertEventLocked(const std::string& id, const std::string& type,
                                                  const std::string& body) {
  SQLite::Statement q(*db_, std::string("INSERT INTO scaffolder_task_events (task_id, body, event_type, created_at) "
                                        "VALUES (?, ?, ?, ") +
                                kNow + ")");
  q.bind(1, id);
  q.bind(2, body);
  q.bind(3, type);
  q.exec();
  return db_->getLastInsertRowid();
}

Result<std::int64_t> TaskStore::AppendEvent(const std::string& id, const std::string& type, const JsonValue& body) {
  const std::string text = ToJsonString(body);
  std::lock_guard lock(mutex_);
  try {
    return InsertEventLocked(id, type, text);
  } catch (const std::exception& e) {
    return Failure("cannot store the task event", e);
  }
}

Status TaskStore::Complete(const std::string& id, const std::string& status, const JsonValue& body) {
  if (status != "completed" && status != "failed" && status != "cancelled") {
    return Status(Code::kInvalidArgument, "Invalid status update of run '" + id + "' to status '" + status + "'");
  }
  const std::string text = ToJsonString(body);
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(*db_, "SELECT status FROM scaffolder_tasks WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return Status(Code::kNotFound, "No task with taskId " + id + " found");
    const std::string current = q.getColumn(0).getString();
    if (current == "cancelled" && status != "cancelled") return Status::Ok();
    if (status != "cancelled" && current != "processing") {
      return Status(Code::kInvalid, "Refusing to update status of run '" + id + "' to status '" + status +
                                        "' as it is currently '" + current + "', expected 'processing'");
    }
    SQLite::Statement u(*db_, "UPDATE scaffolder_tasks SET status = ?, secrets = NULL WHERE id = ?");
    u.bind(1, status);
    u.bind(2, id);
    u.exec();
    InsertEventLocked(id, "completion", text);
    tx.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Failure("cannot complete the task", e);
  }
}

Result<std::vector<EventRow>> TaskStore::ListEvents(const std::string& id, std::optional<std::int64_t> after) {
  std::vector<EventRow> events;
  {
    std::lock_guard lock(mutex_);
    try {
      SQLite::Statement q(*db_, after ? "SELECT id, body, event_type, created_at FROM scaffolder_task_events WHERE "
                                        "task_id = ? AND (id > ? OR event_type = 'completion') ORDER BY id"
                                      : "SELECT id, body, event_type, created_at FROM scaffolder_task_events WHERE "
                                        "task_id = ? ORDER BY id");
      q.bind(1, id);
      if (after) q.bind(2, *after);
      while (q.executeStep()) {
        EventRow e;
        e.id = q.getColumn(0).getInt64();
        e.task_id = id;
        e.body = ParseOrNull(q.getColumn(1).getString());
        e.type = q.getColumn(2).getString();
        e.created_at = q.getColumn(3).getString();
        events.push_back(std::move(e));
      }
    } catch (const std::exception& e) {
      return Failure("cannot read the task events", e);
    }
  }
  // trimEventsTillLastRecovery: a startOver task shows its latest attempt only.
  for (std::size_t i = events.size(); i-- > 0;) {
    if (events[i].type != "recovered") continue;
    const JsonValue* s = events[i].body.IsObject() ? FindMember(events[i].body, "recoverStrategy") : nullptr;
    if (s && s->IsString() && AsView(*s) == "startOver") {
      if (i + 1 == events.size()) events.clear();
      else events.erase(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(i));
    }
    break;
  }
  return events;
}

Status TaskStore::Cancel(const std::string& id) {
  std::lock_guard lock(mutex_);
  try {
    // Backstage: the stepId of the newest event that has one, else 0.
    SQLite::Statement q(*db_, "SELECT body FROM scaffolder_task_events WHERE task_id = ? ORDER BY id DESC");
    q.bind(1, id);
    Json body(rapidjson::kObjectType);
    auto& a = body.GetAllocator();
    JsonValue step(0);
    while (q.executeStep()) {
      Json b = ParseOrNull(q.getColumn(0).getString());
      if (!b.IsObject()) continue;
      const JsonValue* s = FindMember(b, "stepId");
      if (s && JsTruthy(*s)) {
        step.CopyFrom(*s, a);
        break;
      }
    }
    const std::string step_text = step.IsString() ? std::string(AsView(step)) : ToJsonString(step);
    body.AddMember("message", MakeString("Step " + step_text + " has been cancelled.", a), a);
    body.AddMember("stepId", step, a);
    body.AddMember("status", "cancelled", a);
    InsertEventLocked(id, "cancelled", ToJsonString(body));
    return Status::Ok();
  } catch (const std::exception& e) {
    return Failure("cannot cancel the task", e);
  }
}

Status TaskStore::Retry(const std::string& id, const JsonValue* secrets) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(*db_, "SELECT spec FROM scaffolder_tasks WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return Status(Code::kNotFound, "No task with id '" + id + "' found");
    const std::string spec = q.getColumn(0).getString();
    const bool new_secrets = secrets && secrets->IsObject();
    SQLite::Statement u(*db_, std::string("UPDATE scaffolder_tasks SET status = 'open', last_heartbeat_at = ") + kNow +
                                  (new_secrets ? ", secrets = ?" : "") + " WHERE id = ?");
    int i = 1;
    if (new_secrets) u.bind(i++, ToJsonString(*secrets));
    u.bind(i, id);
    u.exec();
    SQLite::Statement d(*db_, "DELETE FROM scaffolder_task_events WHERE task_id = ? AND event_type IN "
                              "('cancelled', 'completion')");
    d.bind(1, id);
    d.exec();
    InsertEventLocked(id, "recovered", RecoveredBody(spec));
    tx.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Failure("cannot retry the task", e);
  }
}

Result<std::vector<std::string>> TaskStore::Recover(std::chrono::milliseconds timeout,
                                                    const std::vector<std::string>& skip) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(*db_, "SELECT id, spec FROM scaffolder_tasks WHERE status = 'processing' AND "
                              "last_heartbeat_at <= " + OlderThan(timeout));
    std::vector<std::pair<std::string, std::string>> rows;
    while (q.executeStep()) rows.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
    for (const auto& [id, spec] : rows) {
      if (std::find(skip.begin(), skip.end(), id) != skip.end()) continue;
      SQLite::Statement u(*db_, std::string("UPDATE scaffolder_tasks SET status = 'open', last_heartbeat_at = ") +
                                    kNow + " WHERE id = ?");
      u.bind(1, id);
      u.exec();
      InsertEventLocked(id, "recovered", RecoveredBody(spec));
      ids.push_back(id);
    }
    tx.commit();
    return ids;
  } catch (const std::exception& e) {
    return Failure("cannot recover tasks", e);
  }
}

Result<std::vector<std::string>> TaskStore::FailStale(std::chrono::milliseconds timeout,
                                                      const std::vector<std::string>& skip) {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mutex_);
    try {
      SQLite::Statement q(*db_, "SELECT id FROM scaffolder_tasks WHERE status = 'processing' AND "
                                "last_heartbeat_at <= " + OlderThan(timeout));
      while (q.executeStep()) {
        std::string id = q.getColumn(0).getString();
        if (std::find(skip.begin(), skip.end(), id) == skip.end()) ids.push_back(std::move(id));
      }
    } catch (const std::exception& e) {
      return Failure("cannot list stale tasks", e);
    }
  }
  Json body(rapidjson::kObjectType);
  body.AddMember("message", "The task was cancelled because the task worker lost connection to the task broker",
                 body.GetAllocator());
  std::vector<std::string> failed;
  for (const std::string& id : ids) {
    if (Complete(id, "failed", body).ok()) failed.push_back(id);
  }
  return failed;
}

JsonValue TaskToJson(const TaskRow& task, JsonAllocator& a) {
  JsonValue out(rapidjson::kObjectType);
  out.AddMember("id", MakeString(task.id, a), a);
  out.AddMember("spec", JsonValue(task.spec, a), a);
  out.AddMember("status", MakeString(task.status, a), a);
  if (task.last_heartbeat_at) out.AddMember("lastHeartbeatAt", MakeString(*task.last_heartbeat_at, a), a);
  out.AddMember("createdAt", MakeString(task.created_at, a), a);
  if (task.created_by) out.AddMember("createdBy", MakeString(*task.created_by, a), a);
  if (task.state) out.AddMember("state", JsonValue(*task.state, a), a);
  return out;
}

JsonValue EventToJson(const EventRow& event, bool recoverable, JsonAllocator& a) {
  JsonValue out(rapidjson::kObjectType);
  out.AddMember("id", event.id, a);
  out.AddMember("isTaskRecoverable", recoverable, a);
  out.AddMember("taskId", MakeString(event.task_id, a), a);
  out.AddMember("body", JsonValue(event.body, a), a);
  out.AddMember("type", MakeString(event.type, a), a);
  out.AddMember("createdAt", MakeString(event.created_at, a), a);
  return out;
}

}  // namespace idp::scaffolder::tasks
