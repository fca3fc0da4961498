// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=T::M`,
// one per problem, which GitHub turns into annotations on the files.
#include <string>
#include <string_view>

#include "report_problems.h"
#include "reporter.h"
#include "text_util.h"

namespace idp::cli {

namespace {

// The escaping GitHub's runner undoes (toolkit/packages/core/src/command.ts):
// data escapes % CR LF; property values also : and ,.
std::string EscapeData(std::string_view raw) {
  std::string out;
  for (char c : ValidUtf8(raw)) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string EscapeProperty(std::string_view raw) {
  std::string out;
  for (char c : EscapeData(raw)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

class GithubReporter final : public Reporter {
 public:
  explicit GithubReporter(const ReporterContext& context) : context_(context) {}

  void File(const FileReport& file) override {
    std::string out;
    for (const auto& p : ListProblems(file)) {
      out += "::error file=" + EscapeProperty(file.verdict.file);
      if (p.mark.known()) {
        out += ",line=" + std::to_string(p.mark.line);
        if (p.mark.column != 0) out += ",col=" + std::to_string(p.mark.column);
      }
      out += ",title=" + EscapeProperty("idp validate") + "::";
      out += EscapeData(p.subject.empty() ? p.message : p.message + " [" + p.subject + "]");
      out += '\n';
    }
    std::fputs(out.c_str(), context_.out);
  }

  void End(const RunSummary&) override { std::fflush(context_.out); }

 private:
  ReporterContext context_;
};

}  // namespace

std::unique_ptr<Reporter> MakeGithubReporter(const ReporterContext& context) {
  return std::make_unique<GithubReporter>(context);
}

}  // namespace idp::cli
