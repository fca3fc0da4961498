// publish:* settings from a Backstage app-config (idp-server's --config, the
// CLI's `idp scaffold --config`):
//   integrations.github[].host / apiBaseUrl / token
//   scaffolder.defaultAuthor.name / email, scaffolder.defaultCommitMessage
#pragma once

#include <string>

#include "core/source_map.h"
#include "publish/publish_actions.h"

namespace idp::scaffolder::actions {

// "file:line:column: key: what", the form of every app-config error.
Status ConfigKeyError(const std::string& file, const SourceMap& marks, const JsonValue& node, const std::string& key,
                      const std::string& what);

// Reads the keys above from a parsed app-config document (others are
// ignored); errors name file:line:column and the key.
Status ReadPublishConfig(const JsonValue& root, const SourceMap& marks, const std::string& file,
                         PublishOptions& out);
// The same from a file; a YAML error is reported with its place.
Status LoadPublishConfig(const std::string& path, PublishOptions& out);

}  // namespace idp::scaffolder::actions
