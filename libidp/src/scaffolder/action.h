// What an action is to the runner: an id, its description, input/output JSON
// Schemas, examples, dry-run support and a handler. Everything an action
// touches comes through ActionContext, so one C callback can stand behind
// any handler (input JSON in, workspace path, a logger, an output setter, a
// cancellation flag; Status out).
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/status.h"
#include "scaffolder/json_schema.h"

namespace idp::tmpl {
class Engine;
}

namespace idp::scaffolder {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Where the template came from: relative `url`s of fetch:* resolve against
// base_dir (Backstage's templateInfo.baseUrl, a file: location).
struct TemplateInfo {
  std::string entity_ref;          // "template:default/dry-run"
  std::filesystem::path base_dir;  // empty: relative urls cannot be resolved
};

// The runner's side of a context: the handler sees only ActionContext.
class StepHost {
 public:
  virtual ~StepHost() = default;
  virtual void Log(LogLevel level, std::string_view message, const JsonValue* meta) = 0;
  virtual void Output(std::string_view name, const JsonValue& value) = 0;
  virtual Result<std::filesystem::path> CreateTemporaryDirectory() = 0;
};

class ActionContext {
 public:
  ActionContext(const JsonValue& input, const JsonValue& secrets, const JsonValue& user,
                const std::filesystem::path& workspace, const TemplateInfo& template_info, std::string step_id,
                std::string step_name, std::string task_id, bool dry_run, const std::atomic<bool>& cancelled,
                const tmpl::Engine& engine, StepHost& host)
      : input_(input), secrets_(secrets), user_(user), workspace_(workspace), template_info_(template_info),
        step_id_(std::move(step_id)), step_name_(std::move(step_name)), task_id_(std::move(task_id)),
        dry_run_(dry_run), cancelled_(cancelled), engine_(engine), host_(host) {}

  const JsonValue& input() const { return input_; }
  const JsonValue& secrets() const { return secrets_; }  // {name: string}
  const JsonValue& user() const { return user_; }        // {entity?, ref?}
  const std::filesystem::path& workspace() const { return workspace_; }
  const TemplateInfo& template_info() const { return template_info_; }
  const std::string& step_id() const { return step_id_; }
  const std::string& step_name() const { return step_name_; }
  const std::string& task_id() const { return task_id_; }
  bool dry_run() const { return dry_run_; }
  // Long-running handlers poll this and return early (the runner then fails
  // the step as cancelled).
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  const std::atomic<bool>& cancel_flag() const { return cancelled_; }
  // The template engine fetch:template renders with (shared, thread-safe).
  const tmpl::Engine& engine() const { return engine_; }

  // Log lines are redacted (secrets and their renderings) before anyone sees them.
  void Log(LogLevel level, std::string_view message, const JsonValue* meta = nullptr) {
    host_.Log(level, message, meta);
  }
  void Info(std::string_view message) { host_.Log(LogLevel::kInfo, message, nullptr); }
  void Output(std::string_view name, const JsonValue& value) { host_.Output(name, value); }
  // `<workspace>_step-<stepId>-XXXXXX`, removed when the step ends.
  Result<std::filesystem::path> CreateTemporaryDirectory() { return host_.CreateTemporaryDirectory(); }

 private:
  const JsonValue& input_;
  const JsonValue& secrets_;
  const JsonValue& user_;
  const std::filesystem::path& workspace_;
  const TemplateInfo& template_info_;
  std::string step_id_, step_name_, task_id_;
  bool dry_run_;
  const std::atomic<bool>& cancelled_;
  const tmpl::Engine& engine_;
  StepHost& host_;
};

// A failing handler returns a Status; its code names Backstage's error class
// (ErrorName in errors.h): kInvalidArgument -> InputError, kNotAllowed ->
// NotAllowedError, kNotFound -> NotFoundError, others -> Error.
using ActionHandler = std::function<Status(ActionContext&)>;

struct ActionSpec {
  std::string id;
  std::string description;
  std::string input_schema_json;   // JSON Schema text, "" for none
  std::string output_schema_json;  // JSON Schema text, "" for none
  std::string examples_json = "[]";  // [{description?, example (YAML text), notes?}]
  bool supports_dry_run = false;
  ActionHandler handler;
};

// A registered action: the spec with its schemas parsed and compiled.
class Action {
 public:
  static Result<std::shared_ptr<const Action>> Create(ActionSpec spec);
  const std::string& id() const { return spec_.id; }
  const ActionSpec& spec() const { return spec_; }
  bool supports_dry_run() const { return spec_.supports_dry_run; }
  const CompiledSchema* input_schema() const { return input_.get(); }
  const JsonValue* output_schema() const { return output_.IsObject() ? &output_ : nullptr; }
  // The `GET /v2/actions` item: {id, description, examples, schema: {input?, output?}}.
  void AppendListing(JsonValue& array, JsonAllocator& a) const;
  Status Run(ActionContext& ctx) const { return spec_.handler(ctx); }

 private:
  ActionSpec spec_;
  std::shared_ptr<const CompiledSchema> input_;
  Json output_;
  Json examples_;
};

}  // namespace idp::scaffolder
