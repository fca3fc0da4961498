// The pure part of stitching (§9), separate from the database for tests.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/status.h"

namespace idp::store {

// The served entity before uid/etag: processed JSON + orphan annotation +
// status.items from the stored errors + neutralised script URLs + relations
// (already distinct and sorted). `hash_out` receives the SHA-1 of its stable
// serialisation (Backstage's generateStableHash; the etag unless one is set).
Result<Json> BuildFinalEntity(std::string_view processed_json, std::string_view errors_json, bool orphan,
                              const std::vector<std::pair<std::string, std::string>>& relations,
                              std::string& hash_out);

// /^[\u0000-\u001F ]*javascript:/i with tabs/newlines allowed between letters.
bool IsScriptUrl(std::string_view value);

}  // namespace idp::store
