#include "location_processor.h"

#include "catalog/allowed_roots.h"
#include "catalog/read_documents.h"
#include "validate/file_reader.h"
#include "validate/location_label.h"

namespace idp::catalog {
namespace {

class FileReaderProcessor final : public Processor {
 public:
  explicit FileReaderProcessor(FileReaderOptions options) : options_(std::move(options)) {}

  std::string Name() const override { return "FileReaderProcessor"; }

  HookAnswer ReadLocation(const LocationSpec& location, bool optional, const ReadContext& context,
                          Emitter& emit) override {
    if (location.type != "file") return HookAnswer::No();
    const std::vector<std::string> matches = GlobFiles(location.target);
    if (matches.empty() && !optional) {
      emit.Error(location,
                 MakeError("NotFoundError", "file " + location.target + " does not exist"));
    }
    for (const std::string& match : matches) ReadOne(match, location, context, emit);
    return HookAnswer::Yes();
  }

 private:
  void ReadOne(const std::string& match, const LocationSpec& location, const ReadContext& context,
               Emitter& emit) const {
    const LocationSpec file{"file", NodePathNormalize(match)};
    const std::string key = file.Ref();
    if (ReportCycle(location, key, context.ancestry, emit)) return;
    if (!ContainingRoot(file.target, context.config.allowed_roots, context.config.real_dirs.get())) {
      emit.Error(location, MakeError("NotAllowedError",
                                     "file " + file.target + " is outside the allowed roots"));
      return;
    }
    if (emit.SourceUnchanged(file)) {
      emit.Refresh(key);
      return;
    }
    if (options_.before_read) options_.before_read(file.target);
    Result<std::string> text =
        ReadFileCapped(file.target, file.target, context.config.yaml_limits.max_file_bytes);
    if (!text.ok()) {
      emit.Error(location, MakeError("Error", "file " + file.target + " could not be read, Error: " +
                                                  text.status().message()));
      return;
    }
    if (!emit.SourceRead(file, text.value())) {
      emit.Refresh(key);
      return;
    }
    EmitDocuments(file, text.value(), context.config.yaml_limits, emit);
  }

  FileReaderOptions options_;
};

}  // namespace

std::unique_ptr<Processor> MakeFileReaderProcessor(FileReaderOptions options) {
  return std::make_unique<FileReaderProcessor>(std::move(options));
}

}  // namespace idp::catalog
