#include "store/stable_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include "model/js_string.h"

namespace idp::store {


std::string JsScalarString(const JsonValue& v) {
  if (v.IsString()) return std::string(AsView(v));
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsNumber()) return JsNumberToString(v.GetDouble());
  return "null";
}

namespace {

void Write(const JsonValue& v, std::string& out) {
  switch (v.GetType()) {
    case rapidjson::kNullType: out += "null"; return;
    case rapidjson::kFalseType: out += "false"; return;
    case rapidjson::kTrueType: out += "true"; return;
    case rapidjson::kStringType: out += model::JsonQuote(AsView(v)); return;
    case rapidjson::kNumberType: {
      // JSON.stringify writes non-finite numbers as null.
      if (!v.IsInt64() && !v.IsUint64() && !std::isfinite(v.GetDouble())) {
        out += "null";
      } else {
        out += JsScalarString(v);
      }
      return;
    }
    case rapidjson::kArrayType: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.GetArray()) {
        if (!first) out.push_back(',');
        first = false;
        Write(item, out);
      }
      out.push_back(']');
      return;
    }
    case rapidjson::kObjectType: {
      std::vector<const JsonValue::Member*> members;
      members.reserve(v.MemberCount());
      for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) members.push_back(&*it);
      std::stable_sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
        return model::Utf16Less(AsView(a->name), AsView(b->name));
      });
      out.push_back('{');
      bool first = true;
      for (const auto* m : members) {
        if (!first) out.push_back(',');
        first = false;
        out += model::JsonQuote(AsView(m->name));
        out.push_back(':');
        Write(m->value, out);
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

std::string StableStringify(const JsonValue& v) {
  std::string out;
  Write(v, out);
  return out;
}

}  // namespace idp::store
