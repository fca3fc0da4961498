#include "scaffolder/js_string.h"

#include "core/js_number.h"

namespace idp::scaffolder {

std::string JsString(const JsonValue& v) {
  switch (v.GetType()) {
    case rapidjson::kStringType: return std::string(AsView(v));
    case rapidjson::kNumberType: return JsNumberToString(v.GetDouble());
    case rapidjson::kTrueType: return "true";
    case rapidjson::kFalseType: return "false";
    case rapidjson::kNullType: return "null";
    case rapidjson::kArrayType: {
      std::string out;
      bool first = true;
      for (const auto& item : v.GetArray()) {
        if (!first) out += ",";
        first = false;
        if (!item.IsNull()) out += JsString(item);
      }
      return out;
    }
    default: return "[object Object]";
  }
}

}  // namespace idp::scaffolder
