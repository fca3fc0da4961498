// The oracle's JSON lines. `duplicateRef` marks every definition of a
// repeated ref, the first one too, so it is only known once the run is over:
// lines are spooled to an anonymous temporary file (not kept in memory) and
// written out, each with its duplicateRef, at the end.
#include <rapidjson/writer.h>
#include <rapidjson/stringbuffer.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/json.h"
#include "reporter.h"
#include "text_util.h"
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
        Emit(line);
      }
    }
    for (const auto& line : memory_) Emit(line);
    std::fflush(context_.out);
  }

 private:
  void Emit(std::string_view raw) {
    // Messages may quote a file's bytes; JSON must be UTF-8. Only string
    // contents can hold non-ASCII, so this keeps the structure intact.
    std::string line = ValidUtf8(raw);
    Json doc;
    doc.Parse<rapidjson::kParseFullPrecisionFlag>(line.data(), line.size());
    if (doc.HasParseError() || !doc.IsObject()) {  // not ours to fix; pass it on
      std::fwrite(line.data(), 1, line.size(), context_.out);
      std::fputc('\n', context_.out);
      return;
    }
    bool duplicate = false;
    const JsonValue* valid = FindMember(doc, "valid");
    const JsonValue* ref = FindMember(doc, "ref");
    if (valid && valid->IsBool() && valid->GetBool() && ref && ref->IsString()) {
      duplicate = context_.duplicates->Count(std::string(AsView(*ref))) > 1;
    }
    doc.RemoveMember("duplicateRef");
    doc.AddMember("duplicateRef", duplicate, doc.GetAllocator());
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> writer(out);
    doc.Accept(writer);
    std::fwrite(out.GetString(), 1, out.GetSize(), context_.out);
    std::fputc('\n', context_.out);
  }

  ReporterContext context_;
  std::unique_ptr<std::FILE, FileCloser> spool_;
  std::size_t spooled_bytes_ = 0;
  std::vector<std::string> memory_;
};

}  // namespace

std::unique_ptr<Reporter> MakeJsonlReporter(const ReporterContext& context) {
  return std::make_unique<JsonlReporter>(context);
}

}  // namespace idp::cli
