// Source records (what each file read produced) and the stitch queue: the
// persistent state that makes a refresh incremental and crash-safe.
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "store/store_impl.h"

namespace idp::store {
namespace {

constexpr const char* kFingerprintKey = "source_config";

std::string StringArray(const std::vector<std::string>& items) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartArray();
  for (const std::string& s : items) w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  w.EndArray();
  return {buf.GetString(), buf.GetSize()};
}

// The Location entities are stored as a JSON array of objects.
std::string ObjectArray(const std::vector<std::string>& objects) {
  std::string out = "[";
  for (const std::string& o : objects) {
    if (out.size() > 1) out += ',';
    out += o;
  }
  out += ']';
  return out;
}

// StringArray's output without escapes (every ref in practice), read
// straight into strings: no document built. false: use the full parser.
bool ParsePlainStrings(std::string_view text, std::vector<std::string>& out) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  std::size_t i = 1;
  const std::size_t last = text.size() - 1;
  while (i < last) {
    if (text[i] != '"') return false;
    std::size_t end = i + 1;
    while (end < last && text[end] != '"' && text[end] != '\\' && static_cast<unsigned char>(text[end]) >= 0x20) ++end;
    if (end >= last || text[end] != '"') return false;
    out.emplace_back(text.substr(i + 1, end - i - 1));
    i = end + 1;
    if (i < last && (text[i] != ',' || ++i == last)) return false;  // a separator, never trailing
  }
  return true;
}

bool ParseArray(const std::string& text, bool strings, std::vector<std::string>& out) {
  if (strings) {
    if (ParsePlainStrings(text, out)) return true;
    out.clear();
  }
  Json doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsArray()) return false;
  for (const JsonValue& v : doc.GetArray()) {
    if (strings) {
      if (!v.IsString()) return false;
      out.emplace_back(AsView(v));
    } else {
      if (!v.IsObject()) return false;
      out.push_back(ToJsonString(v));
    }
  }
  return true;
}

std::string Fingerprint(Connection& c) {
  auto& q = c.Prepare("SELECT value FROM catalog_meta WHERE key = ?");
  q.bind(1, kFingerprintKey);
  std::string value = q.executeStep() ? q.getColumn(0).getString() : std::string();
  q.reset();
  return value;
}

}  // namespace

Result<catalog::SourceIndex> Store::LoadSources(std::string_view fingerprint) const {
  auto lease = impl_->AcquireReader();
  if (!lease) return lease.status();
  Connection& c = **lease;
  catalog::SourceIndex index;
  try {
    if (Fingerprint(c) != fingerprint) return index;
    auto& q = c.Prepare("SELECT key, hash, origin, refs, locations, size, mtime_ns FROM source_files");
    while (q.executeStep()) {
      catalog::SourceRecord r;
      r.key = q.getColumn(0).getString();
      r.hash = q.getColumn(1).getString();
      r.origin = q.getColumn(2).getString();
      r.size = q.getColumn(5).getInt64();
      r.mtime_ns = q.getColumn(6).getInt64();
      if (!ParseArray(q.getColumn(3).getString(), true, r.refs) ||
          !ParseArray(q.getColumn(4).getString(), false, r.locations)) {
        continue;  // unreadable: read the file again
      }
      index.emplace(r.key, std::move(r));
    }
    q.reset();
  } catch (const std::exception& e) {
    return SqlError(e, "LoadSources");
  }
  return index;
}

Status Store::SaveSources(std::span<const catalog::SourceRecord* const> records, std::string_view fingerprint) {
  std::lock_guard<std::mutex> lock(impl_->write_mutex);
  Connection& c = *impl_->writer;
  try {
    SQLite::Transaction tx(c.db(), SQLite::TransactionBehavior::IMMEDIATE);
    const bool same_config = Fingerprint(c) == fingerprint;
    std::unordered_map<std::string, std::string> stored;  // key -> hash + origin
    if (same_config) {
      auto& q = c.Prepare("SELECT key, hash || ' ' || origin || ' ' || size || ' ' || mtime_ns FROM source_files");
      while (q.executeStep()) stored.emplace(q.getColumn(0).getString(), q.getColumn(1).getString());
      q.reset();
    } else {
      c.db().exec("DELETE FROM source_files");
      auto& meta = c.Prepare("INSERT OR REPLACE INTO catalog_meta (key, value) VALUES (?, ?)");
      meta.bind(1, kFingerprintKey);
      meta.bind(2, std::string(fingerprint));
      meta.exec();
    }
    auto& upsert = c.Prepare(
        "INSERT OR REPLACE INTO source_files (key, hash, origin, refs, locations, size, mtime_ns) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    auto& owned = c.Prepare("SELECT entity_ref FROM refresh_state WHERE location_key = ?");
    std::unordered_set<std::string> seen;
    for (const catalog::SourceRecord* record : records) {
      const catalog::SourceRecord& r = *record;
      seen.insert(r.key);
      auto it = stored.find(r.key);
      if (it != stored.end() && it->second == r.hash + " " + r.origin + " " + std::to_string(r.size) + " " +
                                                   std::to_string(r.mtime_ns)) {
        continue;
      }
      // Only a file whose every entity is stored as coming from it (none
      // lost a conflict, none failed to be written) may be skipped later.
      owned.reset();
      owned.bind(1, r.key);
      std::unordered_set<std::string> refs;
      while (owned.executeStep()) refs.insert(owned.getColumn(0).getString());
      if (!std::all_of(r.refs.begin(), r.refs.end(), [&](const std::string& ref) { return refs.contains(ref); })) {
        continue;
      }
      upsert.reset();
      upsert.bind(1, r.key);
      upsert.bind(2, r.hash);
      upsert.bind(3, r.origin);
      upsert.bind(4, StringArray(r.refs));
      upsert.bind(5, ObjectArray(r.locations));
      upsert.bind(6, r.size);
      upsert.bind(7, r.mtime_ns);
      upsert.exec();
    }
    auto& del = c.Prepare("DELETE FROM source_files WHERE key = ?");
    for (const auto& [key, unused] : stored) {
      if (seen.contains(key)) continue;
      del.reset();
      del.bind(1, key);
      del.exec();
    }
    tx.commit();
  } catch (const std::exception& e) {
    return SqlError(e, "SaveSources");
  }
  return Status::Ok();
}

Result<std::vector<std::string>> Store::PendingStitches() const {
  auto lease = impl_->AcquireReader();
  if (!lease) return lease.status();
  std::vector<std::string> refs;
  try {
    auto& q = (*lease)->Prepare("SELECT entity_ref FROM stitch_queue ORDER BY entity_ref");
    while (q.executeStep()) refs.push_back(q.getColumn(0).getString());
    q.reset();
  } catch (const std::exception& e) {
    return SqlError(e, "PendingStitches");
  }
  return refs;
}

}  // namespace idp::store
