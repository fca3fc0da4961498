// Backstage's PlaceholderProcessor ($text / $json / $yaml), spec §8.5.
//
// Deliberate divergence (Backstage issue 14372): when a placeholder root is
// configured, relative paths resolve against the directory of the containing
// file and are read from disk, provided the resolved path (symlinks
// followed) stays below the root. Without a root, relative paths fail with
// Backstage's own "could not form a URL" error. Absolute URLs always fail as
// they do with an offline URL reader.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "model/json_path.h"
#include "yaml/yaml_stream.h"

namespace idp::catalog {

struct PlaceholderContext {
  std::string_view base;                 // the location target, as Backstage quotes it
  std::filesystem::path file_path;       // the containing file; empty = no file access
  std::filesystem::path root;            // placeholder root; empty = no file access
  const yaml::Limits* limits = nullptr;  // size caps ($yaml parsing, file size)
};

// Replaces every placeholder in `entity` (allocated from `allocator`) by its
// value; each one that cannot be resolved is left as it was and reported.
std::vector<model::Problem> ResolvePlaceholders(JsonValue& entity, JsonAllocator& allocator,
                                                const PlaceholderContext& context);

// What WHATWG `new URL(s)` accepts as an absolute URL (close approximation).
bool IsAbsoluteUrl(std::string_view s);

}  // namespace idp::catalog
