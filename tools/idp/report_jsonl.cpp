// The oracle's JSON lines. `duplicateRef` marks every definition of a
// repeated ref, the first one too, so it is only known once the run is over:
// lines are spooled to an anonymous temporary file (not kept in memory) and
// written out, each with its duplicateRef spliced in, at the end. Only each
// line's ref stays in memory.
#include <cstdlib>
#include <string>
#include <vector>

#include "reporter.h"
#include "validate/validator.h"

namespace idp::cli {

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// getline(3)'s buffer, freed on scope exit.
struct LineBuffer {
  char* data = nullptr;
  std::size_t capacity = 0;
  LineBuffer() = default;
  LineBuffer(const LineBuffer&) = delete;
  LineBuffer& operator=(const LineBuffer&) = delete;
  ~LineBuffer() { std::free(data); }  // NOLINT: getline allocates with malloc
};

class JsonlReporter final : public Reporter {
 public:
  explicit JsonlReporter(const ReporterContext& context) : context_(context), spool_(std::tmpfile()) {}

  void File(const FileReport& file) override {
    for (const auto& doc : file.verdict.documents) {
      std::string line = catalog::DocumentVerdictJson(file.verdict, doc);
      refs_.push_back(doc.valid && doc.ref ? *doc.ref : std::string());
      if (spool_ && memory_.empty()) {
        if (std::fwrite(line.data(), 1, line.size(), spool_.get()) == line.size() &&
            std::fputc('\n', spool_.get()) != EOF) {
          spooled_bytes_ += line.size() + 1;
          continue;
        }
      }
      // No temporary file (or it filled up): keep this and later lines in memory.
      memory_.push_back(std::move(line));
    }
  }

  void End(const RunSummary&) override {
    if (spool_) {
      std::fflush(spool_.get());
      std::rewind(spool_.get());
      LineBuffer buffer;
      std::size_t consumed = 0;  // a line that failed half-way is not replayed
      ssize_t n = 0;
      while (consumed < spooled_bytes_ &&
             (n = getline(&buffer.data, &buffer.capacity, spool_.get())) > 0) {
        consumed += static_cast<std::size_t>(n);
        std::string_view line(buffer.data, static_cast<std::size_t>(n));
        if (line.back() == '\n') line.remove_suffix(1);
        Emit(line, refs_[emitted_++]);
      }
    }
    for (const auto& line : memory_) Emit(line, refs_[emitted_++]);
    std::fflush(context_.out);
  }

 private:
  // DocumentVerdictJson writes one JSON object (valid UTF-8) per line: the
  // flag goes in before its closing brace.
  void Emit(std::string_view line, const std::string& ref) {
    const bool duplicate = !ref.empty() && context_.duplicates->Count(ref) > 1;
    if (!line.empty() && line.back() == '}') line.remove_suffix(1);
    std::fwrite(line.data(), 1, line.size(), context_.out);
    std::fputs(duplicate ? ",\"duplicateRef\":true}\n" : ",\"duplicateRef\":false}\n", context_.out);
  }

  ReporterContext context_;
  std::unique_ptr<std::FILE, FileCloser> spool_;
  std::size_t spooled_bytes_ = 0;
  std::vector<std::string> memory_;
  std::vector<std::string> refs_;  // per line, in order: the ref of a valid document, else ""
  std::size_t emitted_ = 0;
};

}  // namespace

std::unique_ptr<Reporter> MakeJsonlReporter(const ReporterContext& context) {
  return std::make_unique<JsonlReporter>(context);
}

}  // namespace idp::cli
