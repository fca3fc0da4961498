// catalog:write as Backstage's createCatalogWriteAction: the entity with
// metadata.annotations["backstage.io/source-template"] set to the template's
// ref, written as the `yaml` package's stringify writes it, into the
// workspace only.
#include <string>

#include "catalog/catalog_actions.h"
#include "scaffolder/files.h"
#include "scaffolder/path_safety.h"
#include "scaffolder/yaml_emit.h"
#include "template/js.h"

namespace idp::scaffolder::actions {

namespace {

// `{...value}` in JavaScript: objects copied, arrays and strings by index,
// anything else nothing.
void SpreadInto(const JsonValue& value, JsonValue& into, JsonAllocator& a) {
  if (value.IsObject()) {
    for (const auto& m : value.GetObject()) {
      if (JsonValue* existing = const_cast<JsonValue*>(FindMember(into, AsView(m.name)))) {
        existing->CopyFrom(m.value, a);
      } else {
        into.AddMember(JsonValue(m.name, a), JsonValue(m.value, a), a);
      }
    }
  } else if (value.IsArray()) {
    rapidjson::SizeType i = 0;
    for (const auto& item : value.GetArray()) into.AddMember(MakeString(std::to_string(i++), a), JsonValue(item, a), a);
  } else if (value.IsString()) {
    const std::u16string units = tmpl::js::ToU16(AsView(value));
    for (std::size_t i = 0; i < units.size(); ++i) {
      into.AddMember(MakeString(std::to_string(i), a), MakeString(tmpl::js::FromU16(units.substr(i, 1)), a), a);
    }
  }
}

// Sets `key` keeping its place when present (a spread overrides in place).
void Set(JsonValue& object, std::string_view key, JsonValue value, JsonAllocator& a) {
  if (JsonValue* existing = const_cast<JsonValue*>(FindMember(object, key))) {
    *existing = std::move(value);
  } else {
    object.AddMember(MakeString(key, a), std::move(value), a);
  }
}

}  // namespace

Status CatalogWrite(ActionContext& ctx) {
  const JsonValue* entity = FindMember(ctx.input(), "entity");
  if (!entity || !entity->IsObject()) return Status(Code::kInvalidArgument, "entity must be an object");
  const JsonValue* file_path = FindMember(ctx.input(), "filePath");
  const std::string path = file_path && file_path->IsString() ? std::string(AsView(*file_path)) : "catalog-info.yaml";
  const std::string& template_ref = ctx.template_info().entity_ref;

  Json out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  SpreadInto(*entity, out, a);
  const JsonValue* metadata = FindMember(*entity, "metadata");
  JsonValue new_metadata(rapidjson::kObjectType);
  if (metadata) SpreadInto(*metadata, new_metadata, a);
  if (!template_ref.empty()) {
    if (!metadata || metadata->IsNull()) {
      return Status(Code::kInternal, std::string("Cannot read properties of ") +
                                         (metadata ? "null" : "undefined") + " (reading 'annotations')");
    }
    JsonValue annotations(rapidjson::kObjectType);
    const JsonValue* old = metadata->IsObject() ? FindMember(*metadata, "annotations") : nullptr;
    if (old) SpreadInto(*old, annotations, a);
    Set(annotations, "backstage.io/source-template", MakeString(template_ref, a), a);
    Set(new_metadata, "annotations", std::move(annotations), a);
  }
  Set(out, "metadata", std::move(new_metadata), a);

  ctx.Info("Writing " + path);
  auto target = ResolveSafeChildPath(ctx.workspace(), path);
  if (!target.ok()) return target.status();
  return WriteWholeFile(*target, YamlStringify(out));
}

}  // namespace idp::scaffolder::actions
