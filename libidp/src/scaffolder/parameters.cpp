#include "scaffolder/parameters.h"

#include "scaffolder/json_schema.h"

namespace idp::scaffolder {

std::optional<Json> ValidateValues(const TemplateEntity& tmpl, const JsonValue& values) {
  for (const JsonValue* page : tmpl.pages) {
    auto schema = CompiledSchema::Compile(*page);
    if (!schema.ok()) continue;
    Json errors = (*schema)->Validate(&values);
    if (!errors.Empty()) return errors;
  }
  return std::nullopt;
}

std::optional<Json> ValidateSecrets(const TemplateEntity& tmpl, const JsonValue& secrets) {
  if (!tmpl.secrets_schema) return std::nullopt;
  auto schema = CompiledSchema::Compile(*tmpl.secrets_schema);
  if (!schema.ok()) return std::nullopt;
  Json errors = (*schema)->Validate(&secrets);
  if (errors.Empty()) return std::nullopt;
  // The router words secrets errors on `secrets`, and never echoes them.
  auto& a = errors.GetAllocator();
  for (auto& e : errors.GetArray()) {
    std::string property(AsView(e["property"]));
    if (property.rfind("instance", 0) == 0) property = "secrets" + property.substr(8);
    const JsonValue* name = FindMember(e, "name");
    const JsonValue* argument = FindMember(e, "argument");
    std::string message;
    if (name && name->IsString() && AsView(*name) == "required" && argument && argument->IsString()) {
      message = "secrets." + std::string(AsView(*argument)) + " is required";
    } else {
      message = property + " " + std::string(AsView(e["message"]));
    }
    e["property"] = MakeString(property, a);
    e["message"] = MakeString(message, a);
    if (e.HasMember("instance")) e["instance"].SetObject();
  }
  return errors;
}

}  // namespace idp::scaffolder
