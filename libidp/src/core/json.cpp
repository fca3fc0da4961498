#include "core/json.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

namespace idp {

namespace {

// YAML's .inf/.nan are numbers in JavaScript, and JSON.stringify writes them
// as null; RapidJSON's writers would fail on them instead.
template <typename Base>
class JsWriter : public Base {
 public:
  using Base::Base;
  bool Double(double d) {
    if (!std::isfinite(d)) return Base::Null();
    return Base::Double(d);
  }
};

}  // namespace

const JsonValue* FindMember(const JsonValue& object, std::string_view key) {
  if (!object.IsObject()) return nullptr;
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    if (AsView(it->name) == key) return &it->value;
  }
  return nullptr;
}

std::string ToJsonString(const JsonValue& v) {
  rapidjson::StringBuffer buffer;
  JsWriter<rapidjson::Writer<rapidjson::StringBuffer>> writer(buffer);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

std::string ToPrettyJsonString(const JsonValue& v) {
  rapidjson::StringBuffer buffer;
  JsWriter<rapidjson::PrettyWriter<rapidjson::StringBuffer>> writer(buffer);
  writer.SetIndent(' ', 2);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace idp
