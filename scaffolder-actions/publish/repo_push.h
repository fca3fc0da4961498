// Backstage's initRepoAndPush (plugin-scaffolder-node) with the git
// executable: init on the default branch, add everything, commit as the
// given author, add `origin`, push the branch. Used by publish:github and
// publish:git.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "publish/publish_actions.h"
#include "scaffolder/action.h"

namespace idp::scaffolder::actions {

struct RepoPush {
  std::filesystem::path dir;  // already inside the workspace (SourceDirectory)
  std::string remote_url;
  std::string branch = "master";
  std::string commit_message = "initial commit";
  std::string author_name = "Scaffolder";
  std::string author_email = "scaffolder@backstage.io";
  // http(s) basic auth for the push (publish:github: x-access-token + token).
  std::optional<std::pair<std::string, std::string>> auth;
};

// Commit message and author from the step's gitCommitMessage, gitAuthorName
// and gitAuthorEmail, else the scaffolder.* defaults, else Backstage's.
RepoPush PushFromInput(const ActionContext& ctx, const PublishOptions& options);

// The commit hash pushed; kIo with git's (redacted) output when a step fails.
Result<std::string> InitRepoAndPush(const RepoPush& push, ActionContext& ctx);

// getRepoSourceDirectory: the workspace, or `sourcePath` below it (leading
// `..` segments dropped as Backstage does, then the containment check).
Result<std::filesystem::path> SourceDirectory(const ActionContext& ctx, const JsonValue* source_path);

// {url with its password shown as ***, the password} ("" when there is none).
std::pair<std::string, std::string> SplitUrlPassword(std::string_view url);

// A string input, or `fallback` when absent or empty (Backstage's `x ? x : default`).
std::string StringInput(const ActionContext& ctx, std::string_view key, std::string_view fallback = "");

}  // namespace idp::scaffolder::actions
