// Finds the catalog files named by the command line's PATH arguments.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace idp::cli {

struct CatalogFile {
  std::string label;  // as shown in reports: the argument, or argument/relative/path
  std::string path;   // what to open
  std::string root;   // where relative placeholders may read: the directory
                      // argument, or an explicit file's own directory
};

struct WalkIssue {
  enum class Severity { kWarning, kError } severity;
  std::string message;
};

// Appends the files of one PATH argument to `out`: the argument itself when it
// is a file; when it is a directory, every regular file below it whose name
// matches one of `globs` (see ValidateHelpText) and no pattern of `excludes`
// (which also prunes matching directories), sorted by relative path.
// Skips hidden directories and node_modules, never enters a directory twice.
// Problems (unreadable directory, dangling link, ...) go to `on_issue`; the
// walk carries on with everything else.
void CollectCatalogFiles(const std::string& argument, const std::vector<std::string>& globs,
                         const std::vector<std::string>& excludes, std::vector<CatalogFile>& out,
                         const std::function<void(const WalkIssue&)>& on_issue);

// Whether a file at `relative_path` (below a directory argument) matches.
bool MatchesGlobs(const std::vector<std::string>& globs, const std::string& relative_path);

}  // namespace idp::cli
