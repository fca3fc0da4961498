// A workspace's files as the dry-run answer and publishers see them
// (serializeDirectoryContents): regular files and broken symlinks (their link
// text as content), `.git` left out, sorted by path, every path checked with
// the containment rule; and the reverse, writing `directoryContents` into a
// directory (deserializeDirectoryContents).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/status.h"

namespace idp::scaffolder {

struct FileEntry {
  std::string path;     // relative, '/'-separated
  std::string content;  // raw bytes
  bool executable = false;
  bool symlink = false;
};

Result<std::vector<FileEntry>> SerializeDirectory(const std::filesystem::path& dir);
Status DeserializeDirectory(const std::filesystem::path& dir, const std::vector<FileEntry>& files);

}  // namespace idp::scaffolder
