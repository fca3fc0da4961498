#include "catalog/allowed_roots.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <memory>
#include <system_error>

namespace idp::catalog {
namespace {

bool IsBelow(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // trailing separator of the root
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

// `root` as a prefix for IsBelowString: no trailing separator ("/" -> "").
std::optional<std::string> RootString(const std::filesystem::path& root) {
  std::string s = root.native();
  if (!s.starts_with('/')) return std::nullopt;  // relative: contains no resolved path
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// IsBelow for a resolved path (absolute, no dot segment, no double
// separator) and a RootString.
bool IsBelowString(const std::string& real, const std::optional<std::string>& root) {
  if (!root) return false;
  return real.starts_with(*root) && (real.size() == root->size() || real[root->size()] == '/');
}

std::optional<std::string> RealPath(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr), &std::free);
  if (!resolved) return std::nullopt;
  return std::string(resolved.get());
}

// `path` with no symlink and no dot segment, through the cache: the
// directory resolved once, the last segment by one lstat. nullopt when that
// does not apply (a link, a missing file, a dot segment): resolve in full.
std::optional<std::string> CachedReal(const std::string& path, RealDirCache& cache) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash + 1 == path.size()) return std::nullopt;
  const std::string_view leaf = std::string_view(path).substr(slash + 1);
  if (leaf == "." || leaf == "..") return std::nullopt;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return std::nullopt;
  std::optional<std::string> dir = cache.Resolve(slash == 0 ? "/" : path.substr(0, slash));
  if (!dir) return std::nullopt;
  if (dir->back() != '/') dir->push_back('/');
  dir->append(leaf);
  return dir;
}

}  // namespace

std::optional<std::string> RealDirCache::Resolve(const std::string& dir) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = dirs_.find(dir); it != dirs_.end()) return it->second;
  }
  std::optional<std::string> real = RealPath(dir);  // outside the lock: a syscall per segment
  std::lock_guard lock(mutex_);
  return dirs_.emplace(dir, std::move(real)).first->second;
}

const RealDirCache::Roots& RealDirCache::NormalRoots(std::span<const std::filesystem::path> roots) {
  std::lock_guard lock(mutex_);
  if (!roots_) {
    roots_.emplace();
    for (const std::filesystem::path& root : roots) {
      roots_->normal.push_back(RootString(root.lexically_normal()));
      std::error_code ec;
      const std::filesystem::path real = std::filesystem::weakly_canonical(root, ec);
      roots_->canonical.push_back(ec ? std::nullopt : RootString(real));
    }
  }
  return *roots_;
}

std::optional<std::filesystem::path> ContainingRoot(const std::filesystem::path& path,
                                                    std::span<const std::filesystem::path> roots,
                                                    RealDirCache* cache) {
  if (cache) {
    // The refresh's way: string prefixes against roots normalised once.
    std::optional<std::string> real = CachedReal(path.native(), *cache);
    if (!real) real = RealPath(path.native());
    if (real) {
      const RealDirCache::Roots& r = cache->NormalRoots(roots);
      for (const std::vector<std::optional<std::string>>* list : {&r.normal, &r.canonical}) {
        for (std::size_t i = 0; i < list->size() && i < roots.size(); ++i) {
          if (IsBelowString(*real, (*list)[i])) return roots[i];
        }
      }
      return std::nullopt;
    }
  }
  std::error_code ec;
  std::filesystem::path real;
  if (std::optional<std::string> resolved = RealPath(path.native())) {
    // realpath(3) resolves an existing path in one pass; weakly_canonical
    // (which also handles missing tails) costs a stat per segment on top.
    real = std::move(*resolved);
  } else {
    real = std::filesystem::weakly_canonical(path, ec);
    if (ec) return std::nullopt;
  }
  for (const std::filesystem::path& root : roots) {
    // `real` has no symlink and no dot segment: a root that is a prefix of it
    // is canonical already (saves resolving every root for every file).
    if (IsBelow(real, root.lexically_normal())) return root;
  }
  for (const std::filesystem::path& root : roots) {
    const std::filesystem::path real_root = std::filesystem::weakly_canonical(root, ec);
    if (!ec && IsBelow(real, real_root)) return root;
  }
  return std::nullopt;
}

}  // namespace idp::catalog
