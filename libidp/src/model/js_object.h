// JavaScript's property order for plain objects (Object.keys, for-in,
// Object.entries): array-index keys first in ascending numeric order, then
// the other keys in insertion order. Backstage reports the first problem in
// that order, so we list problems in it too.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace idp::model {

// Canonical decimal of an integer below 2^32 - 1.
inline bool IsArrayIndexKey(std::string_view k) {
  if (k.empty() || k.size() > 10) return false;
  if (k.size() > 1 && k[0] == '0') return false;
  std::uint64_t v = 0;
  for (char c : k) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v < 0xFFFFFFFFull;
}

// Calls f(name, value) for each member of `object` in JavaScript order.
template <typename F>
void ForEachMemberJsOrder(const JsonValue& object, F&& f) {
  bool any_index = false;
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    if (IsArrayIndexKey(AsView(it->name))) {
      any_index = true;
      break;
    }
  }
  if (!any_index) {
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) f(AsView(it->name), it->value);
    return;
  }
  std::vector<JsonValue::ConstMemberIterator> order;
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) order.push_back(it);
  const auto index_of = [](std::string_view k) {
    std::uint64_t v = 0;
    for (char c : k) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    return v;
  };
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
    const bool ia = IsArrayIndexKey(AsView(a->name));
    const bool ib = IsArrayIndexKey(AsView(b->name));
    if (ia != ib) return ia;
    if (!ia) return false;
    return index_of(AsView(a->name)) < index_of(AsView(b->name));
  });
  for (auto it : order) f(AsView(it->name), it->value);
}

}  // namespace idp::model
