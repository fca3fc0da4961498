// FileReaderProcessor: reads `file` location targets. A target is a glob
// pattern (`*`, `?`, `[...]`, `**`; dot files only when named), every match
// is its own location `file:<normalized path>` whose YAML documents become
// entities. Matches must stay inside the allowed roots (symlinks followed)
// and must not be a file an ancestor Location is reading (a cycle).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "catalog/processor.h"

namespace idp::catalog {

struct FileReaderOptions {
  // Called between listing the matches and reading each one (tests use it
  // to remove a file in between).
  std::function<void(const std::filesystem::path&)> before_read;
};

std::unique_ptr<Processor> MakeFileReaderProcessor(FileReaderOptions options = {});

// The files matching an absolute glob pattern, sorted.
std::vector<std::string> GlobFiles(const std::string& pattern);

}  // namespace idp::catalog
