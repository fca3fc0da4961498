#include "validate/source_marks.h"

#include <string>
#include <variant>

namespace idp::catalog {
namespace {

JsonValue::ConstMemberIterator FindMemberIt(const JsonValue& object, std::string_view key) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    if (AsView(it->name) == key) return it;
  }
  return object.MemberEnd();
}

}  // namespace

Mark MarkForPath(const JsonValue& original, const SourceMap& marks, const JsonValue* processed,
                 const model::JsonPath& path, Mark fallback) {
  const JsonValue* node = &original;
  const JsonValue* mirror = processed;  // same position in the processed entity
  Mark best = marks.Get(node);
  for (const model::PathSegment& segment : path) {
    const JsonValue* key_node = nullptr;
    if (const auto* key = std::get_if<std::string>(&segment)) {
      if (!node->IsObject()) break;
      auto it = FindMemberIt(*node, *key);
      if (it == node->MemberEnd()) break;
      key_node = &it->name;
      node = &it->value;
      mirror = mirror != nullptr && mirror->IsObject() ? FindMember(*mirror, *key) : nullptr;
    } else {
      const std::size_t index = std::get<std::size_t>(segment);
      if (!node->IsArray() || index >= node->Size()) break;
      const JsonValue* item = &(*node)[static_cast<rapidjson::SizeType>(index)];
      const JsonValue* mirror_item =
          mirror != nullptr && mirror->IsArray() && index < mirror->Size()
              ? &(*mirror)[static_cast<rapidjson::SizeType>(index)]
              : nullptr;
      // Pre-processing sorts some string arrays: find the element by value.
      if (mirror_item != nullptr && mirror_item->IsString() && item->IsString() &&
          *mirror_item != *item) {
        for (const auto& candidate : node->GetArray()) {
          if (candidate.IsString() && candidate == *mirror_item) {
            item = &candidate;
            break;
          }
        }
      }
      node = item;
      mirror = mirror_item;
    }
    const Mark key_mark = key_node != nullptr ? marks.Get(key_node) : Mark{};
    const Mark node_mark = key_mark.known() ? key_mark : marks.Get(node);
    if (node_mark.known()) best = node_mark;
  }
  return best.known() ? best : fallback;
}

}  // namespace idp::catalog
