#include "template/json_bridge.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <forward_list>
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
    replayed.members.reserve(entries.size());
    for (auto& [k, item] : entries) replayed.Set(std::move(k), std::move(item));
    entries = std::move(replayed.members);
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

// Where a value sits, for lazily converted context objects.
struct Place {
  bool lazy = false;  // objects become views of their JSON (context only)
  const ObjectData* parent = nullptr;
  std::string_view key;
  std::int64_t index = -1;
};

Value Convert(const JsonValue& v, Heap& heap, int depth, const Place& place);

// Converts an object's members into `out` (JSON.parse order rules), reusing
// the members `found` holds already converted.
void FillObject(ObjectData::Entries& entries, const JsonValue& v, Heap& heap, int depth, bool lazy,
                const ObjectData* self, const std::forward_list<std::pair<const void*, Value>>* found = nullptr) {
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
      const Value* done = nullptr;
      if (found) {
        for (const auto& [json, value] : *found) {
          if (json == &m.value) done = &value;
        }
      }
      entries.emplace_back(std::string(key), done ? *done : Convert(m.value, heap, depth + 1, Place{lazy, self, key, -1}));
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
}

Value Convert(const JsonValue& v, Heap& heap, int depth, const Place& place) {
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
          Place at = place;
          at.index = static_cast<std::int64_t>(items.size());
          items.push_back(Convert(item, heap, depth + 1, at));
        } catch (BadUtf8& e) {
          e.path = "[" + std::to_string(items.size()) + "]" + e.path;
          throw;
        }
      }
      return heap.NewArray(std::move(items));
    }
    case rapidjson::kObjectType: {
      Value obj = heap.NewObject();
      ObjectData* o = obj.object();
      if (place.lazy) {
        o->lazy = ObjectData::Lazy{&v, &heap, depth, place.parent, place.key, place.index};
      } else {
        FillObject(o->members, v, heap, depth, false, o);
      }
      return obj;
    }
  }
  return Value();
}

// Whether converting `v` at `depth` would pass Convert's checks (depth,
// UTF-8) down to the objects it leaves lazy.
bool Convertible(const JsonValue& v, int depth) {
  if (depth > 512) return false;
  if (v.IsString()) return IsValidUtf8(std::string_view(v.GetString(), v.GetStringLength()));
  if (v.IsArray()) {
    for (const auto& item : v.GetArray()) {
      if (!Convertible(item, depth + 1)) return false;
    }
  }
  return true;
}

// "values.list[2]" for a context object (the innermost array index only).
std::string PathOf(const ObjectData* o) {
  std::string path;
  for (; o && o->lazy.parent; o = o->lazy.parent) {
    std::string step = "." + std::string(o->lazy.key);
    if (o->lazy.index >= 0) step += "[" + std::to_string(o->lazy.index) + "]";
    path.insert(0, step);
  }
  return path;
}

[[noreturn]] void ThrowBadUtf8(std::string path) {
  std::string_view p = path;
  if (!p.empty() && p[0] == '.') p.remove_prefix(1);
  throw EngineError(ErrorKind::kRuntime,
                    "invalid UTF-8 in the context at " + (p.empty() ? std::string("the top level") : std::string(p)));
}

}  // namespace

void ObjectData::Materialise() const {
  const void* json = lazy.json;
  lazy.json = nullptr;
  // A failed conversion leaves the object unconverted, so every later read
  // fails the same way (the value rule renders twice).
  auto undo = [&] {
    members.clear();
    lazy.json = json;
  };
  try {
    FillObject(members, *static_cast<const JsonValue*>(json), *lazy.heap, lazy.depth, true, this, &found);
    found.clear();
  } catch (BadUtf8& e) {
    undo();
    ThrowBadUtf8(PathOf(this) + e.path);
  } catch (...) {
    undo();
    throw;
  }
}

// A lookup by name in an object not yet converted converts only that member
// (most templates read a few members of a large `values`). It first makes
// sure the whole conversion would succeed; if not, it converts the whole
// object, which throws the error a read of any member gives.
const Value* ObjectData::FindLazy(std::string_view key) const {
  const auto& json = *static_cast<const JsonValue*>(lazy.json);
  if (!checked) {
    for (const auto& m : json.GetObject()) {
      if (!IsValidUtf8(std::string_view(m.name.GetString(), m.name.GetStringLength())) ||
          !Convertible(m.value, lazy.depth + 1)) {
        Materialise();  // throws
        return Find(key);
      }
    }
    checked = true;
  }
  // JSON.parse keeps the last of repeated keys.
  const JsonValue::Member* hit = nullptr;
  for (const auto& m : json.GetObject()) {
    if (std::string_view(m.name.GetString(), m.name.GetStringLength()) == key) hit = &m;
  }
  if (!hit) return nullptr;
  for (const auto& [at, value] : found) {
    if (at == &hit->value) return &value;
  }
  std::string_view name(hit->name.GetString(), hit->name.GetStringLength());  // outlives `key`
  Value v = Convert(hit->value, *lazy.heap, lazy.depth + 1, Place{true, this, name, -1});
  found.emplace_front(&hit->value, std::move(v));
  return &found.front().second;
}

Value FromJson(const JsonValue& v, Heap& heap) {
  try {
    return Convert(v, heap, 0, Place{});
  } catch (BadUtf8& e) {
    ThrowBadUtf8(e.path);
  }
}

Value ContextFromJson(const JsonValue& v, Heap& heap) {
  try {
    return Convert(v, heap, 0, Place{true, nullptr, {}, -1});
  } catch (BadUtf8& e) {
    ThrowBadUtf8(e.path);
  }
}

std::optional<Value> ParseJsonText(std::string_view text, Heap& heap) {
  Json doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag | rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError()) return std::nullopt;
  return FromJson(doc, heap);
}

}  // namespace idp::tmpl
