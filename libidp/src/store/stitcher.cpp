// Stitching: processed entity + relations + uid/etag/status/orphan -> the
// served entity and its search rows (§9), as performStitching does.
#include <SQLiteCpp/Transaction.h>

#include <cmath>

#include "store/search_index.h"
#include "core/sha1.h"
#include "store/stitcher.h"
#include "store/schema_migrations.h"
#include "store/stable_json.h"
#include "store/store_impl.h"

namespace idp::store {

namespace {

constexpr std::size_t kBulkStitch = 1000;
constexpr std::size_t kRowsPerInsert = 16;

constexpr std::string_view kRejectedUrl = "https://backstage.io/annotation-rejected-for-security-reasons";

JsonValue& EnsureObjectMember(JsonValue& obj, std::string_view key, JsonAllocator& a) {
  auto it = obj.FindMember(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size())));
  if (it == obj.MemberEnd()) {
    obj.AddMember(MakeString(key, a), JsonValue(rapidjson::kObjectType), a);
    return (obj.MemberEnd() - 1)->value;
  }
  if (!it->value.IsObject()) it->value.SetObject();  // {...null} is {}
  return it->value;
}

void SetMember(JsonValue& obj, std::string_view key, JsonValue value, JsonAllocator& a) {
  auto it = obj.FindMember(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size())));
  if (it != obj.MemberEnd()) {
    it->value = std::move(value);
  } else {
    obj.AddMember(MakeString(key, a), std::move(value), a);
  }
}

// JavaScript truthiness of an existing etag value.
bool Truthy(const JsonValue* v) {
  if (v == nullptr || v->IsNull() || v->IsFalse()) return false;
  if (v->IsString()) return v->GetStringLength() > 0;
  if (v->IsNumber()) return v->GetDouble() != 0 && !std::isnan(v->GetDouble());
  return true;
}

}  // namespace

// /^[\u0000-\u001F ]*j[\r\n\t]*a...t[\r\n\t]*\:/i on the annotation value.
bool IsScriptUrl(std::string_view v) {
  std::size_t i = 0;
  while (i < v.size() && static_cast<unsigned char>(v[i]) <= 0x20) ++i;
  static constexpr std::string_view kWord = "javascript:";
  for (std::size_t k = 0; k < kWord.size(); ++k) {
    if (k > 0) {
      while (i < v.size() && (v[i] == '\r' || v[i] == '\n' || v[i] == '\t')) ++i;
    }
    if (i >= v.size()) return false;
    char ch = v[i];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (ch != kWord[k]) return false;
    ++i;
  }
  return true;
}

Result<Json> BuildFinalEntity(std::string_view processed_json, std::string_view errors_json, bool orphan,
                              const std::vector<std::pair<std::string, std::string>>& relations,
                              std::string& hash_out) {
  Json e;
  e.Parse(processed_json.data(), processed_json.size());
  if (e.HasParseError() || !e.IsObject()) return Status(Code::kInternal, "stored entity is not a JSON object");
  auto& a = e.GetAllocator();
  JsonValue& metadata = EnsureObjectMember(e, "metadata", a);
  if (orphan) {
    JsonValue& ann = EnsureObjectMember(metadata, "annotations", a);
    SetMember(ann, "backstage.io/orphan", JsonValue("true", a), a);
  }
  JsonValue status_items(rapidjson::kArrayType);
  if (!errors_json.empty()) {
    Json errs;
    errs.Parse(errors_json.data(), errors_json.size());
    if (!errs.HasParseError() && errs.IsArray()) {
      for (auto& err : errs.GetArray()) {
        JsonValue item(rapidjson::kObjectType);
        item.AddMember("type", "backstage.io/catalog-processing", a);
        item.AddMember("level", "error", a);
        const JsonValue* name = FindMember(err, "name");
        const JsonValue* message = FindMember(err, "message");
        std::string text = (name && name->IsString() ? std::string(AsView(*name)) : "undefined") + ": " +
                           (message && message->IsString() ? std::string(AsView(*message)) : "undefined");
        item.AddMember("message", MakeString(text, a), a);
        item.AddMember("error", JsonValue(err, a), a);
        status_items.PushBack(std::move(item), a);
      }
    }
  }
  if (auto ann = metadata.FindMember("annotations"); ann != metadata.MemberEnd() && ann->value.IsObject()) {
    for (const char* key : {"backstage.io/view-url", "backstage.io/edit-url"}) {
      auto v = ann->value.FindMember(key);
      if (v != ann->value.MemberEnd() && v->value.IsString() && IsScriptUrl(AsView(v->value))) {
        v->value = MakeString(kRejectedUrl, a);
      }
    }
  }
  JsonValue rel(rapidjson::kArrayType);
  rel.Reserve(static_cast<rapidjson::SizeType>(relations.size()), a);
  for (const auto& [type, target] : relations) {
    JsonValue item(rapidjson::kObjectType);
    item.AddMember("type", MakeString(type, a), a);
    item.AddMember("targetRef", MakeString(target, a), a);
    rel.PushBack(std::move(item), a);
  }
  SetMember(e, "relations", std::move(rel), a);
  if (!status_items.Empty()) {
    JsonValue& status = EnsureObjectMember(e, "status", a);
    auto items = status.FindMember("items");
    if (items == status.MemberEnd() || !items->value.IsArray()) {
      SetMember(status, "items", std::move(status_items), a);
    } else {
      for (auto& item : status_items.GetArray()) items->value.PushBack(std::move(item), a);
    }
  }
  hash_out = Sha1Hex(StableStringify(e));
  return e;
}

Result<StitchSummary> Store::Stitch(std::span<const std::string> refs) {
  std::lock_guard<std::mutex> lock(impl_->write_mutex);
  auto& c = *impl_->writer;
  StitchSummary summary;
  try {
    SQLite::Transaction tx(c.db(), SQLite::TransactionBehavior::IMMEDIATE);
    auto& sel = c.Prepare(
        "SELECT rs.id, rs.uid, rs.processed_entity, rs.errors, "
        "(SELECT COUNT(*) FROM refresh_state_references r WHERE r.target_entity_ref = rs.entity_ref), fe.hash "
        "FROM refresh_state rs LEFT JOIN final_entities fe ON fe.id = rs.id WHERE rs.entity_ref = ?");
    auto& rels = c.Prepare(
        "SELECT DISTINCT type, target_entity_ref FROM relations WHERE source_entity_ref = ? "
        "ORDER BY type, target_entity_ref");
    auto& drop = c.Prepare("DELETE FROM final_entities WHERE entity_ref = ?");
    auto& upsert = c.Prepare(
        "INSERT INTO final_entities (id, entity_ref, uid, hash, final_entity) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET entity_ref = excluded.entity_ref, uid = excluded.uid, "
        "hash = excluded.hash, final_entity = excluded.final_entity");
    auto& clear_search = c.Prepare("DELETE FROM search WHERE entity_id = ?");
    auto& add_search =
        c.Prepare("INSERT INTO search (entity_id, key, seq, original_value, value) VALUES (?, ?, ?, ?, ?)");

    // Bulk mode (an ingest into an empty or small catalog): maintaining the
    // search indices row by row costs more than the rest of the stitch;
    // drop them, write every stitched entity's search rows, build them again
    // (one sort each) before the commit.
    const std::int64_t finals = c.db().execAndGet("SELECT COUNT(*) FROM final_entities").getInt64();
    const bool bulk = refs.size() >= kBulkStitch && static_cast<std::int64_t>(refs.size()) >= finals;
    if (bulk) {
      auto& clear_old = c.Prepare(
          "DELETE FROM search WHERE entity_id = (SELECT id FROM final_entities WHERE entity_ref = ?)");
      for (const auto& ref : refs) {
        clear_old.reset();
        clear_old.bind(1, ref);
        clear_old.exec();
      }
      c.db().exec(kDropSearchIndices);
    }

    // Rows go in kRowsPerInsert at a time: one statement run per row costs
    // more than the row itself.
    std::string many_sql = "INSERT INTO search (entity_id, key, seq, original_value, value) VALUES (?, ?, ?, ?, ?)";
    for (std::size_t i = 1; i < kRowsPerInsert; ++i) many_sql += ", (?, ?, ?, ?, ?)";
    auto& add_many = c.Prepare(many_sql);
    const auto bind_row = [](SQLite::Statement& st, int at, std::int64_t id, std::size_t seq, const SearchRow& row) {
      st.bind(at, id);
      st.bindNoCopy(at + 1, row.key);
      st.bind(at + 2, static_cast<std::int64_t>(seq));
      if (row.original_value) st.bindNoCopy(at + 3, *row.original_value); else st.bind(at + 3);
      if (row.value) st.bindNoCopy(at + 4, *row.value); else st.bind(at + 4);
    };
    const auto add_rows = [&](std::int64_t id, const std::vector<SearchRow>& rows) {
      std::size_t i = 0;
      for (; i + kRowsPerInsert <= rows.size(); i += kRowsPerInsert) {
        add_many.reset();
        for (std::size_t k = 0; k < kRowsPerInsert; ++k) {
          bind_row(add_many, static_cast<int>(k * 5 + 1), id, i + k, rows[i + k]);
        }
        add_many.exec();
      }
      for (; i < rows.size(); ++i) {
        add_search.reset();
        bind_row(add_search, 1, id, i, rows[i]);
        add_search.exec();
      }
    };
    std::vector<std::int64_t> keep_old;  // bulk mode: failed, their old search rows to restore

    auto& dequeue = c.Prepare("DELETE FROM stitch_queue WHERE entity_ref = ?");
    for (const auto& ref : refs) {
      dequeue.reset();
      dequeue.bind(1, ref);
      dequeue.exec();
      sel.reset();
      sel.bind(1, ref);
      const bool found = sel.executeStep();
      if (!found || sel.getColumn(2).isNull()) {
        sel.reset();
        drop.reset();
        drop.bind(1, ref);
        if (drop.exec() > 0) ++summary.removed;
        continue;
      }
      const std::int64_t id = sel.getColumn(0).getInt64();
      const std::string uid = sel.getColumn(1).getString();
      const std::string processed = sel.getColumn(2).getString();
      const std::string errors = sel.getColumn(3).getString();
      const bool orphan = sel.getColumn(4).getInt64() == 0;
      const std::string previous_hash = sel.getColumn(5).getString();
      sel.reset();

      std::vector<std::pair<std::string, std::string>> relations;
      rels.reset();
      rels.bind(1, ref);
      while (rels.executeStep()) relations.emplace_back(rels.getColumn(0).getString(), rels.getColumn(1).getString());
      rels.reset();

      std::string hash;
      auto built = BuildFinalEntity(processed, errors, orphan, relations, hash);
      if (!built) {
        summary.failures.push_back({ref, built.status().message()});
        if (bulk && !previous_hash.empty()) keep_old.push_back(id);
        continue;
      }
      const bool unchanged = hash == previous_hash;
      if (unchanged && !bulk) {
        ++summary.unchanged;
        continue;
      }
      Json& e = *built;
      auto& a = e.GetAllocator();
      JsonValue& metadata = e["metadata"];
      SetMember(metadata, "uid", MakeString(uid, a), a);
      if (!Truthy(FindMember(metadata, "etag"))) SetMember(metadata, "etag", MakeString(hash, a), a);

      auto rows = BuildSearchRows(e);
      if (!rows) {
        summary.failures.push_back({ref, rows.status().message()});
        if (bulk && !previous_hash.empty()) keep_old.push_back(id);
        continue;
      }
      if (!unchanged) {
        upsert.reset();
        upsert.bind(1, id);
        upsert.bind(2, ref);
        upsert.bind(3, uid);
        upsert.bind(4, hash);
        upsert.bind(5, ToJsonString(e));
        upsert.exec();
      }
      if (!bulk) {  // bulk mode cleared them up front
        clear_search.reset();
        clear_search.bind(1, id);
        clear_search.exec();
      }
      add_rows(id, *rows);
      ++(unchanged ? summary.unchanged : summary.changed);
    }
    // A failed stitch keeps the old version, with its search rows.
    auto& old_final = c.Prepare("SELECT final_entity FROM final_entities WHERE id = ?");
    for (const std::int64_t id : keep_old) {
      old_final.reset();
      old_final.bind(1, id);
      if (!old_final.executeStep()) continue;
      Json e;
      const std::string text = old_final.getColumn(0).getString();
      e.Parse(text.data(), text.size());
      if (e.HasParseError()) continue;
      if (auto rows = BuildSearchRows(e)) add_rows(id, *rows);
    }
    if (bulk) c.db().exec(kSearchIndices);
    tx.commit();
  } catch (const std::exception& e) {
    return SqlError(e, "Stitch");
  }
  return summary;
}

}  // namespace idp::store
