#include "template/json_bridge.h"

#include <rapidjson/error/en.h>

#include "template/errors.h"

namespace idp::tmpl {

namespace {

Value Convert(const JsonValue& v, Heap& heap, int depth) {
  if (depth > 512) throw EngineError(ErrorKind::kLimit, "template limit exceeded: context nesting too deep");
  switch (v.GetType()) {
    case rapidjson::kNullType: return Value::Null();
    case rapidjson::kFalseType: return Value::Bool(false);
    case rapidjson::kTrueType: return Value::Bool(true);
    case rapidjson::kNumberType: return Value::Number(v.GetDouble());
    case rapidjson::kStringType: return Value::String(std::string(v.GetString(), v.GetStringLength()));
    case rapidjson::kArrayType: {
      std::vector<Value> items;
      items.reserve(v.Size());
      for (const auto& item : v.GetArray()) items.push_back(Convert(item, heap, depth + 1));
      return heap.NewArray(std::move(items));
    }
    case rapidjson::kObjectType: {
      Value obj = heap.NewObject();
      for (const auto& m : v.GetObject()) {
        obj.object()->Set(std::string(m.name.GetString(), m.name.GetStringLength()), Convert(m.value, heap, depth + 1));
      }
      return obj;
    }
  }
  return Value();
}

}  // namespace

Value FromJson(const JsonValue& v, Heap& heap) { return Convert(v, heap, 0); }

std::optional<Value> ParseJsonText(std::string_view text, Heap& heap) {
  Json doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag | rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError()) return std::nullopt;
  return FromJson(doc, heap);
}

}  // namespace idp::tmpl
