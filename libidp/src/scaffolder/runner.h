// The workflow runner: Backstage's NunjucksWorkflowRunner (4.0.2) natively.
// Steps run in order with `if`/`each`, inputs rendered by the value rule and
// validated against the action's schema, outputs collected into
// steps.<id>.output, secrets only in inputs and never in events, spec.output
// rendered at the end. A task store, worker pool and HTTP layer sit on top:
// they hand a TaskSpec in and receive events through an EventSink.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"
#include "scaffolder/action.h"
#include "scaffolder/errors.h"
#include "scaffolder/registry.h"
#include "scaffolder/template_model.h"
#include "template/template.h"

namespace idp::scaffolder {

struct TaskEvent {
  std::string type;  // "log" | "completion" | "cancelled"
  Json body;         // {message, stepId?, status?, output?, error?}
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void Emit(TaskEvent event) = 0;
};

// An EventSink keeping everything (dry-run, tests, the CLI).
class EventLog : public EventSink {
 public:
  void Emit(TaskEvent event) override { events.push_back(std::move(event)); }
  std::vector<TaskEvent> events;
};

struct TaskSpec {
  const TemplateEntity* tmpl = nullptr;  // steps and spec.output
  Json parameters{rapidjson::kObjectType};
  Json user{rapidjson::kObjectType};  // {entity?, ref?}
  TemplateInfo template_info;
};

struct RunOptions {
  const ActionRegistry* registry = nullptr;
  const tmpl::Engine* engine = nullptr;
  std::filesystem::path workspace;   // created if missing
  bool keep_workspace = false;       // Backstage removes it when the run ends
  std::string task_id;
  bool dry_run = false;
  const JsonValue* secrets = nullptr;        // {name: string}
  const std::atomic<bool>* cancel = nullptr; // set to cancel the run
  // Steps the caller runs after these, counted in "Starting up task with N
  // steps" (the dry-runner's own extraction step).
  int trailing_steps = 0;
};

struct RunOutcome {
  bool ok = false;
  Json output{rapidjson::kObjectType};  // the rendered spec.output when ok
  ErrorInfo error;                      // the first failing step's error
};

// Emits the task's events (never a secret) and answers the outcome. The
// completion event is the caller's: a task store words it.
RunOutcome RunTask(const TaskSpec& spec, const RunOptions& options, EventSink& events);

// Backstage's generateExampleOutput: what a skipped dry-run step outputs.
void ExampleOutput(const JsonValue& schema, JsonValue& out, JsonAllocator& a);

}  // namespace idp::scaffolder
