// File helpers the built-in actions share: globs (globby/micromatch subset),
// tree listing without following links, the isbinaryfile heuristic, and a
// contained copy. Every path they write is checked with path_safety.h.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace idp::scaffolder {

// One glob against a '/'-separated relative path: `*`, `?`, `[...]`,
// `{a,b}`, `**` (zero or more segments); dot files match (dot: true).
bool GlobMatch(std::string_view pattern, std::string_view path);
// globby semantics for a list: matched by a positive pattern and by no
// `!negated` one.
bool GlobListMatch(const std::vector<std::string>& patterns, std::string_view path);

// Every entry below dir ("a/", "a/b.txt"; directories end with '/'), links
// not followed, sorted.
Result<std::vector<std::string>> ListTree(const std::filesystem::path& dir);

// isbinaryfile's heuristic on the first 512 bytes.
Result<bool> IsBinaryFile(const std::filesystem::path& file);
// The same on content already read (its first 512 bytes count).
bool IsBinaryContent(std::string_view content);

Result<std::string> ReadWholeFile(const std::filesystem::path& file, std::size_t max_bytes = 64u << 20);
// Writes (creating parents) with the given mode.
Status WriteWholeFile(const std::filesystem::path& file, std::string_view content, unsigned mode = 0644);

// fs-extra copy (no dereference): a file, a link (as a link) or a tree to
// `to`. Entries whose real path leaves `from` are skipped (fetchContents'
// filter); `to` must already be a checked path.
Status CopyTree(const std::filesystem::path& from, const std::filesystem::path& to);

// True when `url` parses as an absolute URL (new URL(url) succeeds).
bool IsAbsoluteUrl(std::string_view url);

}  // namespace idp::scaffolder
