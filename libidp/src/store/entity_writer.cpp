// Writes of processing results, deletions, orphans and locations (§8.6, §8.9).
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "store/store_impl.h"

namespace idp::store {

namespace {

using RefSet = std::set<std::string>;

std::string ErrorsJson(const std::vector<catalog::ProcessingError>& errors) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartArray();
  for (const auto& e : errors) {
    w.StartObject();
    w.Key("name");
    w.String(e.name);
    w.Key("message");
    w.String(e.message);
    if (e.cause_name || e.cause_message) {
      w.Key("cause");
      w.StartObject();
      w.Key("name");
      w.String(e.cause_name.value_or("Error"));
      w.Key("message");
      w.String(e.cause_message.value_or(""));
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  return {buf.GetString(), buf.GetSize()};
}

std::vector<std::string> Column0(SQLite::Statement& q) {
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

class Writer {
 public:
  Writer(Store::Impl& impl, WriteSummary& summary, RefSet& stitch)
      : impl_(impl), c_(*impl.writer), summary_(summary), stitch_(stitch) {}

  void Apply(const catalog::ProcessedEntity& p) {
    auto& sel = c_.Prepare("SELECT id, location_key, result_hash FROM refresh_state WHERE entity_ref = ?");
    sel.bind(1, p.ref);
    const bool exists = sel.executeStep();
    std::int64_t id = 0;
    std::string row_key, row_hash;
    if (exists) {
      id = sel.getColumn(0).getInt64();
      row_key = sel.getColumn(1).getString();
      row_hash = sel.getColumn(2).getString();
    }
    sel.reset();

    if (exists && !row_key.empty() && !p.location_key.empty() && row_key != p.location_key) {
      // §8.6: first location wins; the loser's links and relations are never recorded.
      summary_.conflicts.push_back({p.ref, p.location_key, row_key});
      ForgetSource(p.location_key);
      if (!p.parent_ref.empty()) {
        auto& del = c_.Prepare(
            "DELETE FROM refresh_state_references WHERE source_entity_ref = ? AND target_entity_ref = ?");
        del.bind(1, p.parent_ref);
        del.bind(2, p.ref);
        if (del.exec() > 0) stitch_.insert(p.ref);
      }
      return;
    }
    if (exists && !p.result_hash.empty() && row_hash == p.result_hash) {
      ++summary_.unchanged;
      EnsureParentLink(p);
      return;
    }

    const std::string errors = p.errors.empty() ? std::string() : ErrorsJson(p.errors);
    if (!exists) {
      auto& ins = c_.Prepare(
          "INSERT INTO refresh_state (entity_ref, uid, location_key, processed_entity, result_hash, errors) "
          "VALUES (?, ?, ?, ?, ?, ?)");
      ins.bind(1, p.ref);
      ins.bind(2, impl_.uuids.Next());
      BindOrNull(ins, 3, p.location_key);
      if (p.ok) ins.bind(4, ToJsonString(p.entity));
      BindOrNull(ins, 5, p.result_hash);
      BindOrNull(ins, 6, errors);
      ins.exec();
      id = c_.db().getLastInsertRowid();
    } else if (p.ok) {
      auto& upd = c_.Prepare(
          "UPDATE refresh_state SET location_key = ?, processed_entity = ?, result_hash = ?, errors = ? "
          "WHERE id = ?");
      BindOrNull(upd, 1, p.location_key.empty() ? row_key : p.location_key);
      upd.bind(2, ToJsonString(p.entity));
      BindOrNull(upd, 3, p.result_hash);
      BindOrNull(upd, 4, errors);
      upd.bind(5, id);
      upd.exec();
    } else {
      // A failed run keeps the previous content, relations and children (§1, §8.9).
      auto& upd = c_.Prepare(
          "UPDATE refresh_state SET result_hash = ?, errors = ?, location_key = IFNULL(location_key, ?) "
          "WHERE id = ?");
      BindOrNull(upd, 1, p.result_hash);
      BindOrNull(upd, 2, errors);
      BindOrNull(upd, 3, p.location_key);
      upd.bind(4, id);
      upd.exec();
    }
    stitch_.insert(p.ref);
    if (p.ok) {
      ReplaceRelations(id, exists, p.relations);
      ReplaceChildren(p.ref, exists, p.children);
    }
    EnsureParentLink(p);
  }

  // Removes one entity's state; `reset_parents`: make its parents re-emit it
  // on their next run (their unchanged result hash would skip it otherwise).
  void Delete(std::int64_t id, const std::string& ref, bool reset_parents) {
    auto& forget = c_.Prepare(
        "DELETE FROM source_files WHERE key = (SELECT location_key FROM refresh_state WHERE id = ?)");
    forget.bind(1, id);
    forget.exec();
    auto& rel = c_.Prepare(
        "SELECT source_entity_ref, target_entity_ref FROM relations WHERE originating_id = ?");
    rel.bind(1, id);
    while (rel.executeStep()) {
      stitch_.insert(rel.getColumn(0).getString());
      stitch_.insert(rel.getColumn(1).getString());
    }
    rel.reset();
    auto& kids = c_.Prepare("SELECT target_entity_ref FROM refresh_state_references WHERE source_entity_ref = ?");
    kids.bind(1, ref);
    for (auto& k : Column0(kids)) stitch_.insert(std::move(k));
    auto& parents = c_.Prepare(
        "SELECT DISTINCT source_entity_ref FROM refresh_state_references "
        "WHERE target_entity_ref = ? AND source_entity_ref IS NOT NULL");
    parents.bind(1, ref);
    for (auto& parent : Column0(parents)) {
      if (reset_parents) {
        auto& reset = c_.Prepare("UPDATE refresh_state SET result_hash = 'child-was-deleted' WHERE entity_ref = ?");
        reset.bind(1, parent);
        reset.exec();
      }
      summary_.to_reprocess.push_back(std::move(parent));
    }
    auto& del_refs = c_.Prepare(
        "DELETE FROM refresh_state_references WHERE source_entity_ref = ?1 OR target_entity_ref = ?1");
    del_refs.bind(1, ref);
    del_refs.exec();
    auto& del = c_.Prepare("DELETE FROM refresh_state WHERE id = ?");
    del.bind(1, id);
    del.exec();
    summary_.deleted.push_back(ref);
  }

  // Deletes entities without incoming references until none is left.
  void DeleteOrphans(const std::set<std::string>* only_among) {
    for (;;) {
      auto& q = c_.Prepare(
          "SELECT id, entity_ref FROM refresh_state rs WHERE NOT EXISTS "
          "(SELECT 1 FROM refresh_state_references r WHERE r.target_entity_ref = rs.entity_ref)");
      std::vector<std::pair<std::int64_t, std::string>> orphans;
      while (q.executeStep()) {
        std::string ref = q.getColumn(1).getString();
        if (only_among == nullptr || only_among->count(ref) > 0) {
          orphans.emplace_back(q.getColumn(0).getInt64(), std::move(ref));
        }
      }
      q.reset();
      if (orphans.empty()) return;
      for (const auto& [id, ref] : orphans) Delete(id, ref, false);
    }
  }

  // Deletes those of `todo` that have no incoming reference, then those of
  // their children that became orphans, and so on: what a full scan finds
  // when `todo` holds every ref that lost a reference.
  void DeleteOrphansAmong(std::vector<std::string> todo) {
    auto& orphan = c_.Prepare(
        "SELECT id FROM refresh_state rs WHERE entity_ref = ? AND NOT EXISTS "
        "(SELECT 1 FROM refresh_state_references r WHERE r.target_entity_ref = rs.entity_ref)");
    auto& kids = c_.Prepare("SELECT target_entity_ref FROM refresh_state_references WHERE source_entity_ref = ?");
    std::set<std::string> seen;
    while (!todo.empty()) {
      std::vector<std::string> next;
      for (const std::string& ref : todo) {
        if (!seen.insert(ref).second) continue;
        orphan.reset();
        orphan.bind(1, ref);
        if (!orphan.executeStep()) continue;
        const std::int64_t id = orphan.getColumn(0).getInt64();
        orphan.reset();
        kids.reset();
        kids.bind(1, ref);
        for (auto& k : Column0(kids)) next.push_back(std::move(k));
        Delete(id, ref, false);
      }
      todo = std::move(next);
    }
  }

  std::optional<std::pair<std::int64_t, std::string>> Find(const std::string& column, std::string_view value) {
    auto& q = c_.Prepare("SELECT id, entity_ref FROM refresh_state WHERE " + column + " = ?");
    q.bind(1, std::string(value));
    if (!q.executeStep()) return std::nullopt;
    auto out = std::make_pair(q.getColumn(0).getInt64(), q.getColumn(1).getString());
    q.reset();
    return out;
  }

  Connection& connection() { return c_; }

 private:
  // The file's saved source record no longer describes what is stored.
  void ForgetSource(const std::string& location_key) {
    auto& forget = c_.Prepare("DELETE FROM source_files WHERE key = ?");
    forget.bind(1, location_key);
    forget.exec();
  }

  static void BindOrNull(SQLite::Statement& s, int i, const std::string& v) {
    if (v.empty()) {
      s.bind(i);
    } else {
      s.bind(i, v);
    }
  }

  void ReplaceRelations(std::int64_t id, bool existed, const std::vector<model::Relation>& relations) {
    std::set<model::Relation> next(relations.begin(), relations.end());
    std::set<model::Relation> prev;
    if (existed) {
      auto& q = c_.Prepare(
          "SELECT source_entity_ref, type, target_entity_ref FROM relations WHERE originating_id = ?");
      q.bind(1, id);
      while (q.executeStep()) {
        prev.insert({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
      }
      q.reset();
    }
    if (prev == next) return;
    std::vector<model::Relation> changed;
    std::set_symmetric_difference(prev.begin(), prev.end(), next.begin(), next.end(), std::back_inserter(changed));
    for (const auto& r : changed) stitch_.insert(r.source);
    if (!prev.empty()) {
      auto& del = c_.Prepare("DELETE FROM relations WHERE originating_id = ?");
      del.bind(1, id);
      del.exec();
    }
    auto& ins = c_.Prepare(
        "INSERT INTO relations (originating_id, source_entity_ref, type, target_entity_ref) VALUES (?, ?, ?, ?)");
    for (const auto& r : next) {
      ins.reset();
      ins.bind(1, id);
      ins.bind(2, r.source);
      ins.bind(3, r.type);
      ins.bind(4, r.target);
      ins.exec();
    }
  }

  void ReplaceChildren(const std::string& ref, bool existed, const std::vector<std::string>& children) {
    std::set<std::string> next(children.begin(), children.end());
    std::set<std::string> prev;
    if (existed) {
      auto& q = c_.Prepare("SELECT target_entity_ref FROM refresh_state_references WHERE source_entity_ref = ?");
      q.bind(1, ref);
      for (auto& t : Column0(q)) prev.insert(std::move(t));
    }
    if (prev == next) return;
    auto& del = c_.Prepare(
        "DELETE FROM refresh_state_references WHERE source_entity_ref = ? AND target_entity_ref = ?");
    for (const auto& t : prev) {
      if (next.count(t) > 0) continue;
      del.reset();
      del.bind(1, ref);
      del.bind(2, t);
      del.exec();
      stitch_.insert(t);  // may have become an orphan
    }
    auto& ins = c_.Prepare(
        "INSERT OR IGNORE INTO refresh_state_references (source_key, source_entity_ref, target_entity_ref) "
        "VALUES (NULL, ?, ?)");
    for (const auto& t : next) {
      if (prev.count(t) > 0) continue;
      ins.reset();
      ins.bind(1, ref);
      ins.bind(2, t);
      ins.exec();
      stitch_.insert(t);
    }
  }

  void EnsureParentLink(const catalog::ProcessedEntity& p) {
    if (p.parent_ref.empty()) {
      auto& q = c_.Prepare(
          "SELECT 1 FROM refresh_state_references WHERE target_entity_ref = ? AND source_entity_ref IS NULL");
      q.bind(1, p.ref);
      const bool has_root = q.executeStep();
      q.reset();
      if (has_root) return;
      auto& ins = c_.Prepare(
          "INSERT INTO refresh_state_references (source_key, source_entity_ref, target_entity_ref) "
          "VALUES ('root', NULL, ?)");
      ins.bind(1, p.ref);
      ins.exec();
      stitch_.insert(p.ref);
      return;
    }
    auto& ins = c_.Prepare(
        "INSERT OR IGNORE INTO refresh_state_references (source_key, source_entity_ref, target_entity_ref) "
        "VALUES (NULL, ?, ?)");
    ins.bind(1, p.parent_ref);
    ins.bind(2, p.ref);
    if (ins.exec() > 0) stitch_.insert(p.ref);
  }

  Store::Impl& impl_;
  Connection& c_;
  WriteSummary& summary_;
  RefSet& stitch_;
};

// Runs `body(writer)` in one write transaction and fills the summary.
template <typename F>
Result<WriteSummary> WriteTransaction(Store::Impl& impl, std::string_view what, F&& body) {
  std::lock_guard<std::mutex> lock(impl.write_mutex);
  WriteSummary summary;
  RefSet stitch;
  try {
    SQLite::Transaction tx(impl.writer->db(), SQLite::TransactionBehavior::IMMEDIATE);
    Writer w(impl, summary, stitch);
    Status st = body(w);
    if (!st.ok()) return st;  // the transaction rolls back
    // What this write affects is queued in the same transaction: a crash
    // before the stitch leaves it for the next refresh.
    for (const auto& d : summary.deleted) stitch.erase(d);
    auto& queue = impl.writer->Prepare("INSERT OR IGNORE INTO stitch_queue (entity_ref) VALUES (?)");
    for (const auto& ref : stitch) {
      queue.reset();
      queue.bind(1, ref);
      queue.exec();
    }
    tx.commit();
  } catch (const std::exception& e) {
    return SqlError(e, what);
  }
  summary.to_stitch.assign(stitch.begin(), stitch.end());
  std::sort(summary.to_reprocess.begin(), summary.to_reprocess.end());
  summary.to_reprocess.erase(std::unique(summary.to_reprocess.begin(), summary.to_reprocess.end()),
                             summary.to_reprocess.end());
  // Parents deleted in the same run are not reprocessed.
  std::erase_if(summary.to_reprocess, [&](const std::string& r) {
    return std::find(summary.deleted.begin(), summary.deleted.end(), r) != summary.deleted.end();
  });
  return summary;
}

}  // namespace

Result<WriteSummary> Store::ApplyProcessed(std::span<const catalog::ProcessedEntity> batch) {
  return WriteTransaction(*impl_, "ApplyProcessed", [&](Writer& w) {
    for (const auto& p : batch) w.Apply(p);
    return Status::Ok();
  });
}

Result<WriteSummary> Store::DeleteEntity(std::string_view ref) {
  return WriteTransaction(*impl_, "DeleteEntity", [&](Writer& w) {
    if (auto row = w.Find("entity_ref", ref)) w.Delete(row->first, row->second, true);
    return Status::Ok();
  });
}

Result<WriteSummary> Store::DeleteEntityByUid(std::string_view uid) {
  return WriteTransaction(*impl_, "DeleteEntityByUid", [&](Writer& w) {
    if (auto row = w.Find("uid", uid)) w.Delete(row->first, row->second, true);
    return Status::Ok();
  });
}

Result<WriteSummary> Store::DeleteOrphans() {
  return WriteTransaction(*impl_, "DeleteOrphans", [&](Writer& w) {
    w.DeleteOrphans(nullptr);
    return Status::Ok();
  });
}

Result<WriteSummary> Store::DeleteOrphansAmong(std::span<const std::string> candidates) {
  return WriteTransaction(*impl_, "DeleteOrphans", [&](Writer& w) {
    w.DeleteOrphansAmong({candidates.begin(), candidates.end()});
    return Status::Ok();
  });
}

Result<Location> Store::AddLocation(std::string_view type, std::string_view target) {
  Location loc;
  auto r = WriteTransaction(*impl_, "AddLocation", [&](Writer& w) {
    auto& c = w.connection();
    auto& q = c.Prepare("SELECT 1 FROM locations WHERE type = ? AND target = ?");
    q.bind(1, std::string(type));
    q.bind(2, std::string(target));
    const bool exists = q.executeStep();
    q.reset();
    if (exists) {
      return Status(Code::kInvalid, "Location " + std::string(type) + ":" + std::string(target) + " already exists");
    }
    loc.id = impl_->uuids.Next();
    loc.type = type;
    loc.target = target;
    loc.entity_ref = GeneratedLocationRef(type, target);
    auto& ins = c.Prepare("INSERT INTO locations (id, type, target) VALUES (?, ?, ?)");
    ins.bind(1, loc.id);
    ins.bind(2, loc.type);
    ins.bind(3, loc.target);
    ins.exec();
    auto& ref = c.Prepare(
        "INSERT OR IGNORE INTO refresh_state_references (source_key, source_entity_ref, target_entity_ref) "
        "VALUES (?, NULL, ?)");
    ref.bind(1, "location:" + loc.id);
    ref.bind(2, loc.entity_ref);
    ref.exec();
    return Status::Ok();
  });
  if (!r) return r.status();
  return loc;
}

Result<WriteSummary> Store::RemoveLocation(std::string_view id) {
  return WriteTransaction(*impl_, "RemoveLocation", [&](Writer& w) {
    auto& c = w.connection();
    auto& q = c.Prepare("SELECT type, target FROM locations WHERE id = ?");
    q.bind(1, std::string(id));
    if (!q.executeStep()) return Status(Code::kNotFound, "Found no location with ID " + std::string(id));
    const std::string root = GeneratedLocationRef(q.getColumn(0).getString(), q.getColumn(1).getString());
    q.reset();
    auto& del = c.Prepare("DELETE FROM locations WHERE id = ?");
    del.bind(1, std::string(id));
    del.exec();
    auto& del_ref = c.Prepare("DELETE FROM refresh_state_references WHERE source_key = ?");
    del_ref.bind(1, "location:" + std::string(id));
    del_ref.exec();

    // Eager pruning: the location's subtree, minus what another root still reaches.
    std::set<std::string> subtree{root};
    std::deque<std::string> todo{root};
    auto& down = c.Prepare("SELECT target_entity_ref FROM refresh_state_references WHERE source_entity_ref = ?");
    while (!todo.empty()) {
      down.reset();
      down.bind(1, todo.front());
      todo.pop_front();
      while (down.executeStep()) {
        std::string t = down.getColumn(0).getString();
        if (subtree.insert(t).second) todo.push_back(std::move(t));
      }
    }
    std::unordered_map<std::string, bool> alive;  // memo of upward searches
    auto& up = c.Prepare("SELECT source_entity_ref FROM refresh_state_references WHERE target_entity_ref = ?");
    std::set<std::string> doomed;
    for (const auto& start : subtree) {
      std::set<std::string> seen{start};
      std::deque<std::string> queue{start};
      bool found = false;
      while (!queue.empty() && !found) {
        const std::string node = queue.front();
        queue.pop_front();
        if (auto it = alive.find(node); it != alive.end() && it->second) {
          found = true;
          break;
        }
        up.reset();
        up.bind(1, node);
        while (up.executeStep()) {
          if (up.getColumn(0).isNull()) {
            found = true;
            break;
          }
          std::string s = up.getColumn(0).getString();
          if (seen.insert(s).second) queue.push_back(std::move(s));
        }
      }
      up.reset();
      alive[start] = found;
      if (!found) doomed.insert(start);
    }
    std::vector<std::pair<std::int64_t, std::string>> rows;
    for (const auto& ref : doomed) {
      if (auto row = w.Find("entity_ref", ref)) rows.push_back(*row);
    }
    for (const auto& [rid, ref] : rows) w.Delete(rid, ref, false);
    return Status::Ok();
  });
}

Result<std::vector<Location>> Store::ListLocations() const {
  auto lease = impl_->AcquireReader();
  if (!lease) return lease.status();
  try {
    auto& q = (*lease)->Prepare("SELECT id, type, target FROM locations ORDER BY rowid");
    std::vector<Location> out;
    while (q.executeStep()) {
      Location l{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(), {}};
      l.entity_ref = GeneratedLocationRef(l.type, l.target);
      out.push_back(std::move(l));
    }
    q.reset();
    return out;
  } catch (const std::exception& e) {
    return SqlError(e, "ListLocations");
  }
}

Result<std::optional<Location>> Store::GetLocation(std::string_view id) const {
  auto all = ListLocations();
  if (!all) return all.status();
  for (auto& l : *all) {
    if (l.id == id) return std::optional<Location>(std::move(l));
  }
  return std::optional<Location>();
}

}  // namespace idp::store
