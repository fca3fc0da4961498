// The template language through the C ABI: a thin shim over
// idp::tmpl::Engine::RenderJsonText, which already takes and gives text.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>
#include <string>

#include "capi/capi_util.h"
#include "core/json_writer.h"
#include "idp/idp.h"
#include "template/template.h"

struct idp_template_engine {
  idp::tmpl::Engine engine;
};

namespace {

std::string ResultJson(const idp::tmpl::RenderResult& r) {
  rapidjson::StringBuffer buffer;
  idp::JsJsonWriter<rapidjson::Writer<rapidjson::StringBuffer>> w(buffer);
  w.StartObject();
  w.Key("rendered");
  w.RawValue(r.rendered_json.data(), r.rendered_json.size(), rapidjson::kObjectType);
  w.Key("undefined");
  w.Bool(r.undefined);
  w.Key("fallback");
  w.Bool(r.fallback);
  w.Key("error");
  if (r.error) {
    w.StartObject();
    w.Key("message");
    w.String(r.error->message);
    w.Key("line");
    w.Int(r.error->line);
    w.Key("column");
    w.Int(r.error->column);
    w.EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

extern "C" {

IDP_API int idp_template_engine_new(idp_template_engine** out) {
  return idp::capi::Guard([&]() -> int {
    if (out == nullptr) return idp::capi::Fail({idp::Code::kInvalidArgument, "out is NULL"});
    *out = nullptr;
    *out = std::make_unique<idp_template_engine>().release();  // owned by the caller until _free
    return IDP_OK;
  });
}

IDP_API void idp_template_engine_free(idp_template_engine* engine) {
  std::unique_ptr<idp_template_engine> owned(engine);  // NULL is fine
}

IDP_API int idp_template_render(char** out_result_json, idp_template_engine* engine, const char* mode,
                                const char* template_json, const char* context_json,
                                const char* options_json) {
  return idp::capi::Guard([&]() -> int {
    if (out_result_json == nullptr) return idp::capi::Fail({idp::Code::kInvalidArgument, "out_result_json is NULL"});
    *out_result_json = nullptr;
    if (engine == nullptr || mode == nullptr || template_json == nullptr || context_json == nullptr) {
      return idp::capi::Fail({idp::Code::kInvalidArgument, "engine, mode, template_json and context_json are required"});
    }
    if (!idp::tmpl::ParseMode(mode)) {
      return idp::capi::Fail({idp::Code::kInvalidArgument,
                              std::string("unknown template mode '") + mode +
                                  "' (value, string, compat, if, each, output)"});
    }
    const auto result = engine->engine.RenderJsonText(mode, template_json, context_json,
                                                      options_json != nullptr ? options_json : "{}");
    char* copy = idp::capi::CopyOut(ResultJson(result));
    if (copy == nullptr) return idp::capi::Fail({idp::Code::kInternal, "out of memory"});
    *out_result_json = copy;
    return IDP_OK;
  });
}

}  // extern "C"
