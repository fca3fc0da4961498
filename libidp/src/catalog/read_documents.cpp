#include "catalog/read_documents.h"

#include <algorithm>
#include <string>

#include "validate/backstage_errors.h"

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

}  // namespace

bool ReportCycle(const LocationSpec& location, const std::string& key, std::span<const std::string> ancestry,
                 Emitter& emit) {
  if (std::find(ancestry.begin(), ancestry.end(), key) == ancestry.end()) return false;
  std::string chain;
  for (const std::string& a : ancestry) chain += a + " -> ";
  emit.Error(location, MakeError("InputError", "Location cycle: " + key + " is already being read (" + chain + key + ")"));
  return true;
}

void EmitDocuments(const LocationSpec& source, std::string_view text, const yaml::Limits& limits, Emitter& emit) {
  const std::string key = source.Ref();
  const yaml::Stream stream = yaml::ParseStream(text, limits);
  for (const yaml::Document& doc : stream.documents) {
    switch (doc.status) {
      case yaml::DocStatus::kEmpty:
        continue;
      case yaml::DocStatus::kError:
        emit.Error(source, MakeError("Error", WithoutErrorPrefix(YamlErrorText(key, doc.error, text))));
        continue;
      case yaml::DocStatus::kOk:
        break;
    }
    if (!doc.json.IsObject()) {
      emit.Error(source, MakeError("Error", std::string("Expected object at root, got ") + JsTypeOf(doc.json)));
      continue;
    }
    emit.Entity(source, doc.json);
  }
  if (stream.aborted) {
    emit.Error(source, MakeError("Error", UnreadableFileText(source.target, stream.abort_reason)));
  }
  emit.Refresh(key);
}

}  // namespace idp::catalog
