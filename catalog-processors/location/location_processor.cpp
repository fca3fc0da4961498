#include "location_processor.h"

#include <algorithm>

#include "catalog/allowed_roots.h"
#include "validate/backstage_errors.h"
#include "validate/file_reader.h"
#include "validate/location_label.h"
#include "yaml/yaml_stream.h"

namespace idp::catalog {
namespace {

std::string WithoutErrorPrefix(std::string text) {
  return text.starts_with("Error: ") ? text.substr(7) : text;
}

const char* JsTypeOf(const JsonValue& v) {
  if (v.IsString()) return "string";
  if (v.IsNumber()) return "number";
  if (v.IsBool()) return "boolean";
  return "object";
}

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
    if (std::find(context.ancestry.begin(), context.ancestry.end(), key) !=
        context.ancestry.end()) {
      std::string chain;
      for (const std::string& a : context.ancestry) chain += a + " -> ";
      emit.Error(location, MakeError("InputError", "Location cycle: " + key +
                                                       " is already being read (" + chain + key +
                                                       ")"));
      return;
    }
    if (!ContainingRoot(file.target, context.config.allowed_roots)) {
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
    const yaml::Stream stream = yaml::ParseStream(text.value(), context.config.yaml_limits);
    for (const yaml::Document& doc : stream.documents) {
      switch (doc.status) {
        case yaml::DocStatus::kEmpty:
          continue;
        case yaml::DocStatus::kError:
          emit.Error(file, MakeError("Error", WithoutErrorPrefix(
                                                  YamlErrorText(key, doc.error, text.value()))));
          continue;
        case yaml::DocStatus::kOk:
          break;
      }
      if (!doc.json.IsObject()) {
        emit.Error(file, MakeError("Error", std::string("Expected object at root, got ") +
                                                JsTypeOf(doc.json)));
        continue;
      }
      emit.Entity(file, doc.json);
    }
    if (stream.aborted) {
      emit.Error(file, MakeError("Error", UnreadableFileText(file.target, stream.abort_reason)));
    }
    emit.Refresh(key);
  }

  FileReaderOptions options_;
};

}  // namespace

std::unique_ptr<Processor> MakeFileReaderProcessor(FileReaderOptions options) {
  return std::make_unique<FileReaderProcessor>(std::move(options));
}

}  // namespace idp::catalog
