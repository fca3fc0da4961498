// Location refs and the generated Location entity of a registered location
// (spec/catalog.md §8.1, §8.3; Backstage's util/conversion).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "catalog/processor.h"
#include "core/json.h"
#include "core/status.h"

namespace idp::catalog {

// `<type>:<target>` split at the first ':', both parts trimmed, non-empty.
Result<LocationSpec> ParseLocationRef(std::string_view ref);

// `generated-<sha1hex of "<type>:<target>">`.
std::string GeneratedLocationName(const LocationSpec& location);

// locationSpecToLocationEntity: annotations `own` / `origin` (both the
// location itself for a registered root), spec {type, target[, presence]}.
Json GeneratedLocationEntity(const LocationSpec& location, std::string_view own,
                             std::string_view origin,
                             std::optional<std::string_view> presence = std::nullopt);

}  // namespace idp::catalog
