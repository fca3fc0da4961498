// Point reads of final entities: by ref, by uid, ancestry (§10.7-§10.9).
#include <set>

#include "model/entity_ref.h"
#include "store/store_impl.h"

namespace idp::store {

namespace {

Json ParseStored(const std::string& text) {
  Json doc;
  doc.Parse(text.data(), text.size());
  return doc;
}

Result<std::optional<Json>> GetOne(Store::Impl& impl, const std::string& sql, const std::string& key) {
  auto lease = impl.AcquireReader();
  if (!lease) return lease.status();
  try {
    auto& q = (*lease)->Prepare(sql);
    q.bind(1, key);
    if (!q.executeStep()) return std::optional<Json>();
    std::optional<Json> out(ParseStored(q.getColumn(0).getString()));
    q.reset();
    return out;
  } catch (const std::exception& e) {
    return SqlError(e, "read");
  }
}

}  // namespace

Result<std::optional<Json>> Store::GetByRef(std::string_view ref) const {
  return GetOne(*impl_, "SELECT final_entity FROM final_entities WHERE entity_ref = ?", model::JsToLower(ref));
}

Result<std::optional<Json>> Store::GetByUid(std::string_view uid) const {
  return GetOne(*impl_, "SELECT final_entity FROM final_entities WHERE uid = ?", std::string(uid));
}

Result<std::vector<std::string>> Store::ListRefs() const {
  auto lease = impl_->AcquireReader();
  if (!lease) return lease.status();
  try {
    auto& q = (*lease)->Prepare("SELECT entity_ref FROM final_entities ORDER BY entity_ref");
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    q.reset();
    return out;
  } catch (const std::exception& e) {
    return SqlError(e, "ListRefs");
  }
}

// Depth-first like Backstage's entityAncestry: the entity, then parents as
// discovered (a stack), each listed once with all of its parents' refs.
Result<Ancestry> Store::GetAncestry(std::string_view ref) const {
  auto lease = impl_->AcquireReader();
  if (!lease) return lease.status();
  const std::string root_ref = model::JsToLower(ref);
  try {
    auto& one = (*lease)->Prepare("SELECT final_entity FROM final_entities WHERE entity_ref = ?");
    one.bind(1, root_ref);
    if (!one.executeStep()) return Status(Code::kNotFound, "No such entity " + root_ref);
    Ancestry out;
    out.root_ref = root_ref;
    std::vector<std::pair<std::string, Json>> todo;
    todo.emplace_back(root_ref, ParseStored(one.getColumn(0).getString()));
    one.reset();
    std::set<std::string> seen{root_ref};
    auto& parents = (*lease)->Prepare(
        "SELECT fe.entity_ref, fe.final_entity FROM refresh_state_references r "
        "JOIN final_entities fe ON fe.entity_ref = r.source_entity_ref WHERE r.target_entity_ref = ? "
        "ORDER BY r.id");
    while (!todo.empty()) {
      auto [current_ref, entity] = std::move(todo.back());
      todo.pop_back();
      AncestryItem item;
      item.entity = std::move(entity);
      parents.reset();
      parents.bind(1, current_ref);
      while (parents.executeStep()) {
        std::string parent = parents.getColumn(0).getString();
        item.parent_refs.push_back(parent);
        if (seen.insert(parent).second) todo.emplace_back(parent, ParseStored(parents.getColumn(1).getString()));
      }
      parents.reset();
      out.items.push_back(std::move(item));
    }
    return out;
  } catch (const std::exception& e) {
    return SqlError(e, "GetAncestry");
  }
}

}  // namespace idp::store
