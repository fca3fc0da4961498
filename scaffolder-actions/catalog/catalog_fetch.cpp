// catalog:fetch as Backstage's createFetchCatalogEntityAction: refs parsed
// with the given defaults, a missing entity a plain Error naming the ref as
// written, null in its place when `optional`.
#include <optional>

#include "catalog/catalog.h"
#include "catalog/catalog_actions.h"
#include "model/entity_ref.h"

namespace idp::scaffolder::actions {

namespace {

std::optional<std::string_view> OptString(const JsonValue& input, std::string_view key) {
  const JsonValue* v = FindMember(input, key);
  if (!v || !v->IsString()) return std::nullopt;
  return AsView(*v);
}

// The entity for `ref`, or null (JSON) when the catalog has none.
Status Lookup(const catalog::Catalog& catalog, std::string_view ref, const model::RefContext& defaults,
              bool optional, Json& out) {
  auto name = model::ParseEntityRef(ref, defaults);
  if (!name.ok()) return name.status();
  auto found = catalog.GetByRef(model::CanonicalRef(*name));
  if (!found.ok()) return found.status();
  if (!*found) {
    // Backstage throws a plain Error here, not a NotFoundError.
    if (!optional) return Status(Code::kInternal, "Entity " + std::string(ref) + " not found");
    out.SetNull();
    return Status::Ok();
  }
  out = std::move(**found);
  return Status::Ok();
}

}  // namespace

Status CatalogFetch(ActionContext& ctx, const catalog::Catalog* catalog) {
  const JsonValue& input = ctx.input();
  const JsonValue* optional_v = FindMember(input, "optional");
  const bool optional = optional_v && optional_v->IsTrue();
  const auto entity_ref = OptString(input, "entityRef");
  const JsonValue* refs = FindMember(input, "entityRefs");
  const bool has_ref = entity_ref && !entity_ref->empty();  // "" is falsy in JavaScript
  const bool has_refs = refs && refs->IsArray();
  if (!has_ref && !has_refs) {
    if (optional) return Status::Ok();
    return Status(Code::kInternal, "Missing entity reference or references");
  }
  if (!catalog) return NoCatalog("catalog:fetch");
  model::RefContext defaults;
  defaults.default_kind = OptString(input, "defaultKind");
  defaults.default_namespace = OptString(input, "defaultNamespace");
  if (has_ref) {
    Json entity;
    if (Status s = Lookup(*catalog, *entity_ref, defaults, optional, entity); !s.ok()) return s;
    ctx.Output("entity", entity);
  }
  if (has_refs) {
    // Every ref is parsed before any lookup, as Backstage maps them first.
    for (const auto& r : refs->GetArray()) {
      auto name = model::ParseEntityRef(AsView(r), defaults);
      if (!name.ok()) return name.status();
    }
    Json entities(rapidjson::kArrayType);
    for (const auto& r : refs->GetArray()) {
      Json entity;
      if (Status s = Lookup(*catalog, AsView(r), defaults, optional, entity); !s.ok()) return s;
      entities.PushBack(JsonValue(entity, entities.GetAllocator()), entities.GetAllocator());
    }
    ctx.Output("entities", entities);
  }
  return Status::Ok();
}

}  // namespace idp::scaffolder::actions
