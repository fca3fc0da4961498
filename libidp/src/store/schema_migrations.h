// The versioned schema: migration N -> N+1 functions applied in order.
#pragma once

#include "core/status.h"
#include "store/connection.h"

namespace idp::store {

inline constexpr int kLatestSchemaVersion = 5;

// The search table's secondary index as the latest schema has it (the
// stitcher drops and rebuilds it around a bulk write).
inline constexpr const char* kSearchIndices = "CREATE INDEX search_key_value ON search (key, value, entity_id);";
inline constexpr const char* kDropSearchIndices = "DROP INDEX search_key_value;";

// Reads the schema version (0 for an empty database).
Result<int> ReadSchemaVersion(SQLite::Database& db);
// Applies every missing migration, each in its own transaction. A database
// newer than kLatestSchemaVersion is kInvalid.
Result<int> Migrate(SQLite::Database& db);
// Test hook: migrate only up to `target` (<= kLatestSchemaVersion).
Result<int> MigrateTo(SQLite::Database& db, int target);

}  // namespace idp::store
