// /api/scaffolder/v2/*: request -> handler, and every handler but the event
// watchers (scaffolder_events.cpp). Shapes and messages follow Backstage's
// scaffolder router (4.0.2); errors use its error middleware body with the
// url relative to the router, as Express reports it there.
#include "http/scaffolder_routes.h"

#include <stdlib.h>

#include <system_error>

#include "builtin.h"
#include "http/errors.h"
#include "http/json_io.h"
#include "http/path_match.h"
#include "scaffolder/dry_run.h"
#include "scaffolder/errors.h"
#include "scaffolder/parameters.h"
#include "scaffolder/redactor.h"
#include "scaffolder/runner.h"
#include "scaffolder/tasks/task_spec.h"
#include "scaffolder/template_model.h"

namespace idp::http {

namespace fs = std::filesystem;
namespace sc = idp::scaffolder;

namespace {

constexpr std::string_view kPrefix = "/api/scaffolder";

Response Error(const Request& req, std::string_view name, std::string_view message) {
  return ErrorResponse(req, sc::HttpStatusOf(std::string(name)), name, message);
}

Response StatusError(const Request& req, const Status& st) {
  const sc::ErrorInfo e = sc::ErrorFromStatus(st);
  return Error(req, e.name, e.message);
}

// The 400 of a values/secrets check: {errors: [...]}.
Response ValidationErrors(Json errors) {
  Json body(rapidjson::kObjectType);
  body.AddMember("errors", JsonValue(errors, body.GetAllocator()), body.GetAllocator());
  return JsonResponse(400, body);
}

// An object of strings, or nullopt with what is wrong.
std::optional<std::string> CheckStringRecord(const JsonValue* v, const char* field) {
  if (!v) return std::nullopt;
  if (!v->IsObject()) return std::string(field) + " must be an object";
  for (const auto& m : v->GetObject()) {
    if (!m.value.IsString()) return std::string(field) + "." + std::string(AsView(m.name)) + " must be a string";
  }
  return std::nullopt;
}

// The request's secrets plus backstageToken (the caller's bearer token), as
// the router stores them for the task.
Json TaskSecrets(const Request& req, const JsonValue* secrets) {
  Json out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  if (secrets && secrets->IsObject()) out.CopyFrom(*secrets, a);
  constexpr std::string_view kBearer = "Bearer ";
  if (req.authorization.size() > kBearer.size() && strncasecmp(req.authorization.data(), "bearer ", 7) == 0) {
    out.RemoveMember("backstageToken");
    out.AddMember("backstageToken", MakeString(req.authorization.substr(kBearer.size()), a), a);
  }
  return out;
}

// parseEntityRef with defaultKind template and namespace default.
bool ParseTemplateRef(std::string_view ref, std::string& kind, std::string& ns, std::string& name) {
  kind = "template";
  ns = "default";
  const std::size_t colon = ref.find(':');
  if (colon != std::string_view::npos) {
    kind = std::string(ref.substr(0, colon));
    ref.remove_prefix(colon + 1);
  }
  const std::size_t slash = ref.find('/');
  if (slash != std::string_view::npos) {
    ns = std::string(ref.substr(0, slash));
    ref.remove_prefix(slash + 1);
  }
  name = std::string(ref);
  return !kind.empty() && !ns.empty() && !name.empty() && name.find_first_of(":/") == std::string::npos;
}

// An action run's host: log lines (redacted) and outputs collected for the answer.
class RunHost : public sc::StepHost {
 public:
  RunHost(const JsonValue& secrets, fs::path workspace) : workspace_(std::move(workspace)) {
    redactor_.AddValues(secrets);
  }
  ~RunHost() override {
    for (const auto& d : tmp_dirs_) {
      std::error_code ec;
      fs::remove_all(d, ec);
    }
  }
  void Log(sc::LogLevel level, std::string_view message, const JsonValue* meta) override {
    if (level == sc::LogLevel::kDebug) return;
    static constexpr const char* kLevel[] = {"debug", "info", "warn", "error"};
    std::string line = std::string(kLevel[static_cast<int>(level)]) + ": " + std::string(message);
    if (meta && !(meta->IsObject() && meta->MemberCount() == 0)) line += " " + ToJsonString(*meta);
    auto& a = log_.GetAllocator();
    JsonValue body(rapidjson::kObjectType);
    body.AddMember("message", MakeString(redactor_.Apply(line), a), a);
    JsonValue item(rapidjson::kObjectType);
    item.AddMember("body", body, a);
    log_.PushBack(item, a);
  }
  void Output(std::string_view name, const JsonValue& value) override {
    auto& a = output_.GetAllocator();
    if (output_.HasMember(std::string(name))) output_.RemoveMember(std::string(name));
    output_.AddMember(MakeString(name, a), JsonValue(value, a), a);
  }
  Result<fs::path> CreateTemporaryDirectory() override {
    std::string templ = workspace_.string() + "_step-run-XXXXXX";
    if (!mkdtemp(templ.data())) return Status(Code::kIo, "cannot create a temporary directory next to the workspace");
    tmp_dirs_.emplace_back(templ);
    return tmp_dirs_.back();
  }
  Json& output() { return output_; }
  Json& log() { return log_; }
  sc::Redactor& redactor() { return redactor_; }

 private:
  fs::path workspace_;
  sc::Redactor redactor_;
  Json output_{rapidjson::kObjectType};
  Json log_{rapidjson::kArrayType};
  std::vector<fs::path> tmp_dirs_;
};

}  // namespace

ScaffolderApi::ScaffolderApi(const catalog::Catalog& catalog, fs::path working_directory)
    : catalog_(catalog), working_directory_(std::move(working_directory)) {}

Result<std::unique_ptr<ScaffolderApi>> ScaffolderApi::Open(const ScaffolderSettings& settings,
                                                           const std::string& db_path,
                                                           catalog::Catalog& catalog,
                                                           sc::actions::LocationCheck check_location,
                                                           std::function<void()> on_catalog_change) {
  std::error_code ec;
  fs::path wd = settings.working_directory.empty() ? fs::temp_directory_path(ec) : settings.working_directory;
  fs::create_directories(wd, ec);
  if (ec) return Status(Code::kIo, wd.string() + ": cannot create the scaffolder working directory: " + ec.message());
  wd = fs::canonical(wd, ec);
  std::unique_ptr<ScaffolderApi> api(new ScaffolderApi(catalog, wd));
  // The task workers run in this process: catalog:* use the catalog the API serves.
  sc::actions::BuiltinOptions actions;
  actions.catalog = &catalog;
  actions.on_catalog_change = std::move(on_catalog_change);
  actions.check_location = std::move(check_location);
  if (settings.publish) actions.publish = *settings.publish;
  if (Status st = sc::actions::RegisterAllActions(api->registry_, std::move(actions)); !st.ok()) return st;
  sc::tasks::TaskServiceOptions o;
  o.db_path = db_path;
  o.working_directory = wd;
  o.concurrency = settings.concurrency;
  o.recover_tasks = settings.recover_tasks;
  o.recover_timeout = settings.recover_timeout;
  o.task_timeout = settings.task_timeout;
  o.janitor_interval = settings.janitor_interval;
  auto tasks = sc::tasks::TaskService::Start(std::move(o), api->registry_, api->engine_);
  if (!tasks.ok()) return tasks.status();
  api->tasks_ = std::move(tasks).value();
  api->waiter_thread_ = std::thread([self = api.get()] { self->WaiterLoop(); });
  return api;
}

ScaffolderApi::~ScaffolderApi() { Stop(); }

void ScaffolderApi::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (waiter_thread_.joinable()) waiter_thread_.join();
  if (tasks_) tasks_->Stop();
}

void ScaffolderApi::Handle(const Request& in, Responder done) {
  Request req = in;
  req.target = in.target.substr(kPrefix.size());  // Express reports the url below the router
  Segments seg;
  std::string_view rest = in.path.substr(kPrefix.size() + 1);
  while (true) {
    const std::size_t slash = rest.find('/');
    std::optional<std::string> s = PercentDecode(rest.substr(0, slash), false);
    if (!s) return done(Error(req, "InputError", "Malformed percent-encoding in the path"));
    seg.push_back(std::move(*s));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (seg.size() > 1 && seg.back().empty()) seg.pop_back();
  QueryParams q;
  if (!q.Parse(req.query)) return done(Error(req, "InputError", "Malformed percent-encoding in the query string"));
  const bool get = req.method == "GET", post = req.method == "POST";
  if (Is(seg, {"v2", "actions"}) && get) return done(ListActions());
  if (Is(seg, {"v2", "actions", "", "run"}) && post) return done(RunAction(req, seg[2]));
  if (Is(seg, {"v2", "tasks"}) && post) return done(CreateTask(req));
  if (Is(seg, {"v2", "tasks"}) && get) return done(ListTasks(req, q));
  if (Is(seg, {"v2", "tasks", ""}) && get) return done(GetTask(req, seg[2]));
  if (Is(seg, {"v2", "tasks", "", "events"}) && get) return WatchEvents(req, seg[2], q, false, std::move(done));
  if (Is(seg, {"v2", "tasks", "", "eventstream"}) && get) return WatchEvents(req, seg[2], q, true, std::move(done));
  if (Is(seg, {"v2", "tasks", "", "cancel"}) && post) return done(CancelTask(req, seg[2]));
  if (Is(seg, {"v2", "tasks", "", "retry"}) && post) return done(RetryTask(req, seg[2]));
  if (Is(seg, {"v2", "dry-run"}) && post) return done(DryRun(req));
  if (Is(seg, {"v2", "templates", "", "", "", "parameter-schema"}) && get) return done(ParameterSchema(req, seg));
  done(BareNotFound());
}

Response ScaffolderApi::ListActions() { return JsonResponse(200, registry_.List()); }

Result<Json> ScaffolderApi::FindTemplate(const std::string& kind, const std::string& ns, const std::string& name,
                                         int& status, std::string& error_name) const {
  auto fail = [&](int code, const char* ename, std::string message) -> Result<Json> {
    status = code;
    error_name = ename;
    return Status(Code::kInvalid, std::move(message));
  };
  if (ToLower(kind) != "template") return fail(400, "InputError", "Invalid kind, only 'Template' kind is supported");
  auto entity = catalog_.GetByRef("template:" + ToLower(ns) + "/" + ToLower(name));
  if (!entity.ok()) return fail(500, "Error", entity.status().message());
  if (!entity->has_value()) return fail(404, "NotFoundError", "Template " + kind + ":" + ns + "/" + name + " not found");
  Json t = std::move(**entity);
  const JsonValue* api = FindMember(t, "apiVersion");
  if (!api || !api->IsString() || AsView(*api) != sc::kTemplateApiVersion) {
    return fail(400, "InputError", "Unsupported apiVersion field in schema entity, " +
                                       (api && api->IsString() ? std::string(AsView(*api)) : std::string("undefined")));
  }
  return t;
}

Response ScaffolderApi::CreateTask(const Request& req) {
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return *bad;
  if (!body.IsObject()) return Error(req, "InputError", "The request body must be an object");
  const JsonValue* ref = FindMember(body, "templateRef");
  if (!ref || !ref->IsString()) return Error(req, "InputError", "Invalid templateRef, expected a string");
  std::string kind, ns, name;
  if (!ParseTemplateRef(AsView(*ref), kind, ns, name)) {
    return Error(req, "InputError", "Invalid entity ref '" + std::string(AsView(*ref)) + "'");
  }
  int status = 0;
  std::string error_name;
  auto entity = FindTemplate(kind, ns, name, status, error_name);
  if (!entity.ok()) return ErrorResponse(req, status, error_name, entity.status().message());
  const std::string base_url = sc::tasks::EntityBaseUrl(*entity);
  auto t = sc::ParseTemplate(std::move(entity).value());
  if (!t.ok()) return Error(req, "InputError", t.status().message());
  Json values(rapidjson::kObjectType);
  if (const JsonValue* v = FindMember(body, "values")) {
    if (!v->IsObject()) return Error(req, "InputError", "values must be an object");
    values.CopyFrom(*v, values.GetAllocator());
  }
  const JsonValue* secrets = FindMember(body, "secrets");
  if (auto bad = CheckStringRecord(secrets, "secrets")) return Error(req, "InputError", *bad);
  if (auto errors = sc::ValidateValues(*t, values)) return ValidationErrors(std::move(*errors));
  const Json empty(rapidjson::kObjectType);
  if (auto errors = sc::ValidateSecrets(*t, secrets ? *secrets : static_cast<const JsonValue&>(empty))) {
    return ValidationErrors(std::move(*errors));
  }
  const Json user(rapidjson::kObjectType);  // static tokens are no user principal
  Json spec = sc::tasks::BuildTaskSpec(*t, values, user, ToLower(kind) + ":" + ToLower(ns) + "/" + ToLower(name),
                                       base_url);
  const Json stored = TaskSecrets(req, secrets);
  auto id = tasks_->Dispatch(spec, &stored, std::nullopt);
  if (!id.ok()) return StatusError(req, id.status());
  Json out(rapidjson::kObjectType);
  out.AddMember("id", MakeString(*id, out.GetAllocator()), out.GetAllocator());
  return JsonResponse(201, out);
}

Response ScaffolderApi::ListTasks(const Request& req, const QueryParams& q) {
  sc::tasks::ListOptions o;
  for (std::string_view v : q.All("createdBy")) o.created_by.emplace_back(v);
  for (std::string_view v : q.All("status")) o.status.emplace_back(v);
  for (std::string_view v : q.All("order")) {
    const std::size_t colon = v.find(':');
    const std::string_view dir = v.substr(0, colon);
    if (colon == std::string_view::npos || (dir != "asc" && dir != "desc") || colon + 1 == v.size()) {
      return Error(req, "InputError",
                   "Invalid order parameter \"" + std::string(v) + "\", expected \"<asc or desc>:<field name>\"");
    }
    const std::string field(v.substr(colon + 1));
    if (field != "created_at" && field != "status" && field != "created_by" && field != "id" &&
        field != "last_heartbeat_at") {
      return Error(req, "InputError", "Invalid order field \"" + field + "\"");
    }
    o.order.emplace_back(field, dir == "asc");
  }
  for (const char* key : {"limit", "offset"}) {
    const std::string* v = q.First(key);
    if (!v) continue;
    char* end = nullptr;
    const long long n = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || n < 0) {
      return Error(req, "InputError", std::string("Invalid ") + key + ", expected a non-negative integer");
    }
    (std::string_view(key) == "limit" ? o.limit : o.offset) = n;
  }
  auto list = tasks_->store().List(o);
  if (!list.ok()) return StatusError(req, list.status());
  Json out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  JsonValue tasks(rapidjson::kArrayType);
  for (const auto& t : list->tasks) tasks.PushBack(sc::tasks::TaskToJson(t, a), a);
  out.AddMember("tasks", tasks, a);
  out.AddMember("totalTasks", list->total, a);
  return JsonResponse(200, out);
}

Response ScaffolderApi::GetTask(const Request& req, const std::string& id) {
  auto task = tasks_->store().Get(id);
  if (!task.ok()) return StatusError(req, task.status());
  if (!*task) return Error(req, "NotFoundError", "No task with id '" + id + "' found");
  Json out;
  static_cast<JsonValue&>(out) = sc::tasks::TaskToJson(**task, out.GetAllocator());
  return JsonResponse(200, out);
}

Response ScaffolderApi::CancelTask(const Request& req, const std::string& id) {
  auto task = tasks_->store().Get(id);
  if (!task.ok()) return StatusError(req, task.status());
  if (!*task) return Error(req, "NotFoundError", "No task with id '" + id + "' found");
  if (Status st = tasks_->Cancel(id); !st.ok()) return StatusError(req, st);
  Json out(rapidjson::kObjectType);
  out.AddMember("status", "cancelled", out.GetAllocator());
  return JsonResponse(200, out);
}

Response ScaffolderApi::RetryTask(const Request& req, const std::string& id) {
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return *bad;
  auto task = tasks_->store().Get(id);
  if (!task.ok()) return StatusError(req, task.status());
  if (!*task) return Error(req, "NotFoundError", "No task with id '" + id + "' found");
  const std::string& status = (*task)->status;
  // 4.2.0's rule: a task still open or running is not retried under its worker.
  if (status != "completed" && status != "failed" && status != "cancelled") {
    return Error(req, "ConflictError", "Task with taskId " + id + " cannot be retried");
  }
  const JsonValue* secrets = body.IsObject() ? FindMember(body, "secrets") : nullptr;
  if (auto bad = CheckStringRecord(secrets, "secrets")) return Error(req, "InputError", *bad);
  const JsonValue& spec = (*task)->spec;
  const JsonValue* info = spec.IsObject() ? FindMember(spec, "templateInfo") : nullptr;
  const JsonValue* ref = info && info->IsObject() ? FindMember(*info, "entityRef") : nullptr;
  if (ref && ref->IsString()) {
    std::string kind, ns, name;
    if (ParseTemplateRef(AsView(*ref), kind, ns, name)) {
      int code = 0;
      std::string error_name;
      auto entity = FindTemplate(kind, ns, name, code, error_name);
      if (!entity.ok()) return ErrorResponse(req, code, error_name, entity.status().message());
      auto t = sc::ParseTemplate(std::move(entity).value());
      if (!t.ok()) return Error(req, "InputError", t.status().message());
      const Json empty(rapidjson::kObjectType);
      if (auto errors = sc::ValidateSecrets(*t, secrets ? *secrets : static_cast<const JsonValue&>(empty))) {
        return ValidationErrors(std::move(*errors));
      }
    }
  }
  const Json stored = TaskSecrets(req, secrets);
  if (Status st = tasks_->Retry(id, &stored); !st.ok()) return StatusError(req, st);
  Json out(rapidjson::kObjectType);
  out.AddMember("id", MakeString(id, out.GetAllocator()), out.GetAllocator());
  return JsonResponse(201, out);
}

Response ScaffolderApi::DryRun(const Request& req) {
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return *bad;
  auto malformed = [&](const std::string& what) { return Error(req, "InputError", "Malformed request: " + what); };
  if (!body.IsObject()) return malformed("the body must be an object");
  sc::DryRunRequest r;
  const JsonValue* tmpl = FindMember(body, "template");
  if (!tmpl) return malformed("template is required");
  r.template_entity.CopyFrom(*tmpl, r.template_entity.GetAllocator());
  const JsonValue* values = FindMember(body, "values");
  if (!values || !values->IsObject()) return malformed("values must be an object");
  r.values.CopyFrom(*values, r.values.GetAllocator());
  const JsonValue* secrets = FindMember(body, "secrets");
  if (auto bad = CheckStringRecord(secrets, "secrets")) return malformed(*bad);
  if (secrets) r.secrets.CopyFrom(*secrets, r.secrets.GetAllocator());
  const JsonValue* contents = FindMember(body, "directoryContents");
  if (!contents || !contents->IsArray()) return malformed("directoryContents must be an array");
  for (rapidjson::SizeType i = 0; i < contents->Size(); ++i) {
    const JsonValue& item = (*contents)[i];
    const std::string field = "directoryContents[" + std::to_string(i) + "]";
    const JsonValue* path = item.IsObject() ? FindMember(item, "path") : nullptr;
    const JsonValue* content = item.IsObject() ? FindMember(item, "base64Content") : nullptr;
    if (!path || !path->IsString()) return malformed(field + ".path must be a string");
    if (!content || !content->IsString()) return malformed(field + ".base64Content must be a string");
    std::optional<std::string> bytes = Base64Decode(AsView(*content));
    if (!bytes) return malformed(field + ".base64Content is not base64");
    sc::FileEntry f;
    f.path = std::string(AsView(*path));
    f.content = std::move(*bytes);
    r.directory_contents.push_back(std::move(f));
  }
  sc::HttpAnswer answer = sc::DryRun(std::move(r), registry_, engine_, working_directory_);
  return JsonResponse(answer.status, answer.body);
}

Response ScaffolderApi::ParameterSchema(const Request& req, const Segments& seg) {
  int code = 0;
  std::string error_name;
  auto entity = FindTemplate(seg[3], seg[2], seg[4], code, error_name);
  if (!entity.ok()) return ErrorResponse(req, code, error_name, entity.status().message());
  const JsonValue& t = *entity;
  const JsonValue& metadata = t["metadata"];
  const JsonValue* spec = FindMember(t, "spec");
  Json out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  const JsonValue* title = FindMember(metadata, "title");
  out.AddMember("title", JsonValue(title && !title->IsNull() ? *title : metadata["name"], a), a);
  auto copy = [&](const JsonValue* from, const char* key, const char* as) {
    const JsonValue* v = from && from->IsObject() ? FindMember(*from, key) : nullptr;
    if (v) out.AddMember(JsonValue(as, a), JsonValue(*v, a), a);
  };
  copy(spec, "presentation", "presentation");
  copy(&metadata, "description", "description");
  copy(&metadata, "ui:options", "ui:options");
  JsonValue steps(rapidjson::kArrayType);
  const JsonValue* params = spec && spec->IsObject() ? FindMember(*spec, "parameters") : nullptr;
  auto add_page = [&](const JsonValue& page) {
    JsonValue step(rapidjson::kObjectType);
    const JsonValue* page_title = page.IsObject() ? FindMember(page, "title") : nullptr;
    step.AddMember("title",
                   page_title && !page_title->IsNull() ? JsonValue(*page_title, a)
                                                       : JsonValue("Please enter the following information", a),
                   a);
    if (const JsonValue* d = page.IsObject() ? FindMember(page, "description") : nullptr) {
      step.AddMember("description", JsonValue(*d, a), a);
    }
    step.AddMember("schema", JsonValue(page, a), a);
    steps.PushBack(step, a);
  };
  if (params && params->IsArray()) {
    for (const auto& page : params->GetArray()) add_page(page);
  } else if (params && !params->IsNull()) {
    add_page(*params);
  }
  out.AddMember("steps", steps, a);
  const JsonValue* decorators = spec && spec->IsObject() ? FindMember(*spec, "formDecorators") : nullptr;
  if (!decorators && spec && spec->IsObject()) decorators = FindMember(*spec, "EXPERIMENTAL_formDecorators");
  if (decorators) out.AddMember("formDecorators", JsonValue(*decorators, a), a);
  return JsonResponse(200, out);
}

Response ScaffolderApi::RunAction(const Request& req, const std::string& id) {
  auto action = registry_.Find(id);
  if (!action) return Error(req, "NotFoundError", sc::UnknownActionMessage(id));
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return *bad;
  if (!body.IsObject()) return Error(req, "InputError", "The request body must be an object");
  const JsonValue* ws = FindMember(body, "workspacePath");
  if (!ws || !ws->IsString() || ws->GetStringLength() == 0) {
    return Error(req, "InputError", "workspacePath must be a directory path under the scaffolder working directory");
  }
  // The workspace must lie under the working directory, links resolved:
  // this endpoint writes nowhere else.
  std::error_code ec;
  fs::path requested(std::string(AsView(*ws)));
  if (requested.is_relative()) requested = working_directory_ / requested;
  const fs::path resolved = fs::weakly_canonical(requested, ec);
  const fs::path rel = resolved.lexically_relative(working_directory_);
  if (ec || rel.empty() || *rel.begin() == ".." || rel == ".") {
    return Error(req, "NotAllowedError",
                 "Workspace " + std::string(AsView(*ws)) + " is not inside the scaffolder working directory");
  }
  fs::create_directories(resolved, ec);
  if (ec) return Error(req, "Error", "cannot create the workspace: " + ec.message());
  Json input(rapidjson::kObjectType);
  if (const JsonValue* in = FindMember(body, "input")) {
    if (!in->IsObject()) return Error(req, "InputError", "input must be an object");
    input.CopyFrom(*in, input.GetAllocator());
  }
  const JsonValue* secrets = FindMember(body, "secrets");
  if (auto bad = CheckStringRecord(secrets, "secrets")) return Error(req, "InputError", *bad);
  Json secret_values(rapidjson::kObjectType);
  if (secrets) secret_values.CopyFrom(*secrets, secret_values.GetAllocator());
  bool dry_run = false;
  if (const JsonValue* d = FindMember(body, "dryRun")) {
    if (!d->IsBool()) return Error(req, "InputError", "dryRun must be true or false");
    dry_run = d->GetBool();
  }
  if (const sc::CompiledSchema* schema = action->input_schema()) {
    Json errors = schema->Validate(&input);
    if (!errors.Empty()) {
      return Error(req, "InputError", "Invalid input passed to action " + id + ", " + sc::JoinErrorStacks(errors));
    }
  }
  sc::TemplateInfo info;
  Json user(rapidjson::kObjectType);
  if (const JsonValue* ti = FindMember(body, "templateInfo"); ti && ti->IsObject()) {
    if (const JsonValue* r = FindMember(*ti, "entityRef"); r && r->IsString()) info.entity_ref = AsView(*r);
    const JsonValue* url = FindMember(*ti, "baseUrl");
    if (url && url->IsString() && AsView(*url).starts_with("file://")) {
      std::string_view u = AsView(*url).substr(7);
      info.base_dir = u.ends_with('/') ? fs::path(u) : fs::path(u).parent_path();
    }
  }
  if (const JsonValue* u = FindMember(body, "user"); u && u->IsObject()) user.CopyFrom(*u, user.GetAllocator());

  RunHost host(secret_values, resolved);
  Status st;
  if (dry_run && !action->supports_dry_run()) {
    // As a dry-run step: skipped, with the output schema's example.
    if (const JsonValue* schema = action->output_schema()) {
      JsonValue example;
      sc::ExampleOutput(*schema, example, host.output().GetAllocator());
      if (example.IsObject()) {
        for (auto& m : example.GetObject()) host.Output(AsView(m.name), m.value);
      }
    }
  } else {
    const std::atomic<bool> never{false};
    sc::ActionContext ctx(input, secret_values, user, resolved, info, "run", id, "run-" + sc::RandomUuid(), dry_run,
                          never, engine_, host);
    try {
      st = action->Run(ctx);
    } catch (const std::exception& e) {
      st = Status(Code::kInternal, e.what());
    }
  }
  if (!st.ok()) {
    sc::ErrorInfo e = sc::ErrorFromStatus(st);
    return Error(req, e.name, host.redactor().Apply(e.message));
  }
  Json out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  out.AddMember("output", JsonValue(host.output(), a), a);
  out.AddMember("log", JsonValue(host.log(), a), a);
  return JsonResponse(200, out);
}

}  // namespace idp::http
