#include "validate/document_pipeline.h"

#include <utility>

#include "model/entity_ref.h"
#include "model/entity_rules.h"
#include "validate/backstage_errors.h"
#include "validate/location_annotations.h"
#include "validate/location_checks.h"
#include "validate/source_marks.h"

namespace idp::catalog {
namespace {

bool NonEmptyString(const JsonValue* v) {
  return v != nullptr && v->IsString() && v->GetStringLength() > 0;
}

// The oracle's kind / name / ref columns, from the document as written.
void FillIdentity(const JsonValue& raw, DocumentVerdict& verdict) {
  if (!raw.IsObject()) return;
  const JsonValue* kind = FindMember(raw, "kind");
  const JsonValue* metadata = FindMember(raw, "metadata");
  if (kind != nullptr && kind->IsString()) verdict.kind = std::string(AsView(*kind));
  if (metadata == nullptr || !metadata->IsObject()) return;
  const JsonValue* name = FindMember(*metadata, "name");
  if (name != nullptr && name->IsString()) verdict.name = std::string(AsView(*name));
  if (!NonEmptyString(kind) || !NonEmptyString(name)) return;
  const JsonValue* ns = FindMember(*metadata, "namespace");
  verdict.ref = model::CanonicalRef(
      AsView(*kind), NonEmptyString(ns) ? AsView(*ns) : model::kDefaultNamespace, AsView(*name));
}

const char* JsTypeOf(const JsonValue& v) {
  if (v.IsString()) return "string";
  if (v.IsNumber()) return "number";
  if (v.IsBool()) return "boolean";
  return "object";  // arrays (and null, which never gets here)
}

// Turns a step's problems into diagnostics positioned in the source.
class Collector {
 public:
  Collector(const yaml::Document& doc, DocumentVerdict& verdict) : doc_(doc), verdict_(verdict) {}

  void Add(Stage stage, std::vector<model::Problem> problems, const JsonValue* processed) {
    for (model::Problem& p : problems) {
      Diagnostic d;
      d.path = model::FormatPath(p.path);
      d.mark = MarkForPath(doc_.json, doc_.marks, processed, p.path, doc_.start);
      d.message = std::move(p.message);
      d.stage = stage;
      verdict_.errors.push_back(std::move(d));
    }
  }

 private:
  const yaml::Document& doc_;
  DocumentVerdict& verdict_;
};

// Backstage stops at the first failing step and wraps its (first) error;
// Location problems are collected instead, and post-processing still runs.
std::string BackstageError(const DocumentVerdict& v, const model::KindCheck& kind_check) {
  const std::string_view ref = v.ref ? std::string_view(*v.ref) : std::string_view();
  const Diagnostic& first = v.errors.front();
  switch (first.stage) {
    case Stage::kPreprocess:
      return PreprocessErrorText(first.message);
    case Stage::kPolicy:
      return PolicyErrorText(ref, first.message);
    case Stage::kKind: {
      if (kind_check.status == model::KindStatus::kNotRecognised) return KindNotRecognisedText(ref);
      const std::string_view processor = kind_check.processor.empty()
                                             ? std::string_view("BuiltinKindsEntityProcessor")
                                             : kind_check.processor;
      return KindInvalidText(processor, ref, first.message);
    }
    case Stage::kLocation: {
      std::string text;
      bool post_done = false;
      for (const Diagnostic& d : v.errors) {
        if (d.stage == Stage::kLocation) {
          if (!text.empty()) text += "; ";
          text += LocationErrorText(d.message);
        } else if (d.stage == Stage::kPostprocess && !post_done) {
          text += "; " + PostprocessErrorText(d.message);
          post_done = true;
        }
      }
      return text;
    }
    case Stage::kPostprocess:
      return PostprocessErrorText(first.message);
    default:
      return first.message;
  }
}

}  // namespace

DocumentVerdict ValidateDocument(const yaml::Document& doc, const FileContext& file) {
  DocumentVerdict v;
  v.index = doc.index;
  v.start = doc.start;
  switch (doc.status) {
    case yaml::DocStatus::kEmpty:
      v.stage = Stage::kIgnored;
      return v;
    case yaml::DocStatus::kError:
      v.stage = Stage::kYaml;
      v.file_fatal = true;
      v.error = YamlErrorText(file.location.ref, doc.error, file.text);
      v.errors.push_back({"", std::string(WithoutPosition(doc.error)),
                          doc.error_mark.known() ? doc.error_mark : doc.start, Stage::kYaml});
      return v;
    case yaml::DocStatus::kOk:
      break;
  }

  const JsonValue& raw = doc.json;
  FillIdentity(raw, v);
  Collector collector(doc, v);
  if (!raw.IsObject()) {
    v.stage = Stage::kRootNotObject;
    v.file_fatal = true;
    v.error = RootNotObjectText(JsTypeOf(raw));
    v.errors.push_back({"", "Expected object at root, got " + std::string(JsTypeOf(raw)),
                        doc.marks.Get(&raw).known() ? doc.marks.Get(&raw) : doc.start,
                        Stage::kRootNotObject});
    return v;
  }
  if (std::vector<model::Problem> envelope = model::CheckEnvelope(raw); !envelope.empty()) {
    v.stage = Stage::kEnvelope;
    v.file_fatal = true;
    v.error = EnvelopeErrorText(envelope.front().message);
    collector.Add(Stage::kEnvelope, std::move(envelope), nullptr);
    return v;
  }

  // Processing works on a copy: the parsed tree keeps the source positions.
  Json entity;
  entity.CopyFrom(raw, entity.GetAllocator());
  JsonAllocator& allocator = entity.GetAllocator();
  StampLocationAnnotations(entity, file.location.ref, allocator);
  // Pre-processors in CatalogBuilder's order: placeholders, then the built-in
  // kinds' array sorting, location annotations; the default namespace is the
  // second policy but never affects the first (schema) one.
  collector.Add(Stage::kPreprocess, ResolvePlaceholders(entity, allocator, file.placeholders),
                &entity);
  AnnotateLocation(entity);
  model::PrepareEntity(entity, allocator);
  collector.Add(Stage::kPolicy, model::CheckPolicies(entity), &entity);
  model::KindCheck kind_check = model::CheckKind(entity);
  if (kind_check.status != model::KindStatus::kValid && kind_check.problems.empty()) {
    kind_check.problems.push_back({{}, "kind " + v.kind.value_or("") + " is not valid"});
  }
  collector.Add(Stage::kKind, std::move(kind_check.problems), &entity);
  collector.Add(Stage::kLocation,
                CheckLocationEntity(entity, {file.location.type, file.location.target}), &entity);
  model::RelationsResult relations = model::EmitRelations(entity);
  collector.Add(Stage::kPostprocess, std::move(relations.problems), &entity);

  if (v.errors.empty()) {
    v.valid = true;
    v.relations = std::move(relations.relations);
    if (file.keep_entity) v.entity = std::move(entity);
    return v;
  }
  v.stage = v.errors.front().stage;
  v.error = BackstageError(v, kind_check);
  return v;
}

DocumentVerdict UnreadableDocument(const JsonValue* raw, std::size_t index, Mark start,
                                   const FileContext& file, std::string_view reason, Mark mark) {
  DocumentVerdict v;
  v.index = index;
  v.start = start;
  if (raw != nullptr) FillIdentity(*raw, v);
  v.stage = Stage::kYaml;
  v.file_fatal = true;
  v.error = UnreadableFileText(file.location.target, reason);
  v.errors.push_back({"", "file could not be read, " + std::string(WithoutPosition(reason)),
                      mark.known() ? mark : v.start, Stage::kYaml});
  return v;
}

}  // namespace idp::catalog
