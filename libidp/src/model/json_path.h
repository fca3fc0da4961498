// A path into an entity's JSON: where a problem is. Rendered for humans as
// `spec.dependsOn[0]` or `metadata.annotations['backstage.io/x']`.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "core/json.h"

namespace idp::model {

using PathSegment = std::variant<std::string, std::size_t>;  // member name or array index
using JsonPath = std::vector<PathSegment>;

std::string FormatPath(const JsonPath& path);
// The deepest node along `path` that exists in `root` (root itself if none);
// `exact` tells whether the whole path was found.
const JsonValue* ResolvePath(const JsonValue& root, const JsonPath& path, bool* exact = nullptr);

// A rule broken by an entity. `message` uses Backstage's wording where
// Backstage has one.
struct Problem {
  JsonPath path;
  std::string message;
};

}  // namespace idp::model
