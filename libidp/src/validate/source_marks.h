// Maps a problem's JSON path to where it is written in the YAML source.
#pragma once

#include "core/json.h"
#include "core/source_map.h"
#include "model/json_path.h"

namespace idp::catalog {

// The line:column of the deepest member along `path` that exists in the
// parsed tree `original` (the key's position, where the field is written;
// for a missing field, its parent's). `processed` is the entity the problem
// was found in: it may hold sorted copies of arrays, so an array element is
// matched by value when the indices no longer agree. `fallback` when nothing
// along the path has a position.
Mark MarkForPath(const JsonValue& original, const SourceMap& marks, const JsonValue* processed,
                 const model::JsonPath& path, Mark fallback);

}  // namespace idp::catalog
