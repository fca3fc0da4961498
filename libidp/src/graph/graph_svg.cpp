// `dot -Tsvg` as a child process: the DOT text in a private temporary file
// (so no pipe can fill both ways), SVG and errors read back through pipes.
#include "graph/graph_svg.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "graph/graph_format.h"

extern char** environ;

namespace idp::graph {
namespace {

// Closes a descriptor once.
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  void Close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

bool WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads both pipes to their end (poll, so neither blocks the child).
void Drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  std::array<pollfd, 2> fds{{{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&out, &err};
  std::array<char, 65536> buffer{};
  int open = 2;
  while (open > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open;
      } else {
        sinks[i]->append(buffer.data(), static_cast<std::size_t>(n));
      }
    }
  }
}

}  // namespace

std::optional<std::string> FindExecutable(std::string_view name, std::string_view path_list) {
  std::size_t start = 0;
  while (start <= path_list.size()) {
    const std::size_t end = std::min(path_list.find(':', start), path_list.size());
    const std::string_view dir = path_list.substr(start, end - start);
    start = end + 1;
    if (dir.empty()) continue;  // an empty entry would mean the working directory: not searched
    const std::string candidate = (std::filesystem::path(dir) / name).string();
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

Result<std::string> TraversalSvg(const Traversal& t, std::optional<std::string_view> path_list) {
  const char* env_path = std::getenv("PATH");
  const auto dot = FindExecutable("dot", path_list.value_or(env_path ? env_path : ""));
  if (!dot) {
    return Status(Code::kNotFound, "--format svg needs Graphviz's `dot` on PATH (not found; install graphviz, "
                                   "or use --format dot and render it elsewhere)");
  }
  // The DOT text in an unlinked temporary file: the child reads it as stdin.
  const char* tmp = std::getenv("TMPDIR");
  std::string name = std::string(tmp && *tmp ? tmp : "/tmp") + "/idp-graph-XXXXXX";
  Fd input(::mkstemp(name.data()));
  if (input.fd < 0) return Status(Code::kIo, "cannot create a temporary file for dot: " + std::string(std::strerror(errno)));
  ::unlink(name.c_str());
  if (!WriteAll(input.fd, TraversalDot(t)) || ::lseek(input.fd, 0, SEEK_SET) != 0) {
    return Status(Code::kIo, "cannot write the temporary DOT file: " + std::string(std::strerror(errno)));
  }
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Status(Code::kIo, "pipe: " + std::string(std::strerror(errno)));
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) return Status(Code::kIo, "pipe: " + std::string(std::strerror(errno)));
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input.fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.fd, 2);
  std::string arg0 = *dot, arg1 = "-Tsvg";
  std::vector<char*> argv{arg0.data(), arg1.data(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, dot->c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return Status(Code::kIo, "cannot run " + *dot + ": " + std::strerror(spawned));
  out_write.Close();
  err_write.Close();
  std::string svg, err;
  Drain(out_read.fd, err_read.fd, svg, err);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status(Code::kIo, *dot + " -Tsvg failed (" +
                                 (WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                                    : std::string("killed by a signal")) +
                                 ")" + (err.empty() ? "" : ": " + err));
  }
  return svg;
}

}  // namespace idp::graph
