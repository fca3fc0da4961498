#include "template/json_bridge.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/utf8.h"
#include "template/errors.h"

namespace idp::tmpl {

namespace {

// Thrown on invalid UTF-8 in context text; each level on the way up puts its
// key in front, so the error names the place (`values.list[2]`).
struct BadUtf8 {
  std::string path;
};

// JSON.parse's object: a repeated key keeps its first position and its last
// value, array-index keys enumerate first and ascending. O(n log n), so a
// context with many such keys costs no more than a sort.
void NormaliseKeys(std::vector<std::pair<std::string, Value>>& entries) {
  if (entries.size() <= 16) {
    // Small objects: replaying through Set() (linear per key) is cheaper
    // than the map below.
    ObjectData replayed;
    replayed.entries.reserve(entries.size());
    for (auto& [k, item] : entries) replayed.Set(std::move(k), std::move(item));
    entries = std::move(replayed.entries);
    return;
  }
  std::unordered_map<std::string_view, std::size_t> first;  // key -> slot in `unique`
  first.reserve(entries.size());
  std::vector<std::pair<std::string, Value>> unique;
  unique.reserve(entries.size());
  for (auto& e : entries) {
    auto [it, fresh] = first.try_emplace(e.first, unique.size());
    if (fresh) {
      unique.push_back(std::move(e));
      // The map's view must point at the moved-to key.
      first.erase(it);
      first.emplace(unique.back().first, unique.size() - 1);
    } else {
      unique[it->second].second = std::move(e.second);
    }
  }
  std::stable_partition(unique.begin(), unique.end(), [](const auto& e) { return IsArrayIndex(e.first); });
  auto end_index = std::find_if(unique.begin(), unique.end(), [](const auto& e) { return !IsArrayIndex(e.first); });
  std::stable_sort(unique.begin(), end_index, [](const auto& a, const auto& b) {
    std::uint32_t x = 0, y = 0;
    IsArrayIndex(a.first, &x);
    IsArrayIndex(b.first, &y);
    return x < y;
  });
  entries = std::move(unique);
}

Value Convert(const JsonValue& v, Heap& heap, int depth) {
  if (depth > 512) throw EngineError(ErrorKind::kLimit, "template limit exceeded: context nesting too deep");
  switch (v.GetType()) {
    case rapidjson::kNullType: return Value::Null();
    case rapidjson::kFalseType: return Value::Bool(false);
    case rapidjson::kTrueType: return Value::Bool(true);
    case rapidjson::kNumberType: return Value::Number(v.GetDouble());
    case rapidjson::kStringType: {
      std::string_view text(v.GetString(), v.GetStringLength());
      if (!IsValidUtf8(text)) throw BadUtf8{};
      return Value::String(std::string(text));
    }
    case rapidjson::kArrayType: {
      std::vector<Value> items;
      items.reserve(v.Size());
      for (const auto& item : v.GetArray()) {
        try {
          items.push_back(Convert(item, heap, depth + 1));
        } catch (BadUtf8& e) {
          e.path = "[" + std::to_string(items.size()) + "]" + e.path;
          throw;
        }
      }
      return heap.NewArray(std::move(items));
    }
    case rapidjson::kObjectType: {
      Value obj = heap.NewObject();
      auto& entries = obj.object()->entries;
      entries.reserve(v.MemberCount());
      // Append in source order, which is right unless a key is an array index
      // (JS lists those first) or repeats (RapidJSON keeps duplicates); those
      // rarer objects are normalised afterwards.
      bool normalise = false;
      for (const auto& m : v.GetObject()) {
        std::string_view key(m.name.GetString(), m.name.GetStringLength());
        if (!IsValidUtf8(key)) throw BadUtf8{" (a key)"};
        if (!key.empty() && key[0] >= '0' && key[0] <= '9') normalise = true;
        try {
          entries.emplace_back(std::string(key), Convert(m.value, heap, depth + 1));
        } catch (BadUtf8& e) {
          e.path = "." + std::string(key) + e.path;
          throw;
        }
      }
      if (!normalise && entries.size() <= 8) {
        for (std::size_t i = 1; i < entries.size() && !normalise; ++i) {
          for (std::size_t j = 0; j < i && !normalise; ++j) normalise = entries[i].first == entries[j].first;
        }
      } else if (!normalise) {
        // Equal hashes flag a possible duplicate; a false alarm only costs the
        // normalisation, which is right for unique keys too.
        std::vector<std::size_t> hashes;
        hashes.reserve(entries.size());
        for (const auto& e : entries) hashes.push_back(std::hash<std::string_view>{}(e.first));
        std::sort(hashes.begin(), hashes.end());
        normalise = std::adjacent_find(hashes.begin(), hashes.end()) != hashes.end();
      }
      if (normalise) NormaliseKeys(entries);
      return obj;
    }
  }
  return Value();
}

}  // namespace

Value FromJson(const JsonValue& v, Heap& heap) {
  try {
    return Convert(v, heap, 0);
  } catch (const BadUtf8& e) {
    std::string_view path = e.path;
    if (!path.empty() && path[0] == '.') path.remove_prefix(1);
    throw EngineError(ErrorKind::kRuntime,
                      "invalid UTF-8 in the context at " + (path.empty() ? std::string("the top level") : std::string(path)));
  }
}

std::optional<Value> ParseJsonText(std::string_view text, Heap& heap) {
  Json doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag | rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError()) return std::nullopt;
  return FromJson(doc, heap);
}

}  // namespace idp::tmpl
