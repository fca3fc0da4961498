// The output formats of `idp validate`. Files arrive one at a time, in output
// order; a reporter writes what it can right away and keeps little state.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "duplicate_index.h"
#include "validate/verdict.h"
#include "validate_options.h"

namespace idp::cli {

struct FileReport {
  const catalog::FileVerdict& verdict;
  const std::vector<DuplicateHit>& duplicates;
};

struct RunSummary {
  std::size_t files = 0;
  std::size_t entities = 0;  // non-empty documents
  std::size_t valid = 0;
  std::size_t invalid = 0;
  std::size_t duplicates = 0;
};

// "N files, M entities: V valid, I invalid, D duplicates"
std::string SummaryLine(const RunSummary& summary);

struct ReporterContext {
  std::FILE* out = stdout;
  bool color = false;
  bool quiet = false;
  const DuplicateIndex* duplicates = nullptr;  // the run's, complete by End()
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void File(const FileReport& file) = 0;
  virtual void End(const RunSummary& summary) = 0;
};

std::unique_ptr<Reporter> MakeTextReporter(const ReporterContext& context);
std::unique_ptr<Reporter> MakeJsonlReporter(const ReporterContext& context);
std::unique_ptr<Reporter> MakeSarifReporter(const ReporterContext& context);
std::unique_ptr<Reporter> MakeJunitReporter(const ReporterContext& context);
std::unique_ptr<Reporter> MakeGithubReporter(const ReporterContext& context);

std::unique_ptr<Reporter> MakeReporter(ReportFormat format, const ReporterContext& context);

}  // namespace idp::cli
