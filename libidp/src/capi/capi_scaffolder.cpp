// The scaffolder through the C ABI: a registry with the built-ins, C
// callbacks adapted to ActionHandler, and the local run / dry-run entry
// points the CLI uses, answering JSON text.
// GCC's -Wnull-dereference fires inside RapidJSON's pool allocator when a
// fresh Document gets members (a false positive, see location_entity.cpp).
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "builtin.h"
#include "capi/capi_catalog_handle.h"
#include "capi/capi_util.h"
#include "idp/idp_scaffolder.h"
#include "scaffolder/local_run.h"

namespace sc = idp::scaffolder;

struct idp_scaffolder {
  sc::ActionRegistry registry;
  idp::tmpl::Engine engine;
  // The C actions, to register again when the registry is rebuilt for a new catalog.
  std::vector<sc::ActionSpec> custom;
};

struct idp_scaffolder_action_context {
  sc::ActionContext& ctx;
  std::string failure;
};

namespace {

using idp::Code;
using idp::Json;
using idp::Status;

int FailInvalid(const char* message) { return idp::capi::Fail({Code::kInvalidArgument, message}); }

// A JSON object argument (NULL: an empty object when allowed).
Status ParseObject(const char* text, const char* what, bool null_ok, Json& out) {
  if (text == nullptr) {
    if (!null_ok) return {Code::kInvalidArgument, std::string(what) + " is NULL"};
    out.SetObject();
    return Status::Ok();
  }
  out.Parse(text);
  if (out.HasParseError() || !out.IsObject()) return {Code::kParse, std::string(what) + " is not a JSON object"};
  return Status::Ok();
}

Code CodeFromResult(int rc) {
  switch (rc) {
    case IDP_EINVAL:
    case IDP_EINVALID:
    case IDP_EPARSE: return Code::kInvalidArgument;  // InputError
    case IDP_ENOTALLOWED: return Code::kNotAllowed;
    case IDP_ENOTFOUND: return Code::kNotFound;
    default: return Code::kInternal;
  }
}

sc::ActionHandler Adapt(idp_scaffolder_action_fn fn, void* user_data, std::string id) {
  return [fn, user_data, id = std::move(id)](sc::ActionContext& ctx) -> Status {
    idp_scaffolder_action_context c{ctx, {}};
    const std::string input = idp::ToJsonString(ctx.input());
    const std::string workspace = ctx.workspace().string();
    const int rc = fn(&c, input.c_str(), workspace.c_str(), user_data);
    if (rc == IDP_OK) return Status::Ok();
    return {CodeFromResult(rc), c.failure.empty() ? "action " + id + " failed" : c.failure};
  };
}

std::string EventsAnd(Json& result, const sc::EventLog& log) {
  auto& a = result.GetAllocator();
  idp::JsonValue events(rapidjson::kArrayType);
  for (const auto& e : log.events) {
    idp::JsonValue item(rapidjson::kObjectType);
    item.AddMember("type", idp::MakeString(e.type, a), a);
    item.AddMember("body", idp::JsonValue(e.body, a), a);
    events.PushBack(item, a);
  }
  result.AddMember("events", events, a);
  return idp::ToJsonString(result);
}

}  // namespace

extern "C" {

IDP_API int idp_scaffolder_new(idp_scaffolder** out) {
  return idp::capi::Guard([&]() -> int {
    if (out == nullptr) return FailInvalid("out is NULL");
    *out = nullptr;
    auto s = std::make_unique<idp_scaffolder>();
    // publish:* with the defaults (github.com, a token from the step's input).
    if (Status st = sc::actions::RegisterAllActions(s->registry, {}); !st.ok()) return idp::capi::Fail(st);
    *out = s.release();  // owned by the caller until idp_scaffolder_free
    return IDP_OK;
  });
}

IDP_API void idp_scaffolder_free(idp_scaffolder* scaffolder) {
  std::unique_ptr<idp_scaffolder> owned(scaffolder);  // NULL is fine
}

IDP_API int idp_scaffolder_register_action(idp_scaffolder* scaffolder, const idp_scaffolder_action_spec* spec) {
  return idp::capi::Guard([&]() -> int {
    if (scaffolder == nullptr || spec == nullptr) return FailInvalid("scaffolder or spec is NULL");
    if (spec->version != IDP_SCAFFOLDER_ACTION_SPEC_VERSION) return FailInvalid("unknown idp_scaffolder_action_spec version");
    if (spec->id == nullptr || spec->id[0] == '\0' || spec->handler == nullptr) {
      return FailInvalid("an action needs an id and a handler");
    }
    sc::ActionSpec a;
    a.id = spec->id;
    if (spec->description) a.description = spec->description;
    if (spec->input_schema_json) a.input_schema_json = spec->input_schema_json;
    if (spec->output_schema_json) a.output_schema_json = spec->output_schema_json;
    if (spec->examples_json) a.examples_json = spec->examples_json;
    a.supports_dry_run = spec->supports_dry_run != 0;
    a.handler = Adapt(spec->handler, spec->user_data, a.id);
    if (Status st = scaffolder->registry.Register(a); !st.ok()) return idp::capi::Fail(st);
    scaffolder->custom.push_back(std::move(a));
    return IDP_OK;
  });
}

IDP_API int idp_scaffolder_set_catalog(idp_scaffolder* scaffolder, idp_catalog* catalog) {
  return idp::capi::Guard([&]() -> int {
    if (scaffolder == nullptr) return FailInvalid("scaffolder is NULL");
    // Actions hold their catalog from registration on: build the registry anew.
    sc::ActionRegistry fresh;
    sc::actions::BuiltinOptions options;
    options.catalog = catalog ? &catalog->catalog : nullptr;
    if (Status st = sc::actions::RegisterAllActions(fresh, std::move(options)); !st.ok()) return idp::capi::Fail(st);
    for (const sc::ActionSpec& a : scaffolder->custom) {
      if (Status st = fresh.Register(a); !st.ok()) return idp::capi::Fail(st);
    }
    scaffolder->registry = std::move(fresh);
    return IDP_OK;
  });
}

IDP_API void idp_scaffolder_action_log(idp_scaffolder_action_context* ctx, idp_scaffolder_log_level level,
                                       const char* message) {
  idp::capi::Guard([&]() -> int {
    if (ctx == nullptr || message == nullptr) return IDP_EINVAL;
    const int l = static_cast<int>(level);
    ctx->ctx.Log(static_cast<sc::LogLevel>(l < 0 ? 0 : l > 3 ? 3 : l), message);
    return IDP_OK;
  });
}

IDP_API int idp_scaffolder_action_output(idp_scaffolder_action_context* ctx, const char* name,
                                         const char* value_json) {
  return idp::capi::Guard([&]() -> int {
    if (ctx == nullptr || name == nullptr || value_json == nullptr) return FailInvalid("NULL argument");
    Json value;
    value.Parse(value_json);
    if (value.HasParseError()) return idp::capi::Fail({Code::kParse, "value_json is not JSON"});
    ctx->ctx.Output(name, value);
    return IDP_OK;
  });
}

IDP_API int idp_scaffolder_action_cancelled(const idp_scaffolder_action_context* ctx) {
  return ctx != nullptr && ctx->ctx.cancelled() ? 1 : 0;
}

IDP_API void idp_scaffolder_action_fail(idp_scaffolder_action_context* ctx, const char* message) {
  idp::capi::Guard([&]() -> int {
    if (ctx != nullptr && message != nullptr) ctx->failure = message;
    return IDP_OK;
  });
}

IDP_API int idp_scaffolder_list_actions(char** out_json, idp_scaffolder* scaffolder) {
  return idp::capi::Guard([&]() -> int {
    if (out_json == nullptr || scaffolder == nullptr) return FailInvalid("NULL argument");
    *out_json = nullptr;
    *out_json = idp::capi::CopyOut(idp::ToJsonString(scaffolder->registry.List()));
    return *out_json ? IDP_OK : IDP_ENOMEM;
  });
}

IDP_API int idp_scaffolder_run(char** out_result_json, idp_scaffolder* scaffolder, const char* template_file,
                               const char* values_json, const char* secrets_json, const char* workspace_dir) {
  return idp::capi::Guard([&]() -> int {
    if (out_result_json == nullptr) return FailInvalid("out_result_json is NULL");
    *out_result_json = nullptr;
    if (scaffolder == nullptr || template_file == nullptr || workspace_dir == nullptr) {
      return FailInvalid("scaffolder, template_file and workspace_dir are required");
    }
    sc::LocalRun run;
    run.template_file = template_file;
    run.workspace = workspace_dir;
    if (Status st = ParseObject(values_json, "values_json", false, run.values); !st.ok()) return idp::capi::Fail(st);
    if (Status st = ParseObject(secrets_json, "secrets_json", true, run.secrets); !st.ok()) return idp::capi::Fail(st);
    sc::EventLog log;
    auto result = sc::RunLocally(run, scaffolder->registry, scaffolder->engine, log);
    if (!result.ok()) return idp::capi::Fail(result.status());
    *out_result_json = idp::capi::CopyOut(EventsAnd(*result, log));
    return *out_result_json ? IDP_OK : IDP_ENOMEM;
  });
}

IDP_API int idp_scaffolder_dry_run(char** out_json, idp_scaffolder* scaffolder, const char* template_dir,
                                   const char* values_json, const char* secrets_json) {
  return idp::capi::Guard([&]() -> int {
    if (out_json == nullptr) return FailInvalid("out_json is NULL");
    *out_json = nullptr;
    if (scaffolder == nullptr || template_dir == nullptr) return FailInvalid("scaffolder and template_dir are required");
    Json values, secrets;
    if (Status st = ParseObject(values_json, "values_json", false, values); !st.ok()) return idp::capi::Fail(st);
    if (Status st = ParseObject(secrets_json, "secrets_json", true, secrets); !st.ok()) return idp::capi::Fail(st);
    std::error_code ec;
    const std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
    auto answer = sc::DryRunDirectory(template_dir, std::move(values), std::move(secrets), scaffolder->registry,
                                      scaffolder->engine, tmp);
    if (!answer.ok()) return idp::capi::Fail(answer.status());
    *out_json = idp::capi::CopyOut(idp::ToJsonString(sc::AnswerJson(*answer)));
    return *out_json ? IDP_OK : IDP_ENOMEM;
  });
}

}  // extern "C"
