#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "location_processor.h"

namespace idp::catalog {
namespace {

namespace fs = std::filesystem;

bool HasMagic(const std::string& segment) {
  return segment.find_first_of("*?[") != std::string::npos;
}

std::vector<std::string> Split(const std::string& pattern) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos <= pattern.size()) {
    std::size_t end = pattern.find('/', pos);
    if (end == std::string::npos) end = pattern.size();
    if (end > pos) parts.push_back(pattern.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

// Sorted entries of `dir` (none when unreadable).
std::vector<fs::directory_entry> Entries(const fs::path& dir) {
  std::vector<fs::directory_entry> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    out.push_back(*it);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  return out;
}

void Walk(const fs::path& dir, const std::vector<std::string>& parts, std::size_t i,
          std::vector<std::string>& out) {
  std::error_code ec;
  if (i == parts.size()) {
    if (fs::is_regular_file(dir, ec)) out.push_back(dir.string());
    return;
  }
  const std::string& part = parts[i];
  if (part == "**") {
    Walk(dir, parts, i + 1, out);  // zero directories
    for (const fs::directory_entry& e : Entries(dir)) {
      const std::string name = e.path().filename().string();
      if (!name.starts_with('.') && e.is_directory(ec) && !e.is_symlink(ec)) {
        Walk(e.path(), parts, i, out);
      }
    }
    return;
  }
  if (!HasMagic(part)) {
    if (fs::exists(dir / part, ec)) Walk(dir / part, parts, i + 1, out);
    return;
  }
  for (const fs::directory_entry& e : Entries(dir)) {
    const std::string name = e.path().filename().string();
    if (fnmatch(part.c_str(), name.c_str(), FNM_PERIOD) == 0) Walk(e.path(), parts, i + 1, out);
  }
}

}  // namespace

std::vector<std::string> GlobFiles(const std::string& pattern) {
  std::vector<std::string> out;
  if (!pattern.starts_with('/')) return out;
  const std::vector<std::string> parts = Split(pattern);
  if (std::none_of(parts.begin(), parts.end(), HasMagic)) {
    // A plain path (the common case): one stat instead of one per segment.
    std::string path;
    for (const std::string& part : parts) path += "/" + part;
    std::error_code ec;
    if (fs::is_regular_file(path.empty() ? "/" : path, ec)) out.push_back(path.empty() ? "/" : path);
    return out;
  }
  Walk("/", parts, 0, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace idp::catalog
