#include "publish/git_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "store/cursor.h"

namespace idp::scaffolder::actions {

namespace {

void Redact(std::string& text, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    if (s.empty()) continue;
    for (std::size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + 3)) text.replace(at, s.size(), "***");
  }
}

// Closes both ends of a pipe on every path out of RunGit.
struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd)
      if (f >= 0) close(f);
  }
};

}  // namespace

Result<GitRun> RunGit(const std::vector<std::string>& args, const std::filesystem::path& cwd, const GitEnv& env) {
  std::vector<std::string> env_strings;
  // PATH finds git; HOME points nowhere so no ~/.gitconfig or credential store is read.
  const char* path = std::getenv("PATH");
  env_strings.push_back(std::string("PATH=") + (path ? path : "/usr/bin:/bin"));
  env_strings.push_back("HOME=/nonexistent");
  env_strings.push_back("GIT_CONFIG_GLOBAL=/dev/null");
  env_strings.push_back("GIT_CONFIG_NOSYSTEM=1");
  env_strings.push_back("GIT_TERMINAL_PROMPT=0");
  env_strings.push_back("GIT_ASKPASS=/bin/false");  // never ask anyone for a password
  env_strings.push_back("LC_ALL=C");
  for (const auto& [k, v] : env.vars) env_strings.push_back(k + "=" + v);
  env_strings.push_back("GIT_CONFIG_COUNT=" + std::to_string(env.config.size()));
  for (std::size_t i = 0; i < env.config.size(); ++i) {
    env_strings.push_back("GIT_CONFIG_KEY_" + std::to_string(i) + "=" + env.config[i].first);
    env_strings.push_back("GIT_CONFIG_VALUE_" + std::to_string(i) + "=" + env.config[i].second);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  std::vector<std::string> argv_strings{"git", "-C", cwd.string()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  Pipe out;
  if (pipe2(out.fd, O_CLOEXEC) != 0) return Status(Code::kIo, std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 2);
  // Its own process group, so a kill reaches the remote helpers git starts too.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "git", &actions, &attr, argv.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  close(out.fd[1]);
  out.fd[1] = -1;
  if (rc != 0) return Status(Code::kIo, std::string("could not run git: ") + std::strerror(rc));

  GitRun result;
  std::array<char, 4096> buf;
  const auto deadline = std::chrono::steady_clock::now() + env.time_limit;
  const char* killed = nullptr;
  for (;;) {
    // Wake every 50 ms to look at the cancel flag and the deadline.
    pollfd p{out.fd[0], POLLIN, 0};
    const int ready = poll(&p, 1, 50);
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0) {
      const ssize_t n = read(out.fd[0], buf.data(), buf.size());
      if (n > 0) {
        // Bounded: a runaway git must not fill memory; the tail is dropped.
        if (result.output.size() < (1u << 20)) result.output.append(buf.data(), static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      break;  // EOF: git and its children closed the pipe
    }
    if (env.cancel && env.cancel->load(std::memory_order_relaxed)) killed = "cancelled";
    else if (std::chrono::steady_clock::now() >= deadline) killed = "timed out";
    if (killed) {
      kill(-pid, SIGKILL);
      break;
    }
  }
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + (WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0);
  Redact(result.output, env.secrets);
  if (killed)
    return Status(std::string_view(killed) == "cancelled" ? Code::kInternal : Code::kLimit,
                  "git " + (args.empty() ? std::string() : args[0]) + " " + killed + ": " + result.output);
  while (!result.output.empty() && (result.output.back() == '\n' || result.output.back() == '\r')) result.output.pop_back();
  return result;
}

std::string BasicAuthHeader(std::string_view user, std::string_view password) {
  return "Authorization: Basic " + store::Base64Encode(std::string(user) + ":" + std::string(password));
}

}  // namespace idp::scaffolder::actions
