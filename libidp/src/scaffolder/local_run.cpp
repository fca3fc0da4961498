// GCC's -Wnull-dereference fires inside RapidJSON's pool allocator when a
// fresh Document gets members (a false positive, see location_entity.cpp).
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "scaffolder/local_run.h"

#include <system_error>

#include "scaffolder/parameters.h"
#include "scaffolder/template_model.h"
#include "scaffolder/workspace.h"

namespace idp::scaffolder {

namespace fs = std::filesystem;

Result<Json> RunLocally(const LocalRun& run, const ActionRegistry& registry, const tmpl::Engine& engine,
                        EventSink& events) {
  auto t = LoadTemplateFile(run.template_file);
  if (!t.ok()) return t.status();
  Json result(rapidjson::kObjectType);
  auto& a = result.GetAllocator();
  auto rejected = [&](Json errors) {
    result.AddMember("taskStatus", "rejected", a);
    result.AddMember("errors", JsonValue(errors, a), a);
    return std::move(result);
  };
  if (auto errors = ValidateValues(*t, run.values)) return rejected(std::move(*errors));
  if (auto errors = ValidateSecrets(*t, run.secrets)) return rejected(std::move(*errors));

  std::error_code ec;
  TaskSpec spec;
  spec.tmpl = &*t;
  spec.parameters.CopyFrom(run.values, spec.parameters.GetAllocator());
  const JsonValue* name = FindMember(t->metadata(), "name");
  spec.template_info.entity_ref = "template:default/" + std::string(name && name->IsString() ? AsView(*name) : "");
  spec.template_info.base_dir = fs::absolute(run.template_file, ec).parent_path();
  RunOptions options;
  options.registry = &registry;
  options.engine = &engine;
  options.workspace = fs::absolute(run.workspace, ec);
  options.keep_workspace = true;
  options.task_id = RandomUuid();
  options.secrets = &run.secrets;
  options.cancel = run.cancel;
  RunOutcome outcome = RunTask(spec, options, events);
  if (outcome.ok) {
    result.AddMember("taskStatus", "completed", a);
    result.AddMember("output", JsonValue(outcome.output, a), a);
  } else {
    result.AddMember("taskStatus", "failed", a);
    JsonValue err(rapidjson::kObjectType);
    err.AddMember("name", MakeString(outcome.error.name, a), a);
    err.AddMember("message", MakeString(outcome.error.message, a), a);
    result.AddMember("error", err, a);
  }
  return result;
}

Result<HttpAnswer> DryRunDirectory(const fs::path& template_dir, Json values, Json secrets,
                                   const ActionRegistry& registry, const tmpl::Engine& engine,
                                   const fs::path& working_directory) {
  std::error_code ec;
  const fs::path dir = fs::absolute(template_dir, ec);
  DryRunRequest request;
  // The editor sends the template as JSON: parse the YAML here.
  auto t = LoadTemplateFile(dir / "template.yaml");
  if (!t.ok()) return t.status();
  request.template_entity.CopyFrom(t->entity, request.template_entity.GetAllocator());
  request.values = std::move(values);
  request.secrets = std::move(secrets);
  auto files = SerializeDirectory(dir);
  if (!files.ok()) return files.status();
  request.directory_contents = std::move(*files);
  return DryRun(std::move(request), registry, engine, working_directory);
}

Json AnswerJson(const HttpAnswer& answer) {
  Json out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  out.AddMember("status", answer.status, a);
  out.AddMember("body", JsonValue(answer.body, a), a);
  return out;
}

}  // namespace idp::scaffolder
