// The whole relation graph in one read (for traversals outside SQL).
#include "store/store_impl.h"

namespace idp::store {

Result<std::vector<model::Relation>> Store::ListRelations() const {
  auto lease = impl_->AcquireReader();
  if (!lease) return lease.status();
  try {
    // Same rows stitching puts into each entity's `relations` (§7.2).
    auto& q = (*lease)->Prepare(
        "SELECT DISTINCT r.source_entity_ref, r.type, r.target_entity_ref FROM relations r "
        "JOIN final_entities f ON f.entity_ref = r.source_entity_ref "
        "ORDER BY r.source_entity_ref, r.type, r.target_entity_ref");
    std::vector<model::Relation> out;
    while (q.executeStep()) {
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    }
    q.reset();
    return out;
  } catch (const std::exception& e) {
    return SqlError(e, "ListRelations");
  }
}

}  // namespace idp::store
