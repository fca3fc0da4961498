#include "scaffolder/dry_run.h"

#include <random>
#include <system_error>

#include "scaffolder/parameters.h"
#include "scaffolder/runner.h"
#include "scaffolder/template_model.h"
#include "store/cursor.h"

namespace idp::scaffolder {

namespace fs = std::filesystem;

std::string RandomUuid() {
  std::random_device rd;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string out;
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) out += '-';
    else if (i == 14) out += '4';
    else if (i == 19) out += kDigits[8 + hex(rd) % 4];
    else out += kDigits[hex(rd)];
  }
  return out;
}

Json ErrorBody(const std::string& name, const std::string& message, int status, const char* method, const char* url) {
  Json body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  JsonValue error(rapidjson::kObjectType);
  error.AddMember("name", MakeString(name, a), a);
  error.AddMember("message", MakeString(message, a), a);
  body.AddMember("error", error, a);
  JsonValue request(rapidjson::kObjectType);
  request.AddMember("method", MakeString(method, a), a);
  request.AddMember("url", MakeString(url, a), a);
  body.AddMember("request", request, a);
  JsonValue response(rapidjson::kObjectType);
  response.AddMember("statusCode", status, a);
  body.AddMember("response", response, a);
  return body;
}

namespace {

HttpAnswer Error(const std::string& name, const std::string& message) {
  const int status = HttpStatusOf(name);
  return {status, ErrorBody(name, message, status, "POST", "/v2/dry-run")};
}

// The steps as the router passes them on: ids and names defaulted.
JsonValue StepsWithDefaults(const TemplateEntity& t, JsonAllocator& a) {
  JsonValue out(rapidjson::kArrayType);
  const JsonValue& steps = t.entity["spec"]["steps"];
  for (rapidjson::SizeType i = 0; i < steps.Size(); ++i) {
    JsonValue s(steps[i], a);
    const StepSpec& spec = t.steps[i];
    if (s.HasMember("id")) s["id"] = MakeString(spec.id, a);
    else s.AddMember("id", MakeString(spec.id, a), a);
    if (s.HasMember("name")) s["name"] = MakeString(spec.name, a);
    else s.AddMember("name", MakeString(spec.name, a), a);
    out.PushBack(s, a);
  }
  return out;
}

}  // namespace

HttpAnswer DryRun(DryRunRequest request, const ActionRegistry& registry, const tmpl::Engine& engine,
                  const fs::path& working_directory) {
  auto parsed = ParseTemplate(std::move(request.template_entity));
  if (!parsed.ok()) return Error("InputError", "Input template is not a template: " + parsed.status().message());
  const TemplateEntity& t = *parsed;
  if (!request.values.IsObject()) return Error("InputError", "values must be an object");
  if (!request.secrets.IsObject()) return Error("InputError", "secrets must be an object");
  for (const auto& m : request.secrets.GetObject()) {
    if (!m.value.IsString()) return Error("InputError", "secrets." + std::string(AsView(m.name)) + " must be a string");
  }
  auto errors_body = [](Json errors) {
    HttpAnswer answer{400, Json(rapidjson::kObjectType)};
    auto& a = answer.body.GetAllocator();
    answer.body.AddMember("errors", JsonValue(errors, a), a);
    return answer;
  };
  if (auto errors = ValidateValues(t, request.values)) return errors_body(std::move(*errors));
  if (auto errors = ValidateSecrets(t, request.secrets)) return errors_body(std::move(*errors));

  const std::string id = RandomUuid();
  const fs::path contents = working_directory / ("dry-run-content-" + id);
  const fs::path workspace = working_directory / ("dry-run-" + id);
  struct Cleanup {
    fs::path a, b;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(a, ec);
      fs::remove_all(b, ec);
    }
  } cleanup{contents, workspace};
  if (Status st = DeserializeDirectory(contents, request.directory_contents); !st.ok()) {
    ErrorInfo e = ErrorFromStatus(st);
    return Error(e.name, e.message);
  }

  TaskSpec spec;
  spec.tmpl = &t;
  spec.parameters.CopyFrom(request.values, spec.parameters.GetAllocator());
  spec.template_info.entity_ref = "template:default/dry-run";
  spec.template_info.base_dir = contents;
  RunOptions options;
  options.registry = &registry;
  options.engine = &engine;
  options.workspace = workspace;
  options.keep_workspace = true;
  options.task_id = "dry-run-" + id;
  options.dry_run = true;
  options.trailing_steps = 1;  // Backstage appends a step serialising the workspace
  options.secrets = &request.secrets;
  EventLog log;
  RunOutcome outcome = RunTask(spec, options, log);
  if (!outcome.ok) return Error(outcome.error.name, outcome.error.message);
  auto files = SerializeDirectory(workspace);
  if (!files.ok()) {
    ErrorInfo e = ErrorFromStatus(files.status());
    return Error(e.name, e.message);
  }

  HttpAnswer answer{200, Json(rapidjson::kObjectType)};
  auto& a = answer.body.GetAllocator();
  JsonValue log_array(rapidjson::kArrayType);
  for (const auto& e : log.events) {
    JsonValue body(rapidjson::kObjectType);
    for (const char* key : {"stepId", "status"}) {
      if (const JsonValue* v = FindMember(e.body, key)) body.AddMember(JsonValue(key, a), JsonValue(*v, a), a);
    }
    body.AddMember("message", JsonValue(e.body["message"], a), a);
    JsonValue item(rapidjson::kObjectType);
    item.AddMember("body", body, a);
    log_array.PushBack(item, a);
  }
  answer.body.AddMember("log", log_array, a);
  JsonValue dir(rapidjson::kArrayType);
  for (const auto& f : *files) {
    JsonValue item(rapidjson::kObjectType);
    item.AddMember("path", MakeString(f.path, a), a);
    item.AddMember("executable", f.executable, a);
    item.AddMember("base64Content", MakeString(store::Base64Encode(f.content), a), a);
    dir.PushBack(item, a);
  }
  answer.body.AddMember("directoryContents", dir, a);
  answer.body.AddMember("output", JsonValue(outcome.output, a), a);
  answer.body.AddMember("steps", StepsWithDefaults(t, a), a);
  return answer;
}

}  // namespace idp::scaffolder
