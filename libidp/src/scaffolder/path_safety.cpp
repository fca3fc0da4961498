#include "scaffolder/path_safety.h"

#include <cerrno>
#include <system_error>

namespace idp::scaffolder {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxLinks = 40;  // the kernel's ELOOP bound

// Lexical resolution of `.` and `..` on an absolute path (path.resolve).
fs::path Lexical(const fs::path& p) {
  fs::path out = p.lexically_normal();
  // lexically_normal keeps a trailing separator as an empty last element.
  std::string s = out.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return fs::path(s.empty() ? "/" : s);
}

}  // namespace

Result<fs::path> RealPathOf(const fs::path& path) {
  if (!path.is_absolute()) return Status(Code::kInvalidArgument, "path is not absolute: " + path.string());
  fs::path pending = Lexical(path);
  int links = 0;
  for (;;) {
    fs::path resolved = "/";
    bool restarted = false;
    auto it = pending.begin();
    ++it;  // the root
    for (; it != pending.end(); ++it) {
      fs::path candidate = resolved / *it;
      std::error_code ec;
      fs::file_status st = fs::symlink_status(candidate, ec);
      if (ec || !fs::exists(st)) {
        // Missing from here on: the rest is appended as written.
        for (; it != pending.end(); ++it) resolved /= *it;
        return Lexical(resolved);
      }
      if (fs::is_symlink(st)) {
        if (++links > kMaxLinks) {
          return Status(Code::kNotAllowed, "too many levels of symbolic links at " + candidate.string());
        }
        fs::path target = fs::read_symlink(candidate, ec);
        if (ec) return Status(Code::kIo, "cannot read link " + candidate.string() + ": " + ec.message());
        fs::path next = target.is_absolute() ? target : resolved / target;
        for (++it; it != pending.end(); ++it) next /= *it;
        // `resolved` holds no links, so folding `..` lexically on it matches
        // the kernel's physical walk.
        pending = Lexical(next);
        restarted = true;
        break;
      }
      resolved = candidate;
    }
    if (!restarted) return Lexical(resolved);
  }
}

Result<bool> IsChildPath(const fs::path& base, const fs::path& path) {
  auto real_base = RealPathOf(base);
  if (!real_base.ok()) return real_base.status();
  auto real_path = RealPathOf(path);
  if (!real_path.ok()) return real_path.status();
  const std::string b = real_base->string();
  const std::string p = real_path->string();
  if (p == b) return true;
  if (b == "/") return true;
  return p.size() > b.size() && p.compare(0, b.size(), b) == 0 && p[b.size()] == '/';
}

Result<fs::path> ResolveSafeChildPath(const fs::path& base, std::string_view relative) {
  if (relative.find('\0') != std::string_view::npos) {
    return Status(Code::kInvalidArgument, "path contains a NUL byte");
  }
  fs::path target = Lexical(base / fs::path(std::string(relative)));
  auto child = IsChildPath(base, target);
  if (!child.ok()) {
    if (child.status().code() == Code::kNotAllowed) return Status(Code::kNotAllowed, std::string(kOutsideParentMessage));
    return child.status();
  }
  if (!*child) return Status(Code::kNotAllowed, std::string(kOutsideParentMessage));
  return target;
}

}  // namespace idp::scaffolder
