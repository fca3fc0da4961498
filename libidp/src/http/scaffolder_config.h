// idp-server's scaffolder settings, in Backstage's app-config keys:
//   backend.workingDirectory            workspaces (`<dir>/<taskId>`), dry-run scratch; default the OS temp dir
//   scaffolder.workspaceRoot            the same, idp's own key (wins over backend.workingDirectory)
//   scaffolder.concurrentTasksLimit     worker count (default 10; scaffolder.concurrency is an alias)
//   scaffolder.EXPERIMENTAL_recoverTasks / EXPERIMENTAL_recoverTasksTimeout
//   scaffolder.taskTimeout / taskTimeoutJanitorFrequency
//   integrations.github[], scaffolder.defaultAuthor, defaultCommitMessage  publish:* (app_config.h)
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "core/status.h"

namespace idp::scaffolder::actions {
struct PublishOptions;
}

namespace idp::http {

struct ScaffolderSettings {
  std::filesystem::path working_directory;  // empty: the OS temp dir
  unsigned concurrency = 10;
  bool recover_tasks = false;
  std::chrono::milliseconds recover_timeout{30'000};
  std::chrono::milliseconds task_timeout{24 * 3'600'000};
  std::chrono::milliseconds janitor_interval{5 * 60'000};
  // publish:* integrations and defaults; null: github.com without a token.
  // (Held by pointer so this header stays free of the actions' headers.)
  std::shared_ptr<const scaffolder::actions::PublishOptions> publish;
};

// Reads the keys above from an app-config file (others are ignored); errors
// name file:line:column and the key.
Status LoadScaffolderConfig(const std::string& path, ScaffolderSettings& settings);

}  // namespace idp::http
