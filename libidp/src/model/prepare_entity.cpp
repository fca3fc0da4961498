// Pre-processing effects Backstage applies before storing an entity:
// DefaultNamespaceEntityPolicy and BuiltinKindsEntityProcessor.preProcessEntity.

#include "model/entity_ref.h"
#include "model/entity_rules.h"
#include "model/js_string.h"

namespace idp::model {

namespace {

// Moves member `from` of `object` to position `to` (< from), shifting the
// ones between: swaps only, no allocation.
void MoveMemberTo(JsonValue& object, rapidjson::SizeType from, rapidjson::SizeType to) {
  auto begin = object.MemberBegin();
  for (rapidjson::SizeType i = from; i > to; --i) {
    begin[i].name.Swap(begin[i - 1].name);
    begin[i].value.Swap(begin[i - 1].value);
  }
}

// lodash.merge({metadata: {namespace: "default"}}, entity): the result keeps
// the destination's key order, so `metadata` becomes the first root key and
// `namespace` the first metadata key.
void ApplyDefaultNamespace(JsonValue& entity, JsonAllocator& allocator) {
  rapidjson::SizeType index = 0;
  JsonValue* metadata = nullptr;
  for (auto it = entity.MemberBegin(); it != entity.MemberEnd(); ++it, ++index) {
    if (AsView(it->name) == "metadata") {
      metadata = &it->value;
      break;
    }
  }
  if (metadata == nullptr || !metadata->IsObject() || FindMember(*metadata, "namespace") != nullptr) return;
  metadata->AddMember(rapidjson::StringRef("namespace"), rapidjson::StringRef(kDefaultNamespace.data(),
                      static_cast<rapidjson::SizeType>(kDefaultNamespace.size())), allocator);
  MoveMemberTo(*metadata, metadata->MemberCount() - 1, 0);
  MoveMemberTo(entity, index, 0);
}

// value.sort() when the field is a non-empty list of strings only; an
// insertion sort by swaps (the lists are short), stable like V8's sort.
void SortStringList(JsonValue& list) {
  if (!list.IsArray() || list.Empty()) return;
  for (const auto& v : list.GetArray()) {
    if (!v.IsString()) return;
  }
  for (rapidjson::SizeType i = 1; i < list.Size(); ++i) {
    for (rapidjson::SizeType j = i; j > 0 && Utf16Less(AsView(list[j]), AsView(list[j - 1])); --j) {
      list[j].Swap(list[j - 1]);
    }
  }
}

}  // namespace

void PrepareEntity(JsonValue& entity, JsonAllocator& allocator) {
  if (!entity.IsObject()) return;
  ApplyDefaultNamespace(entity, allocator);
  auto spec = entity.FindMember("spec");
  if (spec == entity.MemberEnd() || !spec->value.IsObject()) return;
  for (const char* field : {"providesApis", "consumesApis", "dependsOn", "dependencyOf", "memberOf", "children",
                            "members"}) {
    auto it = spec->value.FindMember(field);
    if (it != spec->value.MemberEnd()) SortStringList(it->value);
  }
}

}  // namespace idp::model
