#include "validate/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace idp::catalog {
namespace {

// libuv's code names and descriptions, so messages read like the oracle's.
std::string ErrnoText(int err) {
  switch (err) {
    case ENOENT:
      return "ENOENT: no such file or directory";
    case EACCES:
      return "EACCES: permission denied";
    case EPERM:
      return "EPERM: operation not permitted";
    case EISDIR:
      return "EISDIR: illegal operation on a directory";
    case ENOTDIR:
      return "ENOTDIR: not a directory";
    case ELOOP:
      return "ELOOP: too many symbolic links encountered";
    case ENAMETOOLONG:
      return "ENAMETOOLONG: name too long";
    case EMFILE:
      return "EMFILE: too many open files";
    case ENFILE:
      return "ENFILE: file table overflow";
    case EIO:
      return "EIO: i/o error";
    case ENXIO:
      return "ENXIO: no such device or address";
    default:
      return std::string("E") + std::to_string(err) + ": " + std::strerror(err);
  }
}

// Closes the descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Result<std::string> ReadFileCapped(const std::filesystem::path& path, std::string_view shown,
                                   std::size_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    const int err = errno;
    return Status(Code::kIo, ErrnoText(err) + ", open '" + std::string(shown) + "'");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    const int err = errno;
    return Status(Code::kIo, ErrnoText(err) + ", stat '" + std::string(shown) + "'");
  }
  if (S_ISDIR(st.st_mode)) return Status(Code::kIo, ErrnoText(EISDIR) + ", read");
  const auto too_large = [&] {
    return Status(Code::kLimit, std::string(shown) + " is larger than the limit of " +
                                    std::to_string(max_bytes) + " bytes");
  };
  if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_bytes) return too_large();

  std::string data;
  // st_size is a hint only (it is 0 for pipes and /proc files): read to EOF.
  data.resize(S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) + 1 : 64 * 1024);
  std::size_t used = 0;
  for (;;) {
    if (used == data.size()) {
      if (data.size() > max_bytes) return too_large();
      data.resize(data.size() * 2);
    }
    const ssize_t n = ::read(fd.get(), data.data() + used, data.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      return Status(Code::kIo, ErrnoText(err) + ", read");
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    if (used > max_bytes) return too_large();
  }
  data.resize(used);
  return data;
}

}  // namespace idp::catalog
