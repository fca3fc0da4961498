// Opaque cursors for by-query pagination (§10.4): base64 of a JSON object
// carrying the query (filter, predicate, order, full text, total) and the
// sort key of the row the next/previous page starts after.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/query.h"

namespace idp::store {

struct CursorState {
  std::optional<EntityFilter> filter;
  std::string predicate;
  std::vector<OrderField> order;
  MissingOrder missing_order = MissingOrder::kExclude;
  std::optional<FullTextFilter> full_text;
  std::size_t total_items = 0;
  bool previous = false;                          // page before `sort_values`
  std::vector<std::optional<std::string>> sort_values;  // one per order key (ref when no order)
  std::string uid;                                // tie breaker of that row
  bool operator==(const CursorState&) const = default;
};

std::string EncodeCursor(const CursorState& state);
// kInvalidArgument "Malformed cursor: ..." for anything EncodeCursor did not make.
Result<CursorState> DecodeCursor(std::string_view cursor);

std::string Base64Encode(std::string_view data);
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace idp::store
