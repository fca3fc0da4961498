// The one path-containment rule every scaffolder file operation goes through:
// Backstage's resolveSafeChildPath/isChildPath (backend-plugin-api 1.6.1,
// cli-common 0.1.17), i.e. compare REAL paths, following symlink chains and
// dangling links, so no link inside the workspace can lead a write, read or
// delete outside it (CVE-2024-26150, CVE-2026-24047, CVE-2026-24046).
#pragma once

#include <filesystem>
#include <string_view>

#include "core/status.h"

namespace idp::scaffolder {

// Backstage's NotAllowedError message for an escape.
inline constexpr std::string_view kOutsideParentMessage =
    "Relative path is not allowed to refer to a directory outside its parent";

// `path` with every existing prefix resolved through the file system:
// symlinks are followed (chains, and dangling links whose target is then
// resolved the same way), components that do not exist are appended as
// written. Lexical `.`/`..` are folded first, as path.resolve does. Loops
// (more than 40 links) are reported as kNotAllowed.
Result<std::filesystem::path> RealPathOf(const std::filesystem::path& path);

// True when `path` (absolute) is `base` or lies below it, comparing real paths.
Result<bool> IsChildPath(const std::filesystem::path& base, const std::filesystem::path& path);

// resolveSafeChildPath(base, relative): base/relative (lexically resolved;
// an absolute `relative` replaces base, as path.resolve does) when its real
// path stays inside base's real path; kNotAllowed with Backstage's message
// otherwise. The path returned is the lexical one (links not expanded).
Result<std::filesystem::path> ResolveSafeChildPath(const std::filesystem::path& base, std::string_view relative);

}  // namespace idp::scaffolder
