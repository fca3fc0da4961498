// JUnit XML, as CI systems display test results: one testsuite per file, one
// testcase per (non-empty) document named by its ref, a failure per broken
// document listing all its problems.
#include <string>
#include <string_view>
#include <vector>

#include "report_problems.h"
#include "reporter.h"
#include "text_util.h"

namespace idp::cli {

namespace {

// Escaped for XML 1.0 text and attribute values. Characters XML 1.0 cannot
// carry at all (most C0 controls) are written as visible \xNN.
std::string Xml(std::string_view raw) {
  std::string valid = ValidUtf8(raw);
  std::string out;
  out.reserve(valid.size());
  for (char c : valid) {
    auto b = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;  // kept through attribute normalisation
      case '\r': out += "&#13;"; break;
      case '\t': out += "&#9;"; break;
      default:
        if (b < 0x20 || b == 0x7F) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\x";
          out += kHex[b >> 4];
          out += kHex[b & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out;
}

class JunitReporter final : public Reporter {
 public:
  explicit JunitReporter(const ReporterContext& context) : context_(context) {
    std::fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"idp validate\">\n", context_.out);
  }

  void File(const FileReport& file) override {
    const auto& docs = file.verdict.documents;
    const std::string& label = file.verdict.file;
    std::vector<std::vector<const Problem*>> by_doc(docs.size());
    std::vector<const Problem*> file_level;
    auto problems = ListProblems(file);
    for (const auto& p : problems) {
      if (p.document < docs.size()) {
        by_doc[p.document].push_back(&p);
      } else {
        file_level.push_back(&p);
      }
    }
    // The file-level note explains the file-fatal documents' failures; with
    // none to attach it to it gets a testcase of its own.
    bool has_fatal = false;
    for (const auto& d : docs) has_fatal = has_fatal || d.file_fatal;

    std::string cases;
    std::size_t tests = 0;
    std::size_t failures = 0;
    for (std::size_t i = 0; i < docs.size(); ++i) {
      const auto& doc = docs[i];
      if (doc.stage == catalog::Stage::kIgnored) continue;
      std::vector<const Problem*> mine = by_doc[i];
      if (doc.file_fatal) mine.insert(mine.end(), file_level.begin(), file_level.end());
      ++tests;
      failures += mine.empty() ? 0 : 1;
      // An unreadable file's one verdict is about the file, not a document.
      std::string name = doc.stage == catalog::Stage::kIo ? "(file)" : DocumentName(doc);
      cases += TestCase(name, label, doc.start, mine);
    }
    if (!has_fatal && !file_level.empty()) {
      ++tests;
      ++failures;
      cases += TestCase("(file)", label, Mark{}, file_level);
    }
    std::string suite = "  <testsuite name=\"" + Xml(label) + "\" tests=\"" + std::to_string(tests) +
                        "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"0\">\n" +
                        cases + "  </testsuite>\n";
    std::fputs(suite.c_str(), context_.out);
  }

  void End(const RunSummary&) override {
    std::fputs("</testsuites>\n", context_.out);
    std::fflush(context_.out);
  }

 private:
  static std::string TestCase(const std::string& name, const std::string& file, Mark mark,
                              const std::vector<const Problem*>& problems) {
    std::string s = "    <testcase name=\"" + Xml(name) + "\" classname=\"" + Xml(file) + "\" file=\"" + Xml(file) +
                    "\"";
    if (mark.known()) s += " line=\"" + std::to_string(mark.line) + "\"";
    if (problems.empty()) return s + "/>\n";
    s += ">\n      <failure type=\"" + Xml(problems.front()->rule) + "\" message=\"" +
         Xml(problems.front()->message) + "\">";
    for (const Problem* p : problems) {
      s += Xml(FormatPlace(file, p->mark) + ": " + p->message) + "&#10;";
    }
    s += "</failure>\n    </testcase>\n";
    return s;
  }

  ReporterContext context_;
};

}  // namespace

std::unique_ptr<Reporter> MakeJunitReporter(const ReporterContext& context) {
  return std::make_unique<JunitReporter>(context);
}

}  // namespace idp::cli
