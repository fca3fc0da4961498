// The scaffolder's tables in the catalog's database file. They carry their
// own version table (scaffolder_schema_version), so the catalog's
// schema_version and the scaffolder's migrate independently.
#pragma once

#include <SQLiteCpp/Database.h>

#include "core/status.h"

namespace idp::scaffolder::tasks {

inline constexpr int kLatestTaskSchemaVersion = 1;

// Applies every missing migration, each in its own transaction; a newer
// version than this build knows is kInvalid.
Result<int> MigrateTaskSchema(SQLite::Database& db);

}  // namespace idp::scaffolder::tasks
