#include "catalog/allowed_roots.h"

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
  const std::filesystem::path real = std::filesystem::weakly_canonical(path, ec);
  if (ec) return std::nullopt;
  for (const std::filesystem::path& root : roots) {
    const std::filesystem::path real_root = std::filesystem::weakly_canonical(root, ec);
    if (!ec && IsBelow(real, real_root)) return root;
  }
  return std::nullopt;
}

}  // namespace idp::catalog
