#include "scaffolder/tasks/task_service.h"

#include <cstdio>
#include <system_error>

#include "scaffolder/runner.h"
#include "scaffolder/template_model.h"

namespace idp::scaffolder::tasks {

namespace fs = std::filesystem;

// Stores the runner's events as the task's rows and wakes the long polls.
class StoreSink : public EventSink {
 public:
  StoreSink(TaskService& service, std::string id) : service_(service), id_(std::move(id)) {}
  void Emit(TaskEvent event) override {
    auto stored = service_.store_->AppendEvent(id_, event.type, event.body);
    // A full disk must not end the run: the completion may still be stored.
    if (!stored.ok()) std::fprintf(stderr, "scaffolder: task %s: %s\n", id_.c_str(), stored.status().message().c_str());
    service_.Notify();
  }

 private:
  TaskService& service_;
  std::string id_;
};

namespace {

struct RunFailure {
  std::string name, message;
};

// The Template the runner needs, rebuilt from the stored task spec (steps,
// output, the template's metadata): the spec is all a task keeps.
Result<TemplateEntity> TemplateFromSpec(const JsonValue& spec) {
  Json entity(rapidjson::kObjectType);
  auto& a = entity.GetAllocator();
  entity.AddMember("apiVersion", JsonValue(spec["apiVersion"], a), a);
  entity.AddMember("kind", "Template", a);
  JsonValue metadata(rapidjson::kObjectType);
  if (const JsonValue* info = FindMember(spec, "templateInfo"); info && info->IsObject()) {
    if (const JsonValue* e = FindMember(*info, "entity"); e && e->IsObject()) {
      if (const JsonValue* m = FindMember(*e, "metadata"); m && m->IsObject()) metadata.CopyFrom(*m, a);
    }
  }
  if (!metadata.HasMember("name")) metadata.AddMember("name", "task", a);
  entity.AddMember("metadata", metadata, a);
  JsonValue body(rapidjson::kObjectType);
  body.AddMember("type", "task", a);
  const JsonValue* steps = FindMember(spec, "steps");
  body.AddMember("steps", steps ? JsonValue(*steps, a) : JsonValue(rapidjson::kArrayType), a);
  if (const JsonValue* output = FindMember(spec, "output")) body.AddMember("output", JsonValue(*output, a), a);
  entity.AddMember("spec", body, a);
  return ParseTemplate(std::move(entity), "task spec");
}

// templateInfo.baseUrl (`file:///dir/template.yaml` or `file:///dir/`) as
// the directory relative fetch urls resolve against.
fs::path BaseDir(const JsonValue& spec) {
  const JsonValue* info = FindMember(spec, "templateInfo");
  const JsonValue* url = info && info->IsObject() ? FindMember(*info, "baseUrl") : nullptr;
  if (!url || !url->IsString()) return {};
  std::string_view u = AsView(*url);
  if (!u.starts_with("file://")) return {};
  u.remove_prefix(7);
  if (u.ends_with('/')) return fs::path(u);
  return fs::path(u).parent_path();
}

std::string StringAt(const JsonValue& spec, const char* object, const char* key) {
  const JsonValue* o = FindMember(spec, object);
  const JsonValue* v = o && o->IsObject() ? FindMember(*o, key) : nullptr;
  return v && v->IsString() ? std::string(AsView(*v)) : std::string();
}

}  // namespace

TaskService::TaskService(TaskServiceOptions options, std::unique_ptr<TaskStore> store, const ActionRegistry& registry,
                         const tmpl::Engine& engine)
    : options_(std::move(options)), store_(std::move(store)), registry_(registry), engine_(engine) {}

Result<std::unique_ptr<TaskService>> TaskService::Start(TaskServiceOptions options, const ActionRegistry& registry,
                                                        const tmpl::Engine& engine) {
  std::error_code ec;
  if (options.working_directory.empty()) options.working_directory = fs::temp_directory_path(ec);
  fs::create_directories(options.working_directory, ec);
  if (ec) {
    return Status(Code::kIo, options.working_directory.string() + ": cannot create the scaffolder working directory: " +
                                 ec.message());
  }
  options.working_directory = fs::canonical(options.working_directory, ec);
  auto store = TaskStore::Open(options.db_path);
  if (!store.ok()) return store.status();
  std::unique_ptr<TaskService> s(new TaskService(std::move(options), std::move(store).value(), registry, engine));
  // Before any worker claims: a task a crash left processing is dealt with first.
  s->Maintain(s->options_.recover_tasks, true);
  s->maintenance_ = std::thread([self = s.get()] { self->MaintenanceLoop(); });
  for (unsigned i = 0; i < s->options_.concurrency; ++i) {
    s->workers_.emplace_back([self = s.get()] { self->WorkerLoop(); });
  }
  return s;
}

TaskService::~TaskService() { Stop(); }

void TaskService::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, flag] : running_) flag->store(true);
    ++generation_;
  }
  changed_.notify_all();
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
  if (maintenance_.joinable()) maintenance_.join();
}

void TaskService::Notify() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  changed_.notify_all();
}

std::uint64_t TaskService::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void TaskService::WaitForChange(std::uint64_t seen, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [&] { return generation_ != seen || stopping_.load(); });
}

Result<std::string> TaskService::Dispatch(const JsonValue& spec, const JsonValue* secrets,
                                          const std::optional<std::string>& created_by) {
  auto id = store_->Create(spec, secrets, created_by);
  if (id.ok()) Notify();
  return id;
}

Status TaskService::Cancel(const std::string& id) {
  Status st = store_->Cancel(id);
  if (!st.ok()) return st;
  {
    std::lock_guard lock(mutex_);
    if (auto it = running_.find(id); it != running_.end()) it->second->store(true);
  }
  Notify();
  return Status::Ok();
}

Status TaskService::Retry(const std::string& id, const JsonValue* secrets) {
  Status st = store_->Retry(id, secrets);
  if (st.ok()) Notify();
  return st;
}

void TaskService::Maintain(bool recover, bool janitor) {
  std::vector<std::string> mine;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, flag] : running_) mine.push_back(id);
  }
  bool changed = false;
  if (recover) {
    auto ids = store_->Recover(options_.recover_timeout, mine);
    if (!ids.ok()) std::fprintf(stderr, "scaffolder: %s\n", ids.status().message().c_str());
    else changed |= !ids->empty();
  }
  if (janitor) {
    auto ids = store_->FailStale(options_.task_timeout, mine);
    if (!ids.ok()) std::fprintf(stderr, "scaffolder: %s\n", ids.status().message().c_str());
    else changed |= !ids->empty();
  }
  if (changed) Notify();
}

void TaskService::WorkerLoop() {
  while (!stopping_) {
    const std::uint64_t seen = generation();
    auto claimed = store_->Claim();
    if (!claimed.ok()) {
      std::fprintf(stderr, "scaffolder: %s\n", claimed.status().message().c_str());
    } else if (claimed->has_value()) {
      RunOne(std::move(**claimed));
      continue;
    }
    // Woken by a dispatch; the timeout also picks up tasks another process added.
    WaitForChange(seen, std::chrono::steady_clock::now() + std::chrono::seconds(1));
  }
}

void TaskService::MaintenanceLoop() {
  using clock = std::chrono::steady_clock;
  auto next_heartbeat = clock::now() + options_.heartbeat_interval;
  auto next_recover = clock::now() + options_.recover_interval;
  auto next_janitor = clock::now() + options_.janitor_interval;
  while (!stopping_) {
    const auto now = clock::now();
    if (now >= next_heartbeat) {
      std::vector<std::string> ids;
      {
        std::lock_guard lock(mutex_);
        for (const auto& [id, flag] : running_) ids.push_back(id);
      }
      for (const std::string& id : ids) (void)store_->Heartbeat(id);  // a finished task is no error
      next_heartbeat = now + options_.heartbeat_interval;
    }
    const bool recover = options_.recover_tasks && now >= next_recover;
    const bool janitor = now >= next_janitor;
    if (recover || janitor) Maintain(recover, janitor);
    if (recover) next_recover = now + options_.recover_interval;
    if (janitor) next_janitor = now + options_.janitor_interval;
    auto next = std::min(next_heartbeat, next_janitor);
    if (options_.recover_tasks) next = std::min(next, next_recover);
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, next, [&] { return stopping_.load(); });
  }
}

void TaskService::RunOne(ClaimedTask claimed) {
  const std::string id = claimed.task.id;
  auto cancel = std::make_shared<std::atomic<bool>>(claimed.cancel_requested);
  {
    std::lock_guard lock(mutex_);
    running_[id] = cancel;
    if (stopping_) cancel->store(true);
  }
  Notify();
  const JsonValue& spec = claimed.task.spec;
  const fs::path workspace = options_.working_directory / id;
  StoreSink sink(*this, id);
  std::optional<RunFailure> failure;
  Json output(rapidjson::kObjectType);
  try {
    const JsonValue* version = spec.IsObject() ? FindMember(spec, "apiVersion") : nullptr;
    if (!version || !version->IsString() || AsView(*version) != kTemplateApiVersion) {
      failure = RunFailure{"Error", "Unsupported Template apiVersion " +
                                        (version && version->IsString() ? std::string(AsView(*version)) : "undefined")};
    } else if (auto t = TemplateFromSpec(spec); !t.ok()) {
      failure = RunFailure{"InputError", t.status().message()};
    } else {
      TaskSpec ts;
      ts.tmpl = &*t;
      if (const JsonValue* p = FindMember(spec, "parameters"); p && p->IsObject()) {
        ts.parameters.CopyFrom(*p, ts.parameters.GetAllocator());
      }
      if (const JsonValue* u = FindMember(spec, "user"); u && u->IsObject()) ts.user.CopyFrom(*u, ts.user.GetAllocator());
      ts.template_info.entity_ref = StringAt(spec, "templateInfo", "entityRef");
      ts.template_info.base_dir = BaseDir(spec);
      RunOptions ro;
      ro.registry = &registry_;
      ro.engine = &engine_;
      ro.workspace = workspace;
      ro.task_id = id;
      ro.secrets = &claimed.secrets;
      ro.cancel = cancel.get();
      RunOutcome outcome = RunTask(ts, ro, sink);
      if (outcome.ok) output = std::move(outcome.output);
      else failure = RunFailure{outcome.error.name, outcome.error.message};
    }
  } catch (const std::exception& e) {
    failure = RunFailure{"Error", e.what()};
  }
  std::error_code ec;
  fs::remove_all(workspace, ec);

  Json body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  if (failure) {
    body.AddMember("message", "Run completed with status: failed", a);
    JsonValue error(rapidjson::kObjectType);
    error.AddMember("name", MakeString(failure->name, a), a);
    error.AddMember("message", MakeString(failure->message, a), a);
    body.AddMember("error", error, a);
  } else {
    body.AddMember("message", "Run completed with status: completed", a);
    body.AddMember("output", JsonValue(output, a), a);
  }
  if (Status st = store_->Complete(id, failure ? "failed" : "completed", body); !st.ok()) {
    std::fprintf(stderr, "scaffolder: task %s: %s\n", id.c_str(), st.message().c_str());
  }
  {
    std::lock_guard lock(mutex_);
    running_.erase(id);
  }
  Notify();
}

}  // namespace idp::scaffolder::tasks
