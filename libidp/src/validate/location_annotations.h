// The two managed-by annotations every entity read from a file carries
// (spec §3.1, §8.4), applied in the two places Backstage applies them.
#pragma once

#include <string_view>

#include "core/json.h"

namespace idp::catalog {

inline constexpr std::string_view kAnnotationLocation = "backstage.io/managed-by-location";
inline constexpr std::string_view kAnnotationOriginLocation =
    "backstage.io/managed-by-origin-location";

// ProcessorOutputCollector: `annotations: {...(annotations || {}), origin,
// location}` (a falsy annotations value becomes a map). `entity` must have
// an object `metadata` (the envelope guarantees it).
void StampLocationAnnotations(JsonValue& entity, std::string_view location_ref,
                              JsonAllocator& allocator);

// AnnotateLocationEntityProcessor (file locations): lodash.merge of
// `{metadata: {annotations: {location, origin}}}` with the entity, whose only
// visible effect once stamped is the key order: `metadata` first at the
// root, `annotations` first in metadata, location then origin first in it.
void AnnotateLocation(JsonValue& entity);

}  // namespace idp::catalog
