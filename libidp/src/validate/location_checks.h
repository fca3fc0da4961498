// The Location-entity checks Backstage runs before reading targets (spec
// §8.2): the type must be the entity's own location type or an allowed one,
// and `file` targets must not end with a path separator. Targets are not
// read (like the oracle, which validates Location entities without
// following them).
#pragma once

#include <string_view>
#include <vector>

#include "core/json.h"
#include "model/json_path.h"

namespace idp::catalog {

struct OwnLocation {
  std::string_view type;  // where the Location entity itself was read from
  std::string_view target;
};

std::vector<model::Problem> CheckLocationEntity(const JsonValue& entity, const OwnLocation& own);

}  // namespace idp::catalog
