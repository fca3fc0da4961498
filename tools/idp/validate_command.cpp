// `idp validate`: find the catalog files, validate them in parallel, report in
// the order the user named them.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "duplicate_index.h"
#include "file_walker.h"
#include "ordered_pool.h"
#include "reporter.h"
#include "text_util.h"
#include "validate/validator.h"
#include "validate_options.h"

namespace idp::cli {

namespace {

constexpr int kExitInvalid = 1;
constexpr int kExitError = 2;

// A validator failure (it should have none) must not take the other files
// down: it becomes this file's error.
catalog::FileVerdict ValidateOne(const CatalogFile& file, const catalog::ValidateOptions& options) {
  std::string why;
  try {
    return catalog::ValidateFile(file.label, file.path, options);
  } catch (const std::exception& e) {
    why = e.what();
  } catch (...) {
    why = "unknown exception";
  }
  catalog::FileVerdict verdict;
  verdict.file = file.label;
  verdict.file_ok = false;
  catalog::DocumentVerdict doc;
  doc.stage = catalog::Stage::kIo;
  doc.file_fatal = true;
  doc.errors.push_back({"", "cannot validate file: " + why, Mark{}, catalog::Stage::kIo});
  verdict.documents.push_back(std::move(doc));
  return verdict;
}

bool UseColor(const ValidateCliOptions& options) {
  if (!options.color || isatty(fileno(stdout)) == 0) return false;
  const char* no_color = std::getenv("NO_COLOR");  // https://no-color.org
  return no_color == nullptr || *no_color == '\0';
}

}  // namespace

int RunValidate(int argc, char** argv) {
  std::string usage_error;
  auto parsed = ParseValidateArgs(argc, argv, usage_error);
  if (!parsed) {
    std::fprintf(stderr, "idp validate: %s\nRun 'idp validate --help' for usage.\n",
                 PrintableText(usage_error).c_str());
    return kExitError;
  }
  const ValidateCliOptions& options = *parsed;
  if (options.help) {
    std::fputs(ValidateHelpText(), stdout);
    return 0;
  }

  bool io_error = false;
  auto on_issue = [&](const WalkIssue& issue) {
    bool is_error = issue.severity == WalkIssue::Severity::kError;
    io_error = io_error || is_error;
    if (is_error || !options.quiet) {
      std::fprintf(stderr, "idp validate: %s: %s\n", is_error ? "error" : "warning",
                   PrintableText(issue.message).c_str());
    }
  };
  const auto& globs = options.globs.empty() ? DefaultCatalogGlobs() : options.globs;
  std::vector<CatalogFile> files;
  for (const auto& path : options.paths) CollectCatalogFiles(path, globs, options.excludes, files, on_issue);
  if (files.empty() && !io_error && !options.quiet) {
    std::fprintf(stderr, "idp validate: warning: no catalog files found (see --glob)\n");
  }

  unsigned jobs = options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  catalog::ValidateOptions base_options;
  base_options.keep_entity = false;  // no report prints entities
  auto options_for = [&](const CatalogFile& file) {
    catalog::ValidateOptions o = base_options;
    if (!options.backstage_placeholders) {
      o.placeholder_root = options.placeholder_root.empty() ? file.root : options.placeholder_root;
    }
    return o;
  };
  DuplicateIndex duplicates;
  ReporterContext context{stdout, UseColor(options), options.quiet, &duplicates};
  auto reporter = MakeReporter(options.format, context);

  RunSummary summary;
  bool invalid = false;
  OrderedPool pool(files.size(), jobs,
                   [&](std::size_t i) { return ValidateOne(files[i], options_for(files[i])); });
  while (auto verdict = pool.Next()) {
    auto hits = duplicates.Add(*verdict);
    reporter->File({*verdict, hits});
    ++summary.files;
    invalid = invalid || !verdict->file_ok || !hits.empty();
    for (const auto& doc : verdict->documents) {
      if (doc.stage == catalog::Stage::kIo) {  // the file, not a document: no entity
        io_error = true;
        invalid = true;
        continue;
      }
      if (doc.stage == catalog::Stage::kIgnored) continue;
      ++summary.entities;
      if (doc.valid) {
        ++summary.valid;
      } else {
        ++summary.invalid;
        invalid = true;
      }
    }
  }
  summary.duplicates = duplicates.duplicates();
  reporter->End(summary);
  std::fflush(stdout);
  // Machine-readable formats keep stdout clean; the summary goes to stderr.
  if (options.format != ReportFormat::kText && !options.quiet) {
    std::fprintf(stderr, "%s\n", SummaryLine(summary).c_str());
  }
  if (io_error) return kExitError;
  return invalid ? kExitInvalid : 0;
}

}  // namespace idp::cli
