// The store's answers as JSON text, one shape for the CLI, the C ABI and
// tools: queries ({items,totalItems,pageInfo}), facets ({facets}) and
// ancestry ({rootEntityRef,items}), as Backstage's API writes them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/query.h"
#include "store/store.h"

namespace idp::store {

std::string QuoteJson(std::string_view s);
std::string StringsJson(const std::vector<std::string>& items);
std::string QueryResultJson(const QueryResult& r);
std::string FacetsJson(const FacetsResult& r);
std::string AncestryJson(const Ancestry& a);
// Filter parameters OR-ed, as the query endpoint's repeated `filter`; none: no filter.
Result<std::optional<EntityFilter>> ParseFilters(const std::vector<std::string>& params);

}  // namespace idp::store
