// Runs the `git` executable for the publish actions: posix_spawnp with an
// argument vector (no shell), an environment built from scratch (no user or
// system config, no prompts) and stdout+stderr captured together. Secrets
// travel in the environment only (GIT_CONFIG_* keys), never in argv, and are
// cut out of the captured output.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace idp::scaffolder::actions {

struct GitRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr interleaved, secrets redacted
};

struct GitEnv {
  std::vector<std::pair<std::string, std::string>> vars;  // added to the clean environment
  std::vector<std::pair<std::string, std::string>> config;  // passed as GIT_CONFIG_KEY_n/VALUE_n
  std::vector<std::string> secrets;                        // replaced by *** in the output
  // A push to a remote that stops answering must not hold the step forever:
  // git is killed when the flag is set or the time is up.
  const std::atomic<bool>* cancel = nullptr;
  std::chrono::milliseconds time_limit = std::chrono::minutes(10);
};

// kIo when git cannot be started, kInternal "cancelled" / kLimit when it was
// killed; a non-zero exit is a GitRun, not an error.
Result<GitRun> RunGit(const std::vector<std::string>& args, const std::filesystem::path& cwd, const GitEnv& env);

// `Authorization: Basic base64(user:password)`: the http.extraHeader value
// that authenticates a push over http(s) without putting the secret in argv.
std::string BasicAuthHeader(std::string_view user, std::string_view password);

}  // namespace idp::scaffolder::actions
