#include "validate/location_annotations.h"

#include <initializer_list>

namespace idp::catalog {
namespace {

bool Falsy(const JsonValue& v) {
  if (v.IsNull()) return true;
  if (v.IsBool()) return !v.GetBool();
  if (v.IsString()) return v.GetStringLength() == 0;
  if (v.IsNumber()) return v.GetDouble() == 0.0;
  return false;
}

JsonValue* Member(JsonValue& object, std::string_view key) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    if (AsView(it->name) == key) return &it->value;
  }
  return nullptr;
}

// Assignment in JavaScript keeps an existing key's position.
void SetMember(JsonValue& object, std::string_view key, std::string_view value,
               JsonAllocator& allocator) {
  if (JsonValue* existing = Member(object, key)) {
    *existing = MakeString(value, allocator);
    return;
  }
  object.AddMember(MakeString(key, allocator), MakeString(value, allocator), allocator);
}

// Moves the `first` keys (those present) to the front, in that order, the
// rest keeping their order. In place: members are swapped, never copied.
void MoveKeysFirst(JsonValue& object, std::initializer_list<std::string_view> first) {
  if (!object.IsObject()) return;
  auto slot = object.MemberBegin();
  for (std::string_view key : first) {
    auto found = slot;
    while (found != object.MemberEnd() && AsView(found->name) != key) ++found;
    if (found == object.MemberEnd()) continue;
    for (auto it = found; it != slot; --it) {  // bubble it down to `slot`
      auto prev = it - 1;
      it->name.Swap(prev->name);
      it->value.Swap(prev->value);
    }
    ++slot;
  }
}

}  // namespace

void StampLocationAnnotations(JsonValue& entity, std::string_view location_ref,
                              JsonAllocator& allocator) {
  JsonValue* metadata = Member(entity, "metadata");
  if (metadata == nullptr || !metadata->IsObject()) return;
  JsonValue* annotations = Member(*metadata, "annotations");
  if (annotations == nullptr) {
    metadata->AddMember("annotations", JsonValue(rapidjson::kObjectType), allocator);
    annotations = &(metadata->MemberEnd() - 1)->value;
  } else if (Falsy(*annotations)) {
    annotations->SetObject();
  }
  // The file is its own origin: each file is registered as a root location.
  SetMember(*annotations, kAnnotationOriginLocation, location_ref, allocator);
  SetMember(*annotations, kAnnotationLocation, location_ref, allocator);
}

void AnnotateLocation(JsonValue& entity) {
  MoveKeysFirst(entity, {"metadata"});
  JsonValue* metadata = Member(entity, "metadata");
  if (metadata == nullptr || !metadata->IsObject()) return;
  MoveKeysFirst(*metadata, {"annotations"});
  if (JsonValue* annotations = Member(*metadata, "annotations")) {
    MoveKeysFirst(*annotations, {kAnnotationLocation, kAnnotationOriginLocation});
  }
}

}  // namespace idp::catalog
