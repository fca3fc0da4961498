// Query requests over the final entities (spec §10.2-§10.5, §10.10).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/status.h"

namespace idp::store {

// One condition of a filter set: key exists (values empty) or key has any of values.
struct FilterCondition {
  std::string key;
  std::vector<std::string> values;
  bool operator==(const FilterCondition&) const = default;
};
// Conditions AND-ed.
using FilterSet = std::vector<FilterCondition>;
// Sets OR-ed (§10.2: one `filter` parameter per set). No sets: everything.
struct EntityFilter {
  std::vector<FilterSet> any_of;
  bool operator==(const EntityFilter&) const = default;
};

// Parses one `filter` parameter ("kind=component,spec.type=service,metadata.tags").
// Repeated keys in one set become one condition with several values.
Result<FilterSet> ParseFilterParam(std::string_view param);

struct OrderField {
  std::string field;
  bool descending = false;
  bool operator==(const OrderField&) const = default;
};

// What to do with entities lacking the first order field: by-query excludes
// them (§10.4); paged GET /entities puts them last (§10.3).
enum class MissingOrder { kExclude, kLast };

struct FullTextFilter {
  std::string term;
  std::vector<std::string> fields;  // empty: the first order field, else metadata.uid
  bool operator==(const FullTextFilter&) const = default;
};

struct QueryRequest {
  std::optional<EntityFilter> filter;
  std::string predicate;               // §10.5 predicate as JSON text; empty: none. AND-ed with filter.
  std::vector<OrderField> order;       // empty: entity ref ascending
  MissingOrder missing_order = MissingOrder::kExclude;
  std::optional<FullTextFilter> full_text;
  std::size_t offset = 0;              // first page only
  std::optional<std::size_t> limit;    // none: all rows
  std::string cursor;                  // from a previous QueryResult; overrides filter/order/full_text/offset
  std::vector<std::string> fields;     // projection (dotted paths); empty: whole entities
  bool include_total = true;
};

struct QueryResult {
  std::vector<Json> items;
  std::size_t total_items = 0;
  std::string next_cursor;  // empty: no next page
  std::string prev_cursor;  // empty: first page
};

struct FacetsRequest {
  std::vector<std::string> facets;  // as requested (result keyed by these)
  std::optional<EntityFilter> filter;
  std::string predicate;
};

struct FacetValue {
  std::string value;  // original case
  std::size_t count = 0;
};
struct FacetsResult {
  std::vector<std::pair<std::string, std::vector<FacetValue>>> facets;  // request order
};

// Keeps only the `fields` subtrees of `entity` (§10.2 `fields`). An entry
// containing '[' is kInvalidArgument.
Result<Json> ProjectFields(const JsonValue& entity, const std::vector<std::string>& fields);

}  // namespace idp::store
