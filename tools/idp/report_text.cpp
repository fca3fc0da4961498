// Compiler-style lines, one per problem, and a summary line.
#include <string>

#include "report_problems.h"
#include "reporter.h"
#include "text_util.h"

namespace idp::cli {

namespace {

constexpr const char* kBold = "\x1b[1m";
constexpr const char* kRed = "\x1b[1;31m";
constexpr const char* kGreen = "\x1b[1;32m";
constexpr const char* kDim = "\x1b[2m";
constexpr const char* kReset = "\x1b[0m";

class TextReporter final : public Reporter {
 public:
  explicit TextReporter(const ReporterContext& context) : context_(context) {}

  void File(const FileReport& file) override {
    std::string out;
    for (const auto& p : ListProblems(file)) {
      out += Paint(kBold, PrintableText(FormatPlace(file.verdict.file, p.mark)) + ":");
      out += ' ';
      out += Paint(kRed, "error:");
      out += ' ';
      out += PrintableText(p.message);
      if (!p.subject.empty()) {
        std::string subject = "[";  // appends: GCC 12 -Wrestrict misfires on "x" + std::string
        subject += PrintableText(p.subject);
        subject += ']';
        out += ' ';
        out += Paint(kDim, subject);
      }
      out += '\n';
    }
    std::fputs(out.c_str(), context_.out);
  }

  void End(const RunSummary& s) override {
    if (context_.quiet) return;
    std::string line = SummaryLine(s);
    bool clean = s.invalid == 0 && s.duplicates == 0;
    std::fprintf(context_.out, "%s\n", Paint(clean ? kGreen : kBold, line).c_str());
  }

 private:
  std::string Paint(const char* style, const std::string& text) const {
    if (!context_.color) return text;
    return style + text + kReset;
  }

  ReporterContext context_;
};

}  // namespace

std::string SummaryLine(const RunSummary& s) {
  auto count = [](std::string& out, std::size_t n, const char* one, const char* many) {
    out += std::to_string(n);
    out += n == 1 ? one : many;
  };
  std::string line;
  count(line, s.files, " file, ", " files, ");
  count(line, s.entities, " entity: ", " entities: ");
  count(line, s.valid, " valid, ", " valid, ");
  count(line, s.invalid, " invalid, ", " invalid, ");
  count(line, s.duplicates, " duplicate", " duplicates");
  return line;
}

std::unique_ptr<Reporter> MakeTextReporter(const ReporterContext& context) {
  return std::make_unique<TextReporter>(context);
}

}  // namespace idp::cli
