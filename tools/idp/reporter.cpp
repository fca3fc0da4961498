#include "reporter.h"

namespace idp::cli {

std::unique_ptr<Reporter> MakeReporter(ReportFormat format, const ReporterContext& context) {
  switch (format) {
    case ReportFormat::kText: return MakeTextReporter(context);
    case ReportFormat::kJsonl: return MakeJsonlReporter(context);
    case ReportFormat::kSarif: return MakeSarifReporter(context);
    case ReportFormat::kJunit: return MakeJunitReporter(context);
    case ReportFormat::kGithub: return MakeGithubReporter(context);
  }
  return MakeTextReporter(context);
}

}  // namespace idp::cli
