#include "catalog/allowed_roots.h"

#include <stdlib.h>

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

}  // namespace

std::optional<std::filesystem::path> ContainingRoot(const std::filesystem::path& path,
                                                    std::span<const std::filesystem::path> roots) {
  std::error_code ec;
  std::filesystem::path real;
  // realpath(3) resolves an existing path in one pass; weakly_canonical
  // (which also handles missing tails) costs a stat per segment on top.
  if (std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr), &std::free); resolved) {
    real = resolved.get();
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
