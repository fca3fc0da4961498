// The search index rows of one final entity (spec §9.5), exactly as
// Backstage's buildEntitySearch builds them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/status.h"

namespace idp::store {

struct SearchRow {
  std::string key;                            // lower-cased, <= 200 UTF-16 units
  std::optional<std::string> original_value;  // null when absent or > 200 chars
  std::optional<std::string> value;           // lower-cased original_value
  bool operator==(const SearchRow&) const = default;
};

// kInvalid "Entity has duplicate keys that vary only in casing, '...'" when
// two keys differ only in case.
Result<std::vector<SearchRow>> BuildSearchRows(const JsonValue& final_entity);

}  // namespace idp::store
