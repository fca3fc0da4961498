// `fields` projection (§10.2), as Backstage's parseEntityTransformParams:
// dotted paths where a missing segment is glued to the next one, so map keys
// with dots (annotation names) resolve.
#include <vector>

#include "store/query.h"

namespace idp::store {

namespace {

std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = s.find('.', start);
    out.emplace_back(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// lodash.set(out, path, value): creates objects along the way.
void SetPath(JsonValue& out, const std::vector<std::string>& path, const JsonValue& value, JsonAllocator& a) {
  JsonValue* node = &out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const bool last = i + 1 == path.size();
    auto it = node->FindMember(rapidjson::StringRef(path[i].data(), static_cast<rapidjson::SizeType>(path[i].size())));
    if (it == node->MemberEnd()) {
      node->AddMember(MakeString(path[i], a), last ? JsonValue(value, a) : JsonValue(rapidjson::kObjectType), a);
      node = &(node->MemberEnd() - 1)->value;
    } else if (last) {
      it->value = JsonValue(value, a);
    } else {
      if (!it->value.IsObject()) it->value.SetObject();
      node = &it->value;
    }
  }
}

}  // namespace

Result<Json> ProjectFields(const JsonValue& entity, const std::vector<std::string>& fields) {
  Json out(rapidjson::kObjectType);
  for (const auto& field : fields) {
    if (field.find('[') != std::string::npos) {
      return Status(Code::kInvalidArgument, "Invalid field \"" + field + "\", array type fields are not supported");
    }
    std::vector<std::string> parts = Split(field);
    std::vector<std::string> path;
    const JsonValue* current = &entity;
    bool found = true;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const JsonValue* next = current->IsObject() ? FindMember(*current, parts[i]) : nullptr;
      if (next != nullptr) {
        path.push_back(parts[i]);
        current = next;
      } else if (i + 1 < parts.size()) {
        parts[i + 1] = parts[i] + "." + parts[i + 1];
      } else {
        found = false;
      }
    }
    if (found && !path.empty()) SetPath(out, path, *current, out.GetAllocator());
  }
  return out;
}

}  // namespace idp::store
