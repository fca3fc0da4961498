#include "scaffolder/tasks/task_spec.h"

namespace idp::scaffolder::tasks {

Json BuildTaskSpec(const TemplateEntity& tmpl, const JsonValue& values, const JsonValue& user,
                   const std::string& entity_ref, const std::string& base_url) {
  Json spec(rapidjson::kObjectType);
  auto& a = spec.GetAllocator();
  const JsonValue& entity = tmpl.entity;
  spec.AddMember("apiVersion", JsonValue(entity["apiVersion"], a), a);
  JsonValue steps(rapidjson::kArrayType);
  const JsonValue& raw = entity["spec"]["steps"];
  for (rapidjson::SizeType i = 0; i < raw.Size(); ++i) {
    JsonValue s(raw[i], a);
    s.RemoveMember("id");
    s.RemoveMember("name");
    s.AddMember("id", MakeString(tmpl.steps[i].id, a), a);
    s.AddMember("name", MakeString(tmpl.steps[i].name, a), a);
    steps.PushBack(s, a);
  }
  spec.AddMember("steps", steps, a);
  if (const JsonValue* r = FindMember(entity["spec"], "EXPERIMENTAL_recovery")) {
    spec.AddMember("EXPERIMENTAL_recovery", JsonValue(*r, a), a);
  }
  spec.AddMember("output", tmpl.output ? JsonValue(*tmpl.output, a) : JsonValue(rapidjson::kObjectType), a);
  spec.AddMember("parameters", JsonValue(values, a), a);
  spec.AddMember("user", JsonValue(user, a), a);
  JsonValue info(rapidjson::kObjectType);
  info.AddMember("entityRef", MakeString(entity_ref, a), a);
  if (!base_url.empty()) info.AddMember("baseUrl", MakeString(base_url, a), a);
  JsonValue e(rapidjson::kObjectType);
  e.AddMember("metadata", JsonValue(entity["metadata"], a), a);
  info.AddMember("entity", e, a);
  spec.AddMember("templateInfo", info, a);
  return spec;
}

std::string EntityBaseUrl(const JsonValue& entity) {
  const JsonValue* metadata = FindMember(entity, "metadata");
  const JsonValue* annotations = metadata && metadata->IsObject() ? FindMember(*metadata, "annotations") : nullptr;
  if (!annotations || !annotations->IsObject()) return "";
  const JsonValue* location = FindMember(*annotations, "backstage.io/source-location");
  if (!location || !location->IsString()) location = FindMember(*annotations, "backstage.io/managed-by-location");
  if (!location || !location->IsString()) return "";
  const std::string_view ref = AsView(*location);
  const std::size_t colon = ref.find(':');
  if (colon == std::string_view::npos) return "";
  const std::string_view type = ref.substr(0, colon), target = ref.substr(colon + 1);
  if (type == "url") return std::string(target);
  if (type == "file") return "file://" + std::string(target);
  return "";
}

}  // namespace idp::scaffolder::tasks
