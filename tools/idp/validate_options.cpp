#include "validate_options.h"

#include <charconv>
#include <string_view>

namespace idp::cli {

const std::vector<std::string>& DefaultCatalogGlobs() {
  // What Backstage users call their descriptor files: catalog-info.yaml, and
  // variants such as api.catalog-info.yaml or catalog-info-prod.yml.
  static const std::vector<std::string> kGlobs = {"*catalog-info*.yaml", "*catalog-info*.yml"};
  return kGlobs;
}

const char* ValidateHelpText() {
  return R"(usage: idp validate [options] PATH...

Validates Backstage catalog files the way a Backstage catalog backend would
process them: YAML parsing, envelope, entity policies, kind schemas and
relation emission. Every problem of every entity is reported, not only the
first one.

PATH is a file or a directory. Files named explicitly are always validated,
whatever their name. Directories are searched recursively for files whose
name matches the patterns (default: '*catalog-info*.yaml' and
'*catalog-info*.yml', i.e. catalog-info.yaml, catalog-info.yml,
api.catalog-info.yaml, ...). While searching, directories whose name starts
with '.' (.git, ...) and node_modules are skipped, symbolic links are
followed but a directory is never entered twice (no symlink loops), and
only regular files are read.

Output order is deterministic: the arguments in the order given, the files of
a directory sorted by their path below it. A file found in directory DIR is
named DIR/relative/path in the output.

options:
  --format FORMAT   text (default), jsonl, sarif, junit or github
      text    one line per problem, compiler style:
                path:line:col: error: field.path: message [kind:namespace/name]
              file-level notes for files Backstage would not ingest at all,
              and a summary line 'N files, M entities: V valid, I invalid,
              D duplicates' (empty documents and unreadable files are not
              entities)
      jsonl   one JSON object per YAML document: the catalog oracle's verdict
              (file, index, line, kind, name, ref, valid, fileOk, fileFatal,
              stage, error, errors, relations) plus "duplicateRef": true on
              every valid document whose ref another valid document of the
              run also defines. Written once every file is validated.
      sarif   SARIF 2.1.0 log, one run, one rule per validation stage
      junit   JUnit XML: one testsuite per file, one testcase per document
      github  GitHub Actions workflow commands, one '::error' per problem
  --jobs N, -j N    validate N files in parallel (default: one per core;
                    1 = single-threaded). Output order does not depend on it.
  --glob PATTERN    file name pattern for directory searches, replacing the
                    defaults; repeat it to give several. Shell syntax
                    (* ? [...]); a '*' does not match a leading '.'. A pattern
                    containing '/' is matched against the path relative to
                    the directory argument, where '*' does not cross '/'.
  --exclude PATTERN leave out of directory searches every file and directory
                    matching PATTERN (same syntax as --glob; repeatable), e.g.
                    --exclude skeleton for Templates' skeleton folders
  --placeholder-root DIR
                    relative $text/$json/$yaml placeholders may read files
                    below DIR only (default: below the PATH argument that
                    found the file; an explicit file's own directory)
  --backstage-placeholders
                    fail relative placeholders as Backstage does for file
                    locations (its issue 14372) instead of resolving them
  --no-color        no ANSI colours (colours are used only when standard
                    output is a terminal and NO_COLOR is not set)
  --quiet, -q       print problems only: no summary line, no warnings
  --help, -h        this text

The same entity ref (kind:namespace/name, compared lower-cased) defined by
two valid documents is an error, reported at the later definition and naming
the first one. Backstage keeps the first definition when they come from
different files (the later file's copy is ignored) and the later document
when both are in one file.

exit status:
  0  every document is valid, every file ingestible, no duplicate refs
  1  some document is invalid, some file would not be ingested, or a ref is
     defined twice
  2  usage error, or an I/O error: a path that does not exist, a file or
     directory that cannot be read (including files over the size limit)
)";
}

namespace {

std::optional<ReportFormat> ParseFormat(std::string_view s) {
  if (s == "text") return ReportFormat::kText;
  if (s == "jsonl") return ReportFormat::kJsonl;
  if (s == "sarif") return ReportFormat::kSarif;
  if (s == "junit") return ReportFormat::kJunit;
  if (s == "github") return ReportFormat::kGithub;
  return std::nullopt;
}

std::optional<unsigned> ParseJobs(std::string_view s) {
  unsigned n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n == 0 || n > 1024) return std::nullopt;
  return n;
}

}  // namespace

std::optional<ValidateCliOptions> ParseValidateArgs(int argc, char** argv, std::string& error) {
  ValidateCliOptions options;
  bool only_paths = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (only_paths || arg.empty() || arg[0] != '-' || arg == "-") {
      options.paths.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      only_paths = true;
      continue;
    }
    // Options taking a value accept both `--opt value` and `--opt=value`.
    std::string_view name = arg;
    std::optional<std::string_view> value;
    if (arg.starts_with("--")) {
      if (auto eq = arg.find('='); eq != std::string_view::npos) {
        name = arg.substr(0, eq);
        value = arg.substr(eq + 1);
      }
    }
    auto take_value = [&]() -> std::optional<std::string_view> {
      if (value) return value;
      if (i + 1 >= argc) {
        error = "option " + std::string(name) + " needs a value";
        return std::nullopt;
      }
      return std::string_view(argv[++i]);
    };
    auto no_value = [&]() {
      if (!value) return true;
      error = "option " + std::string(name) + " takes no value";
      return false;
    };

    if (name == "--help" || name == "-h") {
      if (!no_value()) return std::nullopt;
      options.help = true;
    } else if (name == "--format") {
      auto v = take_value();
      if (!v) return std::nullopt;
      auto f = ParseFormat(*v);
      if (!f) {
        error = "unknown format '" + std::string(*v) + "' (text, jsonl, sarif, junit, github)";
        return std::nullopt;
      }
      options.format = *f;
    } else if (name == "--jobs" || name == "-j") {
      auto v = take_value();
      if (!v) return std::nullopt;
      auto n = ParseJobs(*v);
      if (!n) {
        error = "--jobs wants a number from 1 to 1024, not '" + std::string(*v) + "'";
        return std::nullopt;
      }
      options.jobs = *n;
    } else if (name == "--glob") {
      auto v = take_value();
      if (!v) return std::nullopt;
      if (v->empty()) {
        error = "--glob wants a non-empty pattern";
        return std::nullopt;
      }
      options.globs.emplace_back(*v);
    } else if (name == "--exclude") {
      auto v = take_value();
      if (!v) return std::nullopt;
      if (v->empty()) {
        error = "--exclude wants a non-empty pattern";
        return std::nullopt;
      }
      options.excludes.emplace_back(*v);
    } else if (name == "--placeholder-root") {
      auto v = take_value();
      if (!v) return std::nullopt;
      if (v->empty()) {
        error = "--placeholder-root wants a directory";
        return std::nullopt;
      }
      options.placeholder_root = std::string(*v);
    } else if (name == "--backstage-placeholders") {
      if (!no_value()) return std::nullopt;
      options.backstage_placeholders = true;
    } else if (name == "--no-color" || name == "--no-colour") {
      if (!no_value()) return std::nullopt;
      options.color = false;
    } else if (name == "--quiet" || name == "-q") {
      if (!no_value()) return std::nullopt;
      options.quiet = true;
    } else {
      error = "unknown option '" + std::string(arg) + "'";
      return std::nullopt;
    }
  }
  if (!options.help && options.paths.empty()) {
    error = "no PATH given";
    return std::nullopt;
  }
  return options;
}

}  // namespace idp::cli
