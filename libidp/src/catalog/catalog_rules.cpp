#include "catalog/catalog_rules.h"

#include <fnmatch.h>

#include "model/entity_ref.h"

namespace idp::catalog {
namespace {

bool MatchLocation(const LocationSpec& origin, const std::optional<std::vector<LocationMatcher>>& m) {
  if (!m) return true;
  for (const LocationMatcher& matcher : *m) {
    if (matcher.type != origin.type) continue;
    if (matcher.exact && *matcher.exact != origin.target) continue;
    // minimatch(target, pattern, {nocase: true})
    if (matcher.pattern &&
        fnmatch(matcher.pattern->c_str(), origin.target.c_str(), FNM_CASEFOLD) != 0) {
      continue;
    }
    return true;
  }
  return false;
}

bool MatchEntity(const JsonValue& entity, const std::vector<AllowedKind>& allow) {
  const JsonValue* kind = FindMember(entity, "kind");
  if (kind == nullptr || !kind->IsString()) return false;
  const std::string lower = model::JsToLower(AsView(*kind));
  for (const AllowedKind& a : allow) {
    if (model::JsToLower(a.kind) != lower) continue;
    if (a.spec_type) {
      const JsonValue* spec = FindMember(entity, "spec");
      const JsonValue* type = spec && spec->IsObject() ? FindMember(*spec, "type") : nullptr;
      if (type == nullptr || !type->IsString() || AsView(*type) != *a.spec_type) continue;
    }
    return true;
  }
  return false;
}

}  // namespace

CatalogRules CatalogRules::BackstageDefault() {
  CatalogRules r;
  r.rules.push_back({{{"Component", std::nullopt}, {"API", std::nullopt}, {"Location", std::nullopt}},
                     std::nullopt});
  return r;
}

bool CatalogRules::IsAllowed(const JsonValue& entity, const LocationSpec& origin) const {
  if (rules.empty()) return true;
  for (const CatalogRule& rule : rules) {
    if (MatchLocation(origin, rule.locations) && MatchEntity(entity, rule.allow)) return true;
  }
  return false;
}

}  // namespace idp::catalog
