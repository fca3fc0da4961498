#include "publish/repo_push.h"

#include "publish/git_run.h"
#include "scaffolder/path_safety.h"

namespace idp::scaffolder::actions {

namespace fs = std::filesystem;

std::string StringInput(const ActionContext& ctx, std::string_view key, std::string_view fallback) {
  const JsonValue* v = FindMember(ctx.input(), key);
  if (v && v->IsString() && v->GetStringLength() > 0) return std::string(AsView(*v));
  return std::string(fallback);
}

Result<fs::path> SourceDirectory(const ActionContext& ctx, const JsonValue* source_path) {
  if (!source_path || !source_path->IsString() || source_path->GetStringLength() == 0) return ctx.workspace();
  // normalize(sourcePath) with leading `../` segments stripped, then joined.
  std::string rel = fs::path(std::string(AsView(*source_path))).lexically_normal().generic_string();
  while (rel == ".." || rel.rfind("../", 0) == 0) rel.erase(0, rel.size() > 2 ? 3 : 2);
  if (!rel.empty() && rel.front() == '/') rel.erase(0, rel.find_first_not_of('/'));
  auto dir = ResolveSafeChildPath(ctx.workspace(), rel.empty() ? "." : rel);
  if (!dir.ok()) return Status(Code::kNotAllowed, "Invalid source path");
  return *dir;
}

RepoPush PushFromInput(const ActionContext& ctx, const PublishOptions& options) {
  RepoPush push;
  auto pick = [&](std::string_view key, const std::string& configured, const std::string& fallback) {
    return StringInput(ctx, key, configured.empty() ? fallback : configured);
  };
  push.commit_message = pick("gitCommitMessage", options.default_commit_message, push.commit_message);
  push.author_name = pick("gitAuthorName", options.default_author_name, push.author_name);
  push.author_email = pick("gitAuthorEmail", options.default_author_email, push.author_email);
  return push;
}

std::pair<std::string, std::string> SplitUrlPassword(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {std::string(url), ""};
  const std::size_t host_end = std::min(url.find('/', scheme + 3), url.size());
  const std::size_t at = url.rfind('@', host_end);
  if (at == std::string_view::npos || at < scheme) return {std::string(url), ""};
  const std::size_t colon = url.find(':', scheme + 3);
  if (colon == std::string_view::npos || colon > at) return {std::string(url), ""};
  return {std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at)),
          std::string(url.substr(colon + 1, at - colon - 1))};
}

Result<std::string> InitRepoAndPush(const RepoPush& push, ActionContext& ctx) {
  GitEnv env;
  env.vars = {{"GIT_AUTHOR_NAME", push.author_name},
              {"GIT_AUTHOR_EMAIL", push.author_email},
              {"GIT_COMMITTER_NAME", push.author_name},
              {"GIT_COMMITTER_EMAIL", push.author_email}};
  if (push.auth) {
    env.config.emplace_back("http.extraHeader", BasicAuthHeader(push.auth->first, push.auth->second));
    env.secrets.push_back(push.auth->second);
    env.secrets.push_back(BasicAuthHeader(push.auth->first, push.auth->second).substr(21));
  }
  // A password written into the remote URL is a secret too.
  const auto [shown_url, url_password] = SplitUrlPassword(push.remote_url);
  if (!url_password.empty()) env.secrets.push_back(url_password);
  env.cancel = &ctx.cancel_flag();
  std::error_code ec;
  if (!fs::is_directory(push.dir, ec)) return Status(Code::kInvalidArgument, "Source directory " + push.dir.string() + " does not exist");
  std::string hash;
  const std::vector<std::vector<std::string>> steps = {
      {"init", "--quiet", "--initial-branch=" + push.branch},
      {"add", "--all", "."},
      {"commit", "--quiet", "--allow-empty", "--no-verify", "-m", push.commit_message},
      {"rev-parse", "HEAD"},
      {"remote", "add", "origin", push.remote_url},
      {"push", "--quiet", "origin", "HEAD:refs/heads/" + push.branch},
  };
  for (const auto& args : steps) {
    if (ctx.cancelled()) return Status(Code::kInternal, "Step " + ctx.step_id() + " has been cancelled.");
    // The log lines of Backstage's Git helper (isomorphic-git wrapper).
    const std::string dir = push.dir.string();
    if (args[0] == "init") ctx.Info("Init git repository {dir=" + dir + "}");
    if (args[0] == "add") ctx.Info("Adding file {dir=" + dir + ",filepath=.}");
    if (args[0] == "commit") ctx.Info("Committing file to repo {dir=" + dir + ",message=" + push.commit_message + "}");
    if (args[0] == "remote") ctx.Info("Creating new remote {dir=" + dir + ",remoteName=origin,url=" + shown_url + "}");
    if (args[0] == "push") ctx.Info("Pushing directory to remote {dir=" + dir + ",remote=origin}");
    auto run = RunGit(args, push.dir, env);
    if (!run.ok()) {
      if (ctx.cancelled()) return Status(Code::kInternal, "Step " + ctx.step_id() + " has been cancelled.");
      return run.status();
    }
    if (run->exit_code != 0)
      return Status(Code::kIo, "git " + args[0] + " failed (exit " + std::to_string(run->exit_code) + "): " + run->output);
    if (args[0] == "rev-parse") hash = run->output;
  }
  return hash;
}

}  // namespace idp::scaffolder::actions
