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

Result<std::vector<model::Relation>> Store::RelationsAt(std::string_view ref, bool outgoing, bool incoming) const {
  auto lease = impl_->AcquireReader();
  if (!lease) return lease.status();
  try {
    std::vector<model::Relation> out;
    const std::string key(ref);
    if (outgoing) {
      auto& q = (*lease)->Prepare(
          "SELECT DISTINCT type, target_entity_ref FROM relations WHERE source_entity_ref = ?1 "
          "AND EXISTS (SELECT 1 FROM final_entities WHERE entity_ref = ?1)");
      q.bind(1, key);
      while (q.executeStep()) out.push_back({key, q.getColumn(0).getString(), q.getColumn(1).getString()});
      q.reset();
    }
    if (incoming) {
      auto& q = (*lease)->Prepare(
          "SELECT DISTINCT r.source_entity_ref, r.type FROM relations r "
          "JOIN final_entities f ON f.entity_ref = r.source_entity_ref WHERE r.target_entity_ref = ?");
      q.bind(1, key);
      while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), key});
      q.reset();
    }
    return out;
  } catch (const std::exception& e) {
    return SqlError(e, "RelationsAt");
  }
}

Result<std::vector<std::string>> Store::ExistingRefs(std::span<const std::string> refs) const {
  auto lease = impl_->AcquireReader();
  if (!lease) return lease.status();
  try {
    auto& q = (*lease)->Prepare("SELECT 1 FROM final_entities WHERE entity_ref = ?");
    std::vector<std::string> out;
    for (const std::string& ref : refs) {
      q.bind(1, ref);
      if (q.executeStep()) out.push_back(ref);
      q.reset();
    }
    return out;
  } catch (const std::exception& e) {
    return SqlError(e, "ExistingRefs");
  }
}

}  // namespace idp::store
