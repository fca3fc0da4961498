// The engine's one JSON model: RapidJSON, UTF-8, with helpers used everywhere.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace idp {

using Json = rapidjson::Document;   // owns its allocator
using JsonValue = rapidjson::Value;
using JsonAllocator = rapidjson::Document::AllocatorType;

inline std::string_view AsView(const JsonValue& v) {
  return {v.GetString(), v.GetStringLength()};
}

// Member lookup by string_view (RapidJSON's FindMember wants a NUL-terminated key).
const JsonValue* FindMember(const JsonValue& object, std::string_view key);

// JavaScript truthiness (`!!v`) of a JSON value: null, false, "", 0 and NaN are falsy.
bool JsTruthy(const JsonValue& v);

// Compact serialisation (no spaces), as JSON.stringify does.
std::string ToJsonString(const JsonValue& v);
// Pretty serialisation with 2-space indent.
std::string ToPrettyJsonString(const JsonValue& v);

// A string value copied into the given allocator.
inline JsonValue MakeString(std::string_view s, JsonAllocator& a) {
  return JsonValue(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

}  // namespace idp
