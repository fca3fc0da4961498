#include "store/schema_migrations.h"

#include <SQLiteCpp/Transaction.h>

#include <functional>
#include <string>
#include <vector>

namespace idp::store {

namespace {

// v0 -> v1: entity state, references, relations, final entities, locations.
void MigrateTo1(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE locations (
      id     TEXT PRIMARY KEY NOT NULL,
      type   TEXT NOT NULL,
      target TEXT NOT NULL,
      UNIQUE (type, target)
    );
    -- One row per unprocessed entity; id is the join key for everything else.
    CREATE TABLE refresh_state (
      id               INTEGER PRIMARY KEY,
      entity_ref       TEXT NOT NULL UNIQUE,
      uid              TEXT NOT NULL UNIQUE,
      location_key     TEXT,
      processed_entity TEXT,            -- NULL: never processed successfully
      result_hash      TEXT,
      errors           TEXT             -- JSON array of serialised errors, NULL: none
    );
    -- Parent/child links (source_entity_ref NULL: a root, named by source_key).
    CREATE TABLE refresh_state_references (
      id                INTEGER PRIMARY KEY,
      source_key        TEXT,
      source_entity_ref TEXT,
      target_entity_ref TEXT NOT NULL
    );
    CREATE UNIQUE INDEX refs_unique ON refresh_state_references
      (IFNULL(source_key, ''), IFNULL(source_entity_ref, ''), target_entity_ref);
    CREATE INDEX refs_by_target ON refresh_state_references (target_entity_ref);
    CREATE INDEX refs_by_source ON refresh_state_references (source_entity_ref);
    CREATE TABLE relations (
      originating_id    INTEGER NOT NULL REFERENCES refresh_state (id) ON DELETE CASCADE,
      source_entity_ref TEXT NOT NULL,
      type              TEXT NOT NULL,
      target_entity_ref TEXT NOT NULL
    );
    CREATE INDEX relations_by_origin ON relations (originating_id);
    CREATE INDEX relations_by_source ON relations (source_entity_ref, type, target_entity_ref);
    CREATE TABLE final_entities (
      id           INTEGER PRIMARY KEY REFERENCES refresh_state (id) ON DELETE CASCADE,
      entity_ref   TEXT NOT NULL UNIQUE,
      uid          TEXT NOT NULL UNIQUE,
      hash         TEXT NOT NULL,
      final_entity TEXT NOT NULL
    );
  )sql");
}

// v1 -> v2: the search index (§9.5) with the indices filters, ordering and facets use.
void MigrateTo2(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE search (
      entity_id      INTEGER NOT NULL REFERENCES final_entities (id) ON DELETE CASCADE,
      key            TEXT NOT NULL,
      original_value TEXT,
      value          TEXT
    );
    CREATE INDEX search_key_value ON search (key, value, entity_id);
    CREATE INDEX search_entity_key ON search (entity_id, key, value);
  )sql");
}

// v2 -> v3: what makes refresh incremental and crash-safe. source_files:
// the last read of every file (content hash, emitted refs, nested Location
// entities); stitch_queue: refs written but not yet stitched, committed with
// the write itself so that a crash between the two loses no stitch;
// catalog_meta: the processing configuration the source records hold for.
void MigrateTo3(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE source_files (
      key       TEXT PRIMARY KEY NOT NULL,
      hash      TEXT NOT NULL,
      origin    TEXT NOT NULL,
      size      INTEGER NOT NULL,  -- size and mtime (ns) when read; 0: hash it again
      mtime_ns  INTEGER NOT NULL,
      refs      TEXT NOT NULL,   -- JSON array of entity refs
      locations TEXT NOT NULL    -- JSON array of unprocessed Location entities
    );
    -- Covers "which file did each entity come from" without reading the entities.
    CREATE INDEX refresh_state_by_location ON refresh_state (location_key, entity_ref);
    CREATE TABLE stitch_queue (entity_ref TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
    CREATE TABLE catalog_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
  )sql");
}

// v3 -> v4: search rows clustered by entity (WITHOUT ROWID, primary key
// entity_id, key, seq): the table is its own per-entity index, so one
// secondary index is left to maintain (writing it dominated ingestion).
void MigrateTo4(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE search_v4 (
      entity_id      INTEGER NOT NULL REFERENCES final_entities (id) ON DELETE CASCADE,
      key            TEXT NOT NULL,
      seq            INTEGER NOT NULL,   -- row number within the entity
      original_value TEXT,
      value          TEXT,
      PRIMARY KEY (entity_id, key, seq)
    ) WITHOUT ROWID;
    INSERT INTO search_v4 (entity_id, key, seq, original_value, value)
      SELECT entity_id, key, rowid, original_value, value FROM search;
    DROP TABLE search;
    ALTER TABLE search_v4 RENAME TO search;
    CREATE INDEX search_key_value ON search (key, value, entity_id);
  )sql");
}

// v4 -> v5: relations by target, so that a traversal against the relation
// direction (impact analysis) reads only the neighbourhood it visits.
void MigrateTo5(SQLite::Database& db) {
  db.exec("CREATE INDEX relations_by_target ON relations (target_entity_ref, type, source_entity_ref)");
}

const std::vector<std::function<void(SQLite::Database&)>>& Migrations() {
  static const std::vector<std::function<void(SQLite::Database&)>> kMigrations = {MigrateTo1, MigrateTo2,
                                                                                  MigrateTo3, MigrateTo4,
                                                                                  MigrateTo5};
  return kMigrations;
}

}  // namespace

Result<int> ReadSchemaVersion(SQLite::Database& db) {
  try {
    if (!db.tableExists("schema_version")) return 0;
    SQLite::Statement q(db, "SELECT MAX(version) FROM schema_version");
    if (!q.executeStep() || q.getColumn(0).isNull()) return 0;
    return q.getColumn(0).getInt();
  } catch (const std::exception& e) {
    return Status(Code::kInvalid, std::string("cannot read the database schema: ") + e.what());
  }
}

Result<int> MigrateTo(SQLite::Database& db, int target) {
  auto current = ReadSchemaVersion(db);
  if (!current) return current.status();
  int version = *current;
  if (version > kLatestSchemaVersion) {
    return Status(Code::kInvalid, "database schema version " + std::to_string(version) +
                                      " is newer than this build supports (" +
                                      std::to_string(kLatestSchemaVersion) + ")");
  }
  try {
    while (version < target) {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      if (version == 0) db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      Migrations()[static_cast<std::size_t>(version)](db);
      ++version;
      db.exec("DELETE FROM schema_version");
      db.exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(version) + ")");
      tx.commit();
    }
  } catch (const std::exception& e) {
    return Status(Code::kIo, "migration to schema version " + std::to_string(version + 1) +
                                 " failed: " + e.what());
  }
  return version;
}

Result<int> Migrate(SQLite::Database& db) { return MigrateTo(db, kLatestSchemaVersion); }

}  // namespace idp::store
