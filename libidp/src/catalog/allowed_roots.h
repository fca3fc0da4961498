// Confinement of file access to the configured roots (symlinks followed).
#pragma once

#include <filesystem>
#include <optional>
#include <span>

namespace idp::catalog {

// The root that contains `path` (made absolute, `..` and symlinks resolved
// as far as the path exists), or nullopt when none does.
std::optional<std::filesystem::path> ContainingRoot(const std::filesystem::path& path,
                                                    std::span<const std::filesystem::path> roots);

}  // namespace idp::catalog
