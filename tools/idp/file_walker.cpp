#include "file_walker.h"

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <utility>

namespace idp::cli {

namespace {

struct DirCloser {
  void operator()(DIR* d) const { closedir(d); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

using DirId = std::pair<dev_t, ino_t>;

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir + "/" + name;
}

// How a file below `argument` is named in reports.
std::string LabelFor(const std::string& argument, const std::string& relative) {
  std::string base = argument;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  if (base == ".") return relative;
  if (base == "/") return "/" + relative;
  return base + "/" + relative;
}

bool SkippedDirectory(const std::string& name) {
  return name.starts_with('.') || name == "node_modules";
}

std::string ErrnoText(int err) { return std::strerror(err); }

struct Entry {
  std::string name;
  unsigned char type;  // d_type; DT_UNKNOWN when the file system does not say
};

// Reads one directory's entries, sorted by name so that the walk (and the
// order of any messages it prints) does not depend on the file system.
bool ReadEntries(const std::string& path, std::vector<Entry>& entries, int& err) {
  DirHandle dir(opendir(path.c_str()));
  if (!dir) {
    err = errno;
    return false;
  }
  for (;;) {
    errno = 0;
    const dirent* e = readdir(dir.get());
    if (e == nullptr) {
      if (errno != 0) {
        err = errno;
        return false;
      }
      break;
    }
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    entries.push_back({std::move(name), e->d_type});
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return true;
}

}  // namespace

bool MatchesGlobs(const std::vector<std::string>& globs, const std::string& relative_path) {
  auto slash = relative_path.rfind('/');
  std::string name = slash == std::string::npos ? relative_path : relative_path.substr(slash + 1);
  for (const auto& g : globs) {
    bool whole_path = g.find('/') != std::string::npos;
    int flags = FNM_PERIOD | (whole_path ? FNM_PATHNAME : 0);
    if (fnmatch(g.c_str(), whole_path ? relative_path.c_str() : name.c_str(), flags) == 0) return true;
  }
  return false;
}

void CollectCatalogFiles(const std::string& argument, const std::vector<std::string>& globs,
                         const std::vector<std::string>& excludes, std::vector<CatalogFile>& out,
                         const std::function<void(const WalkIssue&)>& on_issue) {
  auto error = [&](std::string message) {
    on_issue({WalkIssue::Severity::kError, std::move(message)});
  };
  struct stat st {};
  if (stat(argument.c_str(), &st) != 0) {
    error("cannot access '" + argument + "': " + ErrnoText(errno));
    return;
  }
  if (S_ISREG(st.st_mode)) {
    auto parent = std::filesystem::path(argument).parent_path();
    out.push_back({argument, argument, parent.empty() ? std::string(".") : parent.string()});
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    error("'" + argument + "' is not a regular file or a directory");
    return;
  }

  std::set<DirId> visited{{st.st_dev, st.st_ino}};
  std::vector<std::string> found;    // relative paths
  std::vector<std::string> pending{""};  // relative paths of directories still to read
  while (!pending.empty()) {
    std::string rel_dir = std::move(pending.back());
    pending.pop_back();
    std::string dir_path = rel_dir.empty() ? argument : Join(argument, rel_dir);
    std::vector<Entry> entries;
    int err = 0;
    if (!ReadEntries(dir_path, entries, err)) {
      error("cannot read directory '" + LabelFor(argument, rel_dir.empty() ? "." : rel_dir) +
            "': " + ErrnoText(err));
      continue;
    }
    std::vector<std::string> subdirs;
    for (const auto& e : entries) {
      std::string rel = Join(rel_dir, e.name);
      if (MatchesGlobs(excludes, rel)) continue;  // files and whole directories
      // Cheap skip of the common case: a plain file that does not match.
      if (e.type == DT_REG && !MatchesGlobs(globs, rel)) continue;
      if (e.type == DT_DIR && SkippedDirectory(e.name)) continue;
      std::string full = Join(argument, rel);
      struct stat est {};
      if (stat(full.c_str(), &est) != 0) {
        int stat_err = errno;
        struct stat lst {};
        bool is_link = lstat(full.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode);
        // A dangling link matters only when it would have been validated.
        if (is_link && !MatchesGlobs(globs, rel)) continue;
        error("cannot access '" + LabelFor(argument, rel) + "': " + ErrnoText(stat_err));
        continue;
      }
      if (S_ISDIR(est.st_mode)) {
        if (SkippedDirectory(e.name)) continue;
        if (!visited.insert({est.st_dev, est.st_ino}).second) {
          on_issue({WalkIssue::Severity::kWarning,
                    "skipping '" + LabelFor(argument, rel) +
                        "': directory already searched (symbolic link loop or second link)"});
          continue;
        }
        subdirs.push_back(std::move(rel));
      } else if (S_ISREG(est.st_mode) && MatchesGlobs(globs, rel)) {
        found.push_back(std::move(rel));
      }
    }
    // Depth first, in name order.
    pending.insert(pending.end(), std::make_move_iterator(subdirs.rbegin()),
                   std::make_move_iterator(subdirs.rend()));
  }

  std::sort(found.begin(), found.end());
  for (auto& rel : found) out.push_back({LabelFor(argument, rel), Join(argument, rel), argument});
}

}  // namespace idp::cli
