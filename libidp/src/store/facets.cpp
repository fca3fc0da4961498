// Store::Facets: value counts per index key, original-case values (§10.10).
#include "model/entity_ref.h"
#include "store/store_impl.h"

namespace idp::store {

Result<FacetsResult> Store::Facets(const FacetsRequest& request) const {
  FacetsResult result;
  if (request.facets.empty()) return Status(Code::kInvalidArgument, "Missing facet parameter");
  auto where = WhereForRequest(request.filter, request.predicate);
  if (!where) return where.status();
  SqlFragment sql{"SELECT s.key, s.original_value, COUNT(*) FROM search s JOIN final_entities f ON f.id = s.entity_id "
                  "WHERE s.original_value IS NOT NULL AND s.key IN (",
                  {}};
  for (std::size_t i = 0; i < request.facets.size(); ++i) {
    sql.sql += i ? ", ?" : "?";
    sql.params.push_back(model::JsToLower(request.facets[i]));
  }
  sql.sql += ") AND ";
  sql.Append(*where);
  sql.sql += " GROUP BY s.key, s.original_value ORDER BY s.key, s.original_value";
  auto lease = impl_->AcquireReader();
  if (!lease) return lease.status();
  std::vector<std::tuple<std::string, std::string, std::size_t>> rows;
  try {
    SQLite::Statement q((*lease)->db(), sql.sql);
    BindAll(q, sql.params);
    while (q.executeStep()) {
      rows.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString(),
                        static_cast<std::size_t>(q.getColumn(2).getInt64()));
    }
  } catch (const std::exception& e) {
    return SqlError(e, "Facets");
  }
  for (const auto& facet : request.facets) {
    const std::string lower = model::JsToLower(facet);
    std::vector<FacetValue> values;
    for (const auto& [key, value, count] : rows) {
      if (key == lower) values.push_back({value, count});
    }
    result.facets.emplace_back(facet, std::move(values));
  }
  return result;
}

}  // namespace idp::store
