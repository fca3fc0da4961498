// Confinement of file access to the configured roots (symlinks followed).
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace idp::catalog {

// Resolved directories, shared by the threads of one refresh: a refresh
// checks every file of a directory (twice: the Location target, then the
// file read), and resolving the directory once leaves one lstat per file.
// Lives no longer than one refresh, so a link changed between refreshes is
// seen by the next one.
class RealDirCache {
 public:
  // realpath(3) of `dir`, nullopt when it does not resolve.
  std::optional<std::string> Resolve(const std::string& dir);
  // The config's roots (always the same ones) as string prefixes, made once:
  // lexically normal, and canonical (weakly: a missing root as far as it
  // resolves), without trailing separator; nullopt: matches nothing.
  struct Roots {
    std::vector<std::optional<std::string>> normal;
    std::vector<std::optional<std::string>> canonical;
  };
  const Roots& NormalRoots(std::span<const std::filesystem::path> roots);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::optional<std::string>> dirs_;
  std::optional<Roots> roots_;
};

// The root that contains `path` (made absolute, `..` and symlinks resolved
// as far as the path exists), or nullopt when none does. `cache` (may be
// null) is the refresh's.
std::optional<std::filesystem::path> ContainingRoot(const std::filesystem::path& path,
                                                    std::span<const std::filesystem::path> roots,
                                                    RealDirCache* cache = nullptr);

}  // namespace idp::catalog
