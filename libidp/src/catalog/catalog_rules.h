// Catalog rules: which kinds a location may bring in (spec/catalog.md §8.7,
// Backstage's ingestion/CatalogRules).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/processor.h"
#include "core/json.h"

namespace idp::catalog {

struct AllowedKind {
  std::string kind;                       // compared case-insensitively
  std::optional<std::string> spec_type;   // when set, spec.type must equal it
};

struct LocationMatcher {
  std::string type;
  std::optional<std::string> exact;    // target equals
  std::optional<std::string> pattern;  // glob over the target, case-insensitive
};

struct CatalogRule {
  std::vector<AllowedKind> allow;
  std::optional<std::vector<LocationMatcher>> locations;  // absent: any location
};

struct CatalogRules {
  // Empty: every kind is allowed (this engine's default; Backstage's default
  // when catalog.rules is absent is BackstageDefault()).
  std::vector<CatalogRule> rules;

  static CatalogRules AllowAll() { return {}; }
  static CatalogRules BackstageDefault();  // Component, API, Location from anywhere

  // Is `entity`, originating at `origin`, of an allowed kind?
  bool IsAllowed(const JsonValue& entity, const LocationSpec& origin) const;
};

}  // namespace idp::catalog
