// catalog:register as Backstage's createCatalogRegisterAction, into the
// engine's Catalog: the location is added (an error unless `optional`), the
// catalog refreshed, and the entity Backstage's dry run would pick (the first
// non-generated Component, else the first non-generated entity, else the
// first; ties in ref order) answered as entityRef.
// idp extension: a target that is not an http(s) URL (an absolute path, a
// file: URL, or a path relative to the workspace) registers a `file`
// location, read only below the catalog's allowed roots.
#include <filesystem>

#include "catalog/catalog.h"
#include "catalog/catalog_actions.h"
#include "model/entity_ref.h"
#include "scaffolder/path_safety.h"

namespace idp::scaffolder::actions {

namespace fs = std::filesystem;

namespace {

bool IsHttpUrl(std::string_view s) { return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0; }

// repoContentsUrl + catalogInfoPath as an integration's resolveUrl does for
// a repository root: "/x" below the root, "x" relative to the base URL's
// directory (new URL(x, base)).
std::string JoinRepoPath(std::string_view base, std::string_view path) {
  std::string out(base);
  if (!path.empty() && path.front() == '/') {
    while (!out.empty() && out.back() == '/') out.pop_back();
    return out + std::string(path);
  }
  const std::size_t authority = out.find("://");
  const std::size_t slash = out.rfind('/');
  if (authority != std::string::npos && (slash == std::string::npos || slash < authority + 3)) {
    return out + "/" + std::string(path);  // "http://host": the root
  }
  return out.substr(0, slash + 1) + std::string(path);
}

struct Target {
  std::string type;    // "url" | "file"
  std::string target;  // the URL, or an absolute normalised path
};

Result<Target> LocationFor(const ActionContext& ctx, const std::string& url) {
  if (IsHttpUrl(url)) return Target{"url", url};
  std::string path = url;
  if (path.rfind("file://", 0) == 0) path = path.substr(7);
  if (!path.empty() && path.front() == '/') return Target{"file", fs::path(path).lexically_normal().string()};
  auto inside = ResolveSafeChildPath(ctx.workspace(), path);
  if (!inside.ok()) return inside.status();
  return Target{"file", inside->lexically_normal().string()};
}

std::string RefOf(const JsonValue& entity) {
  const JsonValue* kind = FindMember(entity, "kind");
  const JsonValue* meta = FindMember(entity, "metadata");
  const JsonValue* ns = meta ? FindMember(*meta, "namespace") : nullptr;
  const JsonValue* name = meta ? FindMember(*meta, "name") : nullptr;
  return model::CanonicalRef(kind && kind->IsString() ? AsView(*kind) : "",
                             ns && ns->IsString() ? AsView(*ns) : model::kDefaultNamespace,
                             name && name->IsString() ? AsView(*name) : "");
}

bool Generated(const JsonValue& entity) {
  const JsonValue* meta = FindMember(entity, "metadata");
  const JsonValue* name = meta ? FindMember(*meta, "name") : nullptr;
  return name && name->IsString() && AsView(*name).rfind("generated-", 0) == 0;
}

// The first processing error recorded on any of the location's entities.
std::string FirstError(const std::vector<Json>& entities) {
  for (const auto& e : entities) {
    const JsonValue* status = FindMember(e, "status");
    const JsonValue* items = status ? FindMember(*status, "items") : nullptr;
    if (!items || !items->IsArray()) continue;
    for (const auto& item : items->GetArray()) {
      const JsonValue* error = FindMember(item, "error");
      const JsonValue* message = error ? FindMember(*error, "message") : nullptr;
      if (message && message->IsString()) return std::string(AsView(*message));
    }
  }
  return "";
}

// The refresh's outcome for this location: its entities, or why none came.
Result<std::vector<Json>> EntitiesOf(catalog::Catalog& catalog, const Target& t) {
  if (auto refreshed = catalog.Refresh(); !refreshed.ok()) return refreshed.status();
  store::QueryRequest q;
  q.filter = store::EntityFilter{
      {{store::FilterCondition{"metadata.annotations.backstage.io/managed-by-origin-location", {t.type + ":" + t.target}}}}};
  auto result = catalog.Query(q);
  if (!result.ok()) return result.status();
  std::vector<Json> entities = std::move(result->items);
  // An entity whose first processing failed has no final form (as in
  // Backstage): nothing at all means the location could not be read.
  if (entities.empty()) {
    return Status(Code::kInvalid, "Location " + t.type + ":" + t.target +
                                      " could not be processed: no entity was read from it (url allowlist, "
                                      "allowed roots, a missing file or invalid YAML)");
  }
  bool read_any = false;
  for (const auto& e : entities) read_any = read_any || !Generated(e);
  if (!read_any) {
    const std::string why = FirstError(entities);
    if (!why.empty()) return Status(Code::kInvalid, why);
  }
  return entities;
}

}  // namespace

Status CatalogRegister(ActionContext& ctx, catalog::Catalog* catalog, const LocationCheck& check) {
  const JsonValue& input = ctx.input();
  const JsonValue* optional_v = FindMember(input, "optional");
  const bool optional = optional_v && optional_v->IsTrue();
  std::string url;
  if (const JsonValue* info = FindMember(input, "catalogInfoUrl"); info && info->IsString()) {
    url = std::string(AsView(*info));
  } else {
    const JsonValue* base = FindMember(input, "repoContentsUrl");
    const JsonValue* path = FindMember(input, "catalogInfoPath");
    if (!base || !base->IsString()) return Status(Code::kInvalidArgument, "repoContentsUrl must be a string");
    url = JoinRepoPath(AsView(*base), path && path->IsString() ? AsView(*path) : "/catalog-info.yaml");
  }
  ctx.Info("Registering " + url + " in the catalog");
  if (!catalog) return NoCatalog("catalog:register");
  auto target = LocationFor(ctx, url);
  if (!target.ok()) return target.status();

  // An optional registration goes on past a refused or failed add, as Backstage's does.
  const Status allowed = check ? check(target->type, target->target) : Status::Ok();
  if (!allowed.ok() && !optional) return allowed;
  if (allowed.ok()) {
    if (auto added = catalog->AddLocation(target->type, target->target); !added.ok() && !optional) {
      return added.status();
    }
  }
  auto entities = EntitiesOf(*catalog, *target);
  if (!entities.ok()) {
    if (!optional) return entities.status();
  } else if (!entities->empty()) {
    const JsonValue* pick = nullptr;
    for (const auto& e : *entities) {
      const JsonValue* kind = FindMember(e, "kind");
      if (!pick && !Generated(e) && kind && kind->IsString() && AsView(*kind) == "Component") pick = &e;
    }
    for (const auto& e : *entities) {
      if (!pick && !Generated(e)) pick = &e;
    }
    if (!pick) pick = &entities->front();
    Json ref;
    const std::string text = RefOf(*pick);
    ref.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()), ref.GetAllocator());
    ctx.Output("entityRef", ref);
  }
  Json info;
  info.SetString(url.data(), static_cast<rapidjson::SizeType>(url.size()), info.GetAllocator());
  ctx.Output("catalogInfoUrl", info);
  return Status::Ok();
}

}  // namespace idp::scaffolder::actions
