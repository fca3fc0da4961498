#include "scaffolder/runner.h"

#include <stdlib.h>

#include <map>
#include <optional>
#include <system_error>

#include "core/json_writer.h"
#include "scaffolder/js_string.h"
#include "scaffolder/redactor.h"

namespace idp::scaffolder {

namespace fs = std::filesystem;

namespace {

// A failing step: the error Backstage would throw.
struct StepFailure {
  ErrorInfo error;
};

StepFailure Fail(std::string name, std::string message) { return StepFailure{ErrorInfo{std::move(name), std::move(message)}}; }

Json Copy(const JsonValue& v) {
  Json d;
  d.CopyFrom(v, d.GetAllocator());
  return d;
}

// A template rendered by the value rule: nullopt when undefined.
std::optional<Json> RenderValue(const tmpl::Engine& engine, tmpl::Mode mode, const JsonValue& t, const JsonValue& ctx) {
  tmpl::RenderResult r = engine.Render(mode, t, ctx, {});
  if (r.undefined) return std::nullopt;
  Json out;
  out.Parse(r.rendered_json.data(), r.rendered_json.size());
  if (out.HasParseError()) out.SetNull();
  return out;
}

// safe-stable-stringify (winston's `simple` format): sorted keys.
void StableStringify(const JsonValue& v, std::string& out) {
  if (v.IsObject()) {
    std::vector<const JsonValue::Member*> members;
    for (const auto& m : v.GetObject()) members.push_back(&m);
    std::stable_sort(members.begin(), members.end(),
                     [](auto* a, auto* b) { return AsView(a->name) < AsView(b->name); });
    out += "{";
    bool first = true;
    for (auto* m : members) {
      if (!first) out += ",";
      first = false;
      out += ToJsonString(m->name);
      out += ":";
      StableStringify(m->value, out);
    }
    out += "}";
  } else if (v.IsArray()) {
    out += "[";
    bool first = true;
    for (const auto& item : v.GetArray()) {
      if (!first) out += ",";
      first = false;
      StableStringify(item, out);
    }
    out += "]";
  } else {
    out += ToJsonString(v);
  }
}

class Run;

// One step's logger, output collector and temp dirs.
class StepScope : public StepHost {
 public:
  StepScope(Run& run, const StepSpec& step, bool each) : run_(run), step_(step), each_(each) {}
  ~StepScope() override {
    for (const auto& d : tmp_dirs_) {
      std::error_code ec;
      fs::remove_all(d, ec);
    }
  }
  void Log(LogLevel level, std::string_view message, const JsonValue* meta) override;
  void Output(std::string_view name, const JsonValue& value) override {
    auto& a = output_.GetAllocator();
    JsonValue* slot = nullptr;
    for (auto& m : output_.GetObject()) {
      if (AsView(m.name) == name) slot = &m.value;
    }
    if (each_) {
      if (!slot) {
        output_.AddMember(MakeString(name, a), JsonValue(rapidjson::kArrayType), a);
        slot = &(output_.MemberEnd() - 1)->value;
      }
      slot->PushBack(JsonValue(value, a), a);
    } else if (slot) {
      slot->CopyFrom(value, a);
    } else {
      output_.AddMember(MakeString(name, a), JsonValue(value, a), a);
    }
  }
  Result<fs::path> CreateTemporaryDirectory() override;
  Redactor& redactor() { return redactor_; }
  Json& output() { return output_; }

 private:
  Run& run_;
  const StepSpec& step_;
  bool each_;
  Redactor redactor_;
  Json output_{rapidjson::kObjectType};
  std::vector<fs::path> tmp_dirs_;
};

class Run {
 public:
  Run(const TaskSpec& spec, const RunOptions& options, EventSink& sink)
      : spec_(spec), options_(options), sink_(sink), engine_(*options.engine) {
    secrets_.SetObject();
    if (options.secrets && options.secrets->IsObject()) secrets_.CopyFrom(*options.secrets, secrets_.GetAllocator());
    auto& a = context_.GetAllocator();
    context_.SetObject();
    context_.AddMember("parameters", JsonValue(spec.parameters, a), a);
    JsonValue env(rapidjson::kObjectType);
    env.AddMember("parameters", JsonValue(rapidjson::kObjectType), a);
    env.AddMember("secrets", JsonValue(rapidjson::kObjectType), a);
    context_.AddMember("environment", env, a);
    context_.AddMember("steps", JsonValue(rapidjson::kObjectType), a);
    context_.AddMember("user", JsonValue(spec.user, a), a);
    JsonValue task(rapidjson::kObjectType);
    task.AddMember("id", MakeString(WorkspaceName(), a), a);
    JsonValue ctx(rapidjson::kObjectType);
    ctx.AddMember("task", task, a);
    context_.AddMember("context", ctx, a);
  }

  RunOutcome Execute() {
    RunOutcome outcome;
    std::error_code ec;
    fs::create_directories(options_.workspace, ec);
    if (ec) {
      outcome.error = {"Error", "cannot create the workspace " + options_.workspace.string() + ": " + ec.message()};
      return outcome;
    }
    const auto& steps = spec_.tmpl->steps;
    Emit("Starting up task with " + std::to_string(steps.size() + static_cast<std::size_t>(options_.trailing_steps)) + " steps", nullptr, nullptr);
    std::optional<ErrorInfo> first_error;
    bool failed = false;
    for (const StepSpec& step : steps) {
      if (failed) {
        bool run_anyway = false;
        if (step.if_ && step.if_->IsString()) {
          tmpl::RenderOptions opts;
          opts.task_failed = true;
          // always()/failure() decide whether a step runs after a failure.
          const std::string text(AsView(*step.if_));
          run_anyway = text.find("always()") != std::string::npos || text.find("failure()") != std::string::npos;
        }
        if (!run_anyway) {
          Emit("Skipping step " + step.id + " because a previous step failed", &step, "skipped");
          continue;
        }
      }
      auto failure = ExecuteStep(step, failed);
      if (failure) {
        if (!first_error) {
          first_error = failure->error;
        } else {
          Emit("Additional error occurred: " + failure->error.message, &step, "failed");
        }
        failed = true;
      }
    }
    if (first_error) {
      outcome.error = *first_error;
      Cleanup();
      return outcome;
    }
    if (spec_.tmpl->output) {
      auto rendered = RenderValue(engine_, tmpl::Mode::kOutput, *spec_.tmpl->output, context_);
      if (rendered && rendered->IsObject()) outcome.output.CopyFrom(*rendered, outcome.output.GetAllocator());
    }
    outcome.ok = true;
    Cleanup();
    return outcome;
  }

  void Emit(const std::string& message, const StepSpec* step, const char* status) {
    TaskEvent e;
    e.type = "log";
    auto& a = e.body.GetAllocator();
    e.body.SetObject();
    e.body.AddMember("message", MakeString(message, a), a);
    if (step) e.body.AddMember("stepId", MakeString(step->id, a), a);
    if (status) e.body.AddMember("status", MakeString(status, a), a);
    sink_.Emit(std::move(e));
  }

  const RunOptions& options() const { return options_; }

 private:
  std::string WorkspaceName() const { return options_.task_id; }

  void Cleanup() {
    if (!options_.keep_workspace) {
      std::error_code ec;
      fs::remove_all(options_.workspace, ec);
    }
  }

  bool Cancelled() const { return options_.cancel && options_.cancel->load(); }

  StepFailure Cancellation(const StepSpec& step) const {
    return Fail("Error", "Step " + step.id + " (" + step.name + ") of task " + options_.task_id + " has been cancelled.");
  }

  // context + {secrets} (+ each): the context step inputs render with.
  Json InputContext(const JsonValue& secrets, const JsonValue* each) const {
    Json ctx = Copy(context_);
    auto& a = ctx.GetAllocator();
    ctx.AddMember("secrets", JsonValue(secrets, a), a);
    if (each) ctx.AddMember("each", JsonValue(*each, a), a);
    return ctx;
  }

  std::optional<StepFailure> ExecuteStep(const StepSpec& step, bool task_failed) {
    Emit("Beginning step " + step.name, &step, "processing");
    auto failure = ExecuteStepBody(step, task_failed);
    if (failure) Emit(failure->error.name + ": " + failure->error.message, &step, "failed");
    return failure;
  }

  std::optional<StepFailure> ExecuteStepBody(const StepSpec& step, bool task_failed) {
    if (Cancelled()) return Cancellation(step);
    if (step.if_) {
      bool skip = step.if_->IsFalse();
      if (step.if_->IsString() && !step.each) {
        tmpl::RenderOptions ro;
        ro.task_failed = task_failed;
        tmpl::RenderResult r = engine_.Render(tmpl::Mode::kIf, *step.if_, context_, ro);
        skip = r.rendered_json != "true";
      }
      if (skip) {
        Emit("Skipping step " + step.id + " because its if condition was false", &step, "skipped");
        return std::nullopt;
      }
    }
    auto action = options_.registry->Find(step.action);
    if (!action) return Fail("NotFoundError", UnknownActionMessage(step.action));

    StepScope scope(*this, step, step.each != nullptr);
    scope.redactor().AddValues(secrets_);
    const JsonValue empty_input(rapidjson::kObjectType);

    if (options_.dry_run) {
      Json redacted(rapidjson::kObjectType);
      for (const auto& m : secrets_.GetObject()) {
        redacted.AddMember(JsonValue(m.name, redacted.GetAllocator()), JsonValue("***"), redacted.GetAllocator());
      }
      Json debug_ctx = InputContext(redacted, nullptr);
      std::optional<Json> debug_input;
      if (step.input) debug_input = RenderValue(engine_, tmpl::Mode::kValue, *step.input, debug_ctx);
      if (!debug_input) debug_input = Json(rapidjson::kObjectType);
      scope.Log(LogLevel::kInfo,
                "Running " + action->id() + " in dry-run mode with inputs (secrets redacted): " +
                    ToPrettyJsonString(*debug_input),
                nullptr);
      if (!action->supports_dry_run()) {
        Emit("Skipping because " + action->id() + " does not support dry-run", &step, "skipped");
        Json out(rapidjson::kObjectType);
        if (const JsonValue* schema = action->output_schema()) {
          JsonValue example;
          ExampleOutput(*schema, example, out.GetAllocator());
          static_cast<JsonValue&>(out) = example;
        }
        SetStepOutput(step, out);
        return std::nullopt;
      }
    }

    Json pre = InputContext(secrets_, nullptr);
    struct Iteration {
      std::optional<Json> each;  // {key, value}
      bool should_run = true;
      Json input{rapidjson::kObjectType};
    };
    std::vector<Iteration> iterations;
    if (step.each) {
      tmpl::RenderResult r = engine_.Render(tmpl::Mode::kEach, *step.each, pre, {});
      Json rows;
      if (!r.error) rows.Parse(r.rendered_json.data(), r.rendered_json.size());
      if (r.error || rows.HasParseError() || !rows.IsArray()) {
        std::string each_text = step.each->IsString() ? std::string(AsView(*step.each)) : JsString(*step.each);
        return Fail("InputError", "Invalid value on action " + action->id() + ".each parameter, \"" + each_text +
                                      "\" cannot be resolved to a value");
      }
      for (const auto& row : rows.GetArray()) {
        Iteration it;
        it.each = Copy(row);
        iterations.push_back(std::move(it));
      }
    } else {
      iterations.emplace_back();
    }
    for (auto& it : iterations) {
      Json full = InputContext(secrets_, it.each ? &*it.each : nullptr);
      if (it.each && step.if_ && !(step.if_->IsString() && step.if_->GetStringLength() == 0)) {
        tmpl::RenderOptions ro;
        ro.task_failed = task_failed;
        if (step.if_->IsFalse()) it.should_run = false;
        else if (step.if_->IsString()) it.should_run = engine_.Render(tmpl::Mode::kIf, *step.if_, full, ro).rendered_json == "true";
      }
      if (step.input) {
        auto rendered = RenderValue(engine_, tmpl::Mode::kValue, *step.input, full);
        if (rendered && rendered->IsObject()) it.input = std::move(*rendered);
      }
    }
    for (auto& it : iterations) {
      if (!it.should_run) continue;
      const std::string action_id = action->id() + (it.each ? "[" + JsString((*it.each)["key"]) + "]" : "");
      if (const CompiledSchema* schema = action->input_schema()) {
        Json errors = schema->Validate(&it.input);
        if (!errors.Empty()) {
          return Fail("InputError", "Invalid input passed to action " + action_id + ", " + JoinErrorStacks(errors));
        }
      }
    }
    const bool has_secrets = secrets_.MemberCount() > 0;
    for (auto& it : iterations) {
      if (it.each) {
        std::string each_text = "{\"key\":" + ToJsonString((*it.each)["key"]) + ",\"value\":";
        Json v;
        const std::string value_text = JsString((*it.each)["value"]);
        v.SetString(value_text.c_str(), static_cast<rapidjson::SizeType>(value_text.size()), v.GetAllocator());
        each_text += ToJsonString(v) + "}";
        if (!it.should_run) {
          scope.Log(LogLevel::kInfo, "Skipping step each: " + each_text, nullptr);
          continue;
        }
        scope.Log(LogLevel::kInfo, "Running step each: " + each_text, nullptr);
      }
      if (step.input && has_secrets) {
        // Transformed secrets (`| upper`, substrings) are redacted too.
        Json none(rapidjson::kObjectType);
        Json ctx = InputContext(none, it.each ? &*it.each : nullptr);
        auto without = RenderValue(engine_, tmpl::Mode::kValue, *step.input, ctx);
        scope.redactor().AddDifferences(it.input, without ? &*without : nullptr);
      }
      if (Cancelled()) return Cancellation(step);
      ActionContext actx(it.input, secrets_, spec_.user, options_.workspace, spec_.template_info, step.id, step.name,
                         WorkspaceName(), options_.dry_run, CancelFlag(), engine_, scope);
      Status st;
      try {
        st = action->Run(actx);
      } catch (const std::exception& e) {
        st = Status(Code::kInternal, e.what());
      }
      if (!st.ok()) return StepFailure{ErrorFromStatus(st)};
    }
    SetStepOutput(step, scope.output());
    if (Cancelled()) return Cancellation(step);
    Emit("Finished step " + step.name, &step, "completed");
    return std::nullopt;
  }

  const std::atomic<bool>& CancelFlag() const {
    static const std::atomic<bool> kNever{false};
    return options_.cancel ? *options_.cancel : kNever;
  }

  void SetStepOutput(const StepSpec& step, const JsonValue& output) {
    auto& a = context_.GetAllocator();
    JsonValue& steps = context_["steps"];
    JsonValue entry(rapidjson::kObjectType);
    entry.AddMember("output", JsonValue(output, a), a);
    steps.RemoveMember(step.id.c_str());
    steps.AddMember(MakeString(step.id, a), entry, a);
  }

  const TaskSpec& spec_;
  const RunOptions& options_;
  EventSink& sink_;
  const tmpl::Engine& engine_;
  Json secrets_;
  Json context_;
  friend class StepScope;
};

void StepScope::Log(LogLevel level, std::string_view message, const JsonValue* meta) {
  if (level == LogLevel::kDebug) return;  // the task logger's level is info
  static constexpr const char* kPrefix[] = {"\x1b[34mdebug\x1b[39m", "\x1b[32minfo\x1b[39m", "\x1b[33mwarn\x1b[39m",
                                            "\x1b[31merror\x1b[39m"};
  std::string line = std::string(kPrefix[static_cast<int>(level)]) + ": " + std::string(message);
  if (meta && !(meta->IsObject() && meta->MemberCount() == 0)) {
    line += " ";
    StableStringify(*meta, line);
  }
  run_.Emit(redactor_.Apply(line), &step_, nullptr);
}

Result<fs::path> StepScope::CreateTemporaryDirectory() {
  std::string templ = run_.options().workspace.string() + "_step-" + step_.id + "-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return Status(Code::kIo, "cannot create a temporary directory next to the workspace");
  fs::path dir(buf.data());
  tmp_dirs_.push_back(dir);
  return dir;
}

}  // namespace

void ExampleOutput(const JsonValue& schema, JsonValue& out, JsonAllocator& a) {
  const JsonValue* examples = schema.IsObject() ? FindMember(schema, "examples") : nullptr;
  if (examples && examples->IsArray()) {
    if (examples->Empty()) out.SetNull();  // examples[0] is undefined
    else out.CopyFrom((*examples)[0], a);
    return;
  }
  const JsonValue* type = schema.IsObject() ? FindMember(schema, "type") : nullptr;
  const std::string_view t = type && type->IsString() ? AsView(*type) : "";
  if (t == "object") {
    out.SetObject();
    if (const JsonValue* props = FindMember(schema, "properties"); props && props->IsObject()) {
      for (const auto& m : props->GetObject()) {
        JsonValue v;
        ExampleOutput(m.value, v, a);
        out.AddMember(JsonValue(m.name, a), v, a);
      }
    }
  } else if (t == "array") {
    out.SetArray();
    const JsonValue* items = FindMember(schema, "items");
    const JsonValue* first = items && items->IsArray() ? (items->Empty() ? nullptr : &(*items)[0]) : items;
    if (first) {
      JsonValue v;
      ExampleOutput(*first, v, a);
      out.PushBack(v, a);
    }
  } else if (t == "string") {
    out.SetString("<example>", a);
  } else if (t == "number") {
    out.SetInt(0);
  } else if (t == "boolean") {
    out.SetBool(false);
  } else {
    out.SetString("<unknown>", a);
  }
}

RunOutcome RunTask(const TaskSpec& spec, const RunOptions& options, EventSink& events) {
  RunOutcome outcome;
  if (!spec.tmpl || !options.registry || !options.engine) {
    outcome.error = {"Error", "RunTask needs a template, a registry and an engine"};
    return outcome;
  }
  Run run(spec, options, events);
  return run.Execute();
}

}  // namespace idp::scaffolder
