// The task broker and worker pool: Backstage's StorageTaskBroker + TaskWorker
// (4.0.2) over a TaskStore. Workers claim open tasks, run them with the
// workflow runner in `<working_directory>/<taskId>` (removed when the run
// ends), heartbeat every second and complete them. A background thread runs
// the janitor (stale processing tasks fail) and, when enabled, recovery
// (processing tasks whose heartbeat stopped go back to open), both once at
// start: that is how a task left `processing` by a crash is handled.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/json.h"
#include "core/status.h"
#include "scaffolder/registry.h"
#include "scaffolder/tasks/task_store.h"
#include "template/template.h"

namespace idp::scaffolder::tasks {

struct TaskServiceOptions {
  std::string db_path;                    // the catalog's database file
  std::filesystem::path working_directory;  // backend.workingDirectory; empty: the OS temp dir
  unsigned concurrency = 10;              // scaffolder.concurrentTasksLimit; 0: no workers
  std::chrono::milliseconds heartbeat_interval{1000};
  // scaffolder.EXPERIMENTAL_recoverTasks / ...Timeout, checked every recover_interval.
  bool recover_tasks = false;
  std::chrono::milliseconds recover_timeout{30'000};
  std::chrono::milliseconds recover_interval{10'000};
  // scaffolder.taskTimeout / taskTimeoutJanitorFrequency.
  std::chrono::milliseconds task_timeout{24 * 3'600'000};
  std::chrono::milliseconds janitor_interval{5 * 60'000};
};

class TaskService {
 public:
  // The registry and engine must outlive the service.
  static Result<std::unique_ptr<TaskService>> Start(TaskServiceOptions options, const ActionRegistry& registry,
                                                    const tmpl::Engine& engine);
  ~TaskService();
  // Running tasks see their cancellation flag set and end; no new claims.
  void Stop();

  TaskStore& store() { return *store_; }
  const std::filesystem::path& working_directory() const { return options_.working_directory; }

  Result<std::string> Dispatch(const JsonValue& spec, const JsonValue* secrets,
                               const std::optional<std::string>& created_by);
  // The `cancelled` event, and the running task's flag.
  Status Cancel(const std::string& id);
  Status Retry(const std::string& id, const JsonValue* secrets);

  // Changes whenever an event is stored through this service: long polls
  // wait on it instead of polling the database.
  std::uint64_t generation() const;
  // Returns when generation() differs from `seen`, at `deadline`, or on Stop.
  void WaitForChange(std::uint64_t seen, std::chrono::steady_clock::time_point deadline) const;
  bool stopping() const { return stopping_.load(); }

  // One pass of recovery and of the janitor (tests, and the background thread).
  void Maintain(bool recover, bool janitor);

 private:
  TaskService(TaskServiceOptions options, std::unique_ptr<TaskStore> store, const ActionRegistry& registry,
              const tmpl::Engine& engine);
  void WorkerLoop();
  void MaintenanceLoop();
  void RunOne(ClaimedTask claimed);
  void Notify();

  TaskServiceOptions options_;
  std::unique_ptr<TaskStore> store_;
  const ActionRegistry& registry_;
  const tmpl::Engine& engine_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;  // events stored, tasks dispatched, stop
  std::uint64_t generation_ = 0;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> running_;  // task id -> cancel flag
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> workers_;
  std::thread maintenance_;
  friend class StoreSink;
};

}  // namespace idp::scaffolder::tasks
