// The scaffolder API under /api/scaffolder (Backstage's router, 4.0.2): the
// actions list, tasks (create, list, get, events by long poll and as
// server-sent events, cancel, retry), dry-run, a template's parameter schema
// and, for a Backstage backend module, one action run against a workspace.
//
// Threading: Handle() runs on the io threads. Long polls and event streams
// are answered later by one waiter thread, woken when a task stores events.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog.h"
#include "core/status.h"
#include "http/message.h"
#include "http/query_params.h"
#include "http/scaffolder_config.h"
#include "scaffolder/registry.h"
#include "scaffolder/tasks/task_service.h"
#include "template/template.h"

namespace idp::http {

class ScaffolderApi {
 public:
  // Starts the task workers on `db_path` (the catalog's file); templates are
  // read from `catalog`, which must outlive the API, and catalog:* actions
  // use it. catalog:register asks `check_location` first (the rules of
  // POST /locations) and runs `on_catalog_change` once it touched the catalog.
  static Result<std::unique_ptr<ScaffolderApi>> Open(
      const ScaffolderSettings& settings, const std::string& db_path, catalog::Catalog& catalog,
      std::function<Status(std::string_view type, std::string_view target)> check_location,
      std::function<void()> on_catalog_change);
  ~ScaffolderApi();
  // Answers every waiting long poll and stream, then stops the workers.
  void Stop();

  // `req.path` starts with /api/scaffolder/. Answers through `done` once.
  void Handle(const Request& req, Responder done);

 private:
  ScaffolderApi(const catalog::Catalog& catalog, std::filesystem::path working_directory);

  // One request whose answer waits for task events.
  struct Waiter {
    std::string task_id;
    std::optional<std::int64_t> after;
    bool stream = false;  // eventstream: until the completion; events: until any event (both 30 s at most)
    bool recoverable = false;
    std::chrono::steady_clock::time_point deadline;
    Responder done;
  };

  using Segments = std::vector<std::string>;
  // scaffolder_routes.cpp
  Response ListActions();
  Response CreateTask(const Request& req);
  Response ListTasks(const Request& req, const QueryParams& q);
  Response GetTask(const Request& req, const std::string& id);
  Response CancelTask(const Request& req, const std::string& id);
  Response RetryTask(const Request& req, const std::string& id);
  Response DryRun(const Request& req);
  Response ParameterSchema(const Request& req, const Segments& seg);
  Response RunAction(const Request& req, const std::string& id);
  // The template a ref names, checked as findTemplate/authorizeTemplate do.
  Result<Json> FindTemplate(const std::string& kind, const std::string& ns, const std::string& name, int& status,
                            std::string& error_name) const;
  // scaffolder_events.cpp
  void WatchEvents(const Request& req, const std::string& id, const QueryParams& q, bool stream, Responder done);
  // Answers `w` if its events are there (or `final`); true when answered.
  bool TryAnswer(Waiter& w, bool final);
  void WaiterLoop();

  const catalog::Catalog& catalog_;
  std::filesystem::path working_directory_;
  scaffolder::ActionRegistry registry_;
  tmpl::Engine engine_;
  std::unique_ptr<scaffolder::tasks::TaskService> tasks_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<Waiter> waiters_;
  std::thread waiter_thread_;
};

}  // namespace idp::http
