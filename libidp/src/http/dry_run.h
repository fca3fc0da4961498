// POST /locations?dryRun=true as Backstage's DefaultLocationService does it:
// the location's generated entity is processed right now, then every entity
// it emits, depth first; nothing is stored. The entities come back as
// processed (annotations and defaults, no uid, etag, relations or status).
#pragma once

#include <filesystem>
#include <vector>

#include "catalog/catalog_rules.h"
#include "catalog/processor.h"
#include "catalog/url.h"
#include "core/json.h"
#include "core/status.h"

namespace idp::http {

// kInvalidArgument (400 InputError) when an entity fails processing (the
// errors joined, as Backstage's `errors.map(String).join(', ')`) or one ref
// is emitted twice ("Duplicate nested entity: <ref>").
Result<std::vector<Json>> DryRunLocation(const catalog::LocationSpec& location,
                                         const std::vector<std::filesystem::path>& read_roots,
                                         const catalog::UrlOptions& url, const catalog::CatalogRules& rules);

}  // namespace idp::http
