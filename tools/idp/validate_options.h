// Command line of `idp validate`: what the user asked for, parsed and checked.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace idp::cli {

enum class ReportFormat { kText, kJsonl, kSarif, kJunit, kGithub };

struct ValidateCliOptions {
  ReportFormat format = ReportFormat::kText;
  unsigned jobs = 0;                  // 0: one per core
  std::vector<std::string> globs;     // empty: the default catalog file names
  std::vector<std::string> excludes;  // files and directories left out of searches
  bool color = true;                  // still only on a terminal
  bool quiet = false;
  bool help = false;
  // Relative $text/$json/$yaml placeholders: resolved below this root when
  // set; below each file's PATH argument when empty (see the help text).
  std::string placeholder_root;
  bool backstage_placeholders = false;  // fail them as Backstage does (#14372)
  std::vector<std::string> paths;
};

// The default file name patterns used when no --glob is given.
const std::vector<std::string>& DefaultCatalogGlobs();

// Parses argv (argv[0] is the subcommand name). On a usage error returns
// nullopt and sets `error`.
std::optional<ValidateCliOptions> ParseValidateArgs(int argc, char** argv, std::string& error);

const char* ValidateHelpText();

}  // namespace idp::cli
