#include "core/json.h"

#include "core/json_writer.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <cmath>


namespace idp {


const JsonValue* FindMember(const JsonValue& object, std::string_view key) {
  if (!object.IsObject()) return nullptr;
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    if (AsView(it->name) == key) return &it->value;
  }
  return nullptr;
}

bool JsTruthy(const JsonValue& v) {
  if (v.IsNull()) return false;
  if (v.IsBool()) return v.GetBool();
  if (v.IsString()) return v.GetStringLength() > 0;
  if (v.IsNumber()) {
    const double d = v.GetDouble();
    return d != 0.0 && !std::isnan(d);
  }
  return true;
}

std::string ToJsonString(const JsonValue& v) {
  rapidjson::StringBuffer buffer;
  JsJsonWriter<rapidjson::Writer<rapidjson::StringBuffer>> writer(buffer);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

std::string ToPrettyJsonString(const JsonValue& v) {
  rapidjson::StringBuffer buffer;
  JsJsonWriter<rapidjson::PrettyWriter<rapidjson::StringBuffer>> writer(buffer);
  writer.SetIndent(' ', 2);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace idp
