// `filter` parameters (§10.2) and their SQL over the search index.
#include <algorithm>

#include "model/entity_ref.h"
#include "store/store_impl.h"

namespace idp::store {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

Result<FilterSet> ParseFilterParam(std::string_view param) {
  FilterSet set;
  std::size_t start = 0;
  while (start <= param.size()) {
    std::size_t comma = param.find(',', start);
    if (comma == std::string_view::npos) comma = param.size();
    std::string_view statement = param.substr(start, comma - start);
    start = comma + 1;
    if (Trim(statement).empty()) continue;
    const std::size_t eq = statement.find('=');
    std::string key(Trim(statement.substr(0, eq)));
    if (key.empty()) {
      return Status(Code::kInvalidArgument, "Invalid filter, '" + std::string(statement) +
                                                "' is not a valid statement (expected a string on the form a=b or "
                                                "a= or a)");
    }
    std::optional<std::string> value;
    if (eq != std::string_view::npos) value = std::string(Trim(statement.substr(eq + 1)));
    auto it = std::find_if(set.begin(), set.end(), [&](const FilterCondition& c) { return c.key == key; });
    if (it == set.end()) {
      set.push_back({key, {}});
      it = set.end() - 1;
    }
    // A bare key after key=value does not widen the condition; key=value after a bare key narrows it.
    if (value) it->values.push_back(*value);
  }
  return set;
}

SqlFragment FilterToSql(const EntityFilter& filter) {
  if (filter.any_of.empty()) return {"1", {}};
  SqlFragment out;
  out.sql = "(";
  for (std::size_t i = 0; i < filter.any_of.size(); ++i) {
    if (i > 0) out.sql += " OR ";
    const FilterSet& set = filter.any_of[i];
    if (set.empty()) {
      out.sql += "1";
      continue;
    }
    out.sql += "(";
    for (std::size_t j = 0; j < set.size(); ++j) {
      if (j > 0) out.sql += " AND ";
      const auto& cond = set[j];
      out.sql += "f.id IN (SELECT entity_id FROM search WHERE key = ?";
      out.params.push_back(model::JsToLower(cond.key));
      if (!cond.values.empty()) {
        out.sql += " AND value IN (";
        for (std::size_t k = 0; k < cond.values.size(); ++k) {
          out.sql += k > 0 ? ", ?" : "?";
          out.params.push_back(model::JsToLower(cond.values[k]));
        }
        out.sql += ")";
      }
      out.sql += ")";
    }
    out.sql += ")";
  }
  out.sql += ")";
  return out;
}

Result<SqlFragment> WhereForRequest(const std::optional<EntityFilter>& filter, const std::string& predicate) {
  SqlFragment out{"1", {}};
  if (filter) out = FilterToSql(*filter);
  if (!predicate.empty()) {
    auto p = PredicateToSql(predicate);
    if (!p) return p.status();
    out.sql = "(" + out.sql + ") AND ";
    out.Append(*p);
  }
  return out;
}

}  // namespace idp::store
