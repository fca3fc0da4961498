#include "template/json_bridge.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <functional>
#include <string_view>
#include <vector>

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
      auto& entries = obj.object()->entries;
      entries.reserve(v.MemberCount());
      // Append in source order, which is right unless a key is an array index
      // (JS lists those first) or repeats (RapidJSON keeps duplicates; JSON.parse
      // keeps the first position and the last value). Those rare objects are
      // replayed through Set(), which applies both rules.
      bool replay = false;
      for (const auto& m : v.GetObject()) {
        std::string_view key(m.name.GetString(), m.name.GetStringLength());
        if (!key.empty() && key[0] >= '0' && key[0] <= '9') replay = true;
        entries.emplace_back(std::string(key), Convert(m.value, heap, depth + 1));
      }
      if (!replay && entries.size() <= 8) {
        for (std::size_t i = 1; i < entries.size() && !replay; ++i) {
          for (std::size_t j = 0; j < i && !replay; ++j) replay = entries[i].first == entries[j].first;
        }
      } else if (!replay) {
        // Equal hashes flag a possible duplicate; a false alarm only costs the
        // replay, which is right for unique keys too.
        std::vector<std::size_t> hashes;
        hashes.reserve(entries.size());
        for (const auto& e : entries) hashes.push_back(std::hash<std::string_view>{}(e.first));
        std::sort(hashes.begin(), hashes.end());
        replay = std::adjacent_find(hashes.begin(), hashes.end()) != hashes.end();
      }
      if (replay) {
        auto appended = std::move(entries);
        entries.clear();
        for (auto& [k, item] : appended) obj.object()->Set(std::move(k), std::move(item));
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
