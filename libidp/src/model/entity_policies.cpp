// §3.1 envelope and §3.2-3.4 default policies: SchemaValidEntityPolicy,
// NoForeignRootFieldsEntityPolicy, FieldFormatEntityPolicy (catalog-model
// dist/entity/policies), plus the collector's annotations-object rule.
#include <string>
#include "core/json.h"

#include "model/ajv_schema.h"
#include "model/embedded_schemas.h"
#include "model/entity_rules.h"
#include "model/field_formats.h"
#include "model/js_object.h"
#include "model/js_string.h"
#include "model/url_check.h"

namespace idp::model {

namespace {

const AjvSchema& EnvelopeSchema() {
  static const AjvSchema schema(EmbeddedSchema("envelope.schema.json"));
  return schema;
}

const AjvSchema& EntitySchema() {
  static const AjvSchema schema(EmbeddedSchema("entity.schema.json"));
  return schema;
}


// FieldFormatEntityPolicy's expectation texts, by validator.
constexpr std::string_view kExpectName =
    "a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total";
constexpr std::string_view kExpectPrefixSuffix = "a valid prefix and/or suffix";
constexpr std::string_view kExpectNamespace =
    "a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total";
constexpr std::string_view kExpectTag =
    "a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total";
constexpr std::string_view kExpectKind =
    "a string that is a sequence of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total";
constexpr std::string_view kExpectUrl = "a string that is a valid url";
constexpr std::string_view kExpectNonEmpty = "a non empty string";

std::string FormatMessage(std::string_view field, std::string_view expectation, std::string_view value) {
  std::string m;
  m.reserve(field.size() + expectation.size() + value.size() + 200);
  m += '"';
  m += field;
  m += "\" is not valid; expected ";
  m += expectation;
  m += " but found \"";
  m += value;
  m += "\". To learn more about catalog file format, visit: "
       "https://github.com/backstage/backstage/blob/master/docs/architecture-decisions/"
       "adr002-default-catalog-file-format.md";
  return m;
}

// require(field, value, validator). The field name and path are built by
// callables, only for a failing value: the valid path does not allocate.
class FormatChecker {
 public:
  explicit FormatChecker(std::vector<Problem>& out) : out_(out) {}

  template <typename Valid, typename Path, typename FieldName>
  void Check(std::string_view value, Valid valid, std::string_view expectation, Path path, FieldName field) {
    if (valid(value)) return;
    out_.push_back(Problem{path(), FormatMessage(field(), expectation, value)});
  }

  // For a value the schema already typed as a non-empty string; other values
  // are the schema's problem.
  template <typename Valid, typename Path, typename FieldName>
  void Require(const JsonValue* value, Valid valid, std::string_view expectation, Path path, FieldName field) {
    if (value == nullptr || !value->IsString() || value->GetStringLength() == 0) return;
    Check(AsView(*value), valid, expectation, path, field);
  }

 private:
  std::vector<Problem>& out_;
};

template <typename... Segments>
auto PathOf(Segments... segments) {
  return [=] { return JsonPath{PathSegment(segments)...}; };
}
auto Name(std::string_view name) {
  return [=] { return std::string(name); };
}

void CheckFieldFormats(const JsonValue& entity, std::vector<Problem>& out) {
  FormatChecker check(out);
  check.Require(FindMember(entity, "apiVersion"), formats::IsValidApiVersion, kExpectPrefixSuffix,
                PathOf(std::string("apiVersion")), Name("apiVersion"));
  check.Require(FindMember(entity, "kind"), formats::IsValidKind, kExpectKind, PathOf(std::string("kind")),
                Name("kind"));
  const JsonValue* metadata = FindMember(entity, "metadata");
  if (metadata == nullptr || !metadata->IsObject()) return;
  const std::string kMetadata = "metadata";
  check.Require(FindMember(*metadata, "name"), formats::IsValidObjectName, kExpectName,
                PathOf(kMetadata, std::string("name")), Name("metadata.name"));
  check.Require(FindMember(*metadata, "namespace"), formats::IsValidDnsLabel, kExpectNamespace,
                PathOf(kMetadata, std::string("namespace")), Name("metadata.namespace"));

  for (std::string_view map : {std::string_view("labels"), std::string_view("annotations")}) {
    const JsonValue* object = FindMember(*metadata, map);
    if (object == nullptr || !object->IsObject()) continue;
    const bool labels = map == "labels";
    ForEachMemberJsOrder(*object, [&](std::string_view key, const JsonValue& value) {
      const auto path = [&] { return JsonPath{kMetadata, std::string(map), std::string(key)}; };
      const auto field = [&] { return std::string(map) + "." + std::string(key); };
      check.Check(key, formats::IsValidLabelKey, kExpectPrefixSuffix, path, field);
      // Annotation values only need to be strings (the schema's rule).
      if (labels && value.IsString()) check.Check(AsView(value), formats::IsValidLabelValue, kExpectName, path, field);
    });
  }

  if (const JsonValue* tags = FindMember(*metadata, "tags"); tags && tags->IsArray()) {
    for (rapidjson::SizeType i = 0; i < tags->Size(); ++i) {
      check.Require(&(*tags)[i], formats::IsValidTag, kExpectTag,
                    PathOf(kMetadata, std::string("tags"), std::size_t{i}),
                    [i] { return "tags." + std::to_string(i); });
    }
  }

  if (const JsonValue* links = FindMember(*metadata, "links"); links && links->IsArray()) {
    for (rapidjson::SizeType i = 0; i < links->Size(); ++i) {
      const JsonValue& link = (*links)[i];
      if (!link.IsObject()) continue;
      for (const char* key : {"url", "title", "icon"}) {
        const auto path = PathOf(kMetadata, std::string("links"), std::size_t{i}, std::string(key));
        const auto field = [i, key] { return "links." + std::to_string(i) + "." + key; };
        if (key[0] == 'u') {
          check.Require(FindMember(link, key), IsWhatwgAbsoluteUrl, kExpectUrl, path, field);
        } else {
          check.Require(FindMember(link, key), HasNonWhitespace, kExpectNonEmpty, path, field);
        }
      }
    }
  }
}

}  // namespace

std::vector<Problem> CheckEnvelope(const JsonValue& entity) {
  std::vector<Problem> problems;
  std::vector<AjvError> errors;
  if (!EnvelopeSchema().Validate(entity, errors)) {
    for (AjvError& e : errors) problems.push_back(Problem{std::move(e.path), e.WithParams()});
  }
  // ProcessorOutputCollector: a truthy metadata.annotations must be a map.
  if (const JsonValue* metadata = FindMember(entity, "metadata"); metadata && metadata->IsObject()) {
    if (const JsonValue* annotations = FindMember(*metadata, "annotations");
        annotations && JsTruthy(*annotations) && !annotations->IsObject()) {
      problems.push_back(Problem{{std::string("metadata"), std::string("annotations")},
                                 "metadata.annotations must be a valid object"});
    }
  }
  return problems;
}

std::vector<Problem> CheckPolicies(const JsonValue& entity) {
  std::vector<Problem> problems;
  std::vector<AjvError> errors;
  if (!EntitySchema().Validate(entity, errors)) {
    for (AjvError& e : errors) {
      problems.push_back(Problem{std::move(e.path), "Malformed envelope, " + e.WithoutParams()});
    }
  }
  if (!entity.IsObject()) return problems;

  ForEachMemberJsOrder(entity, [&](std::string_view key, const JsonValue&) {
    if (key != "apiVersion" && key != "kind" && key != "metadata" && key != "spec") {
      problems.push_back(Problem{{std::string(key)}, "Unknown field " + std::string(key)});
    }
  });

  CheckFieldFormats(entity, problems);
  return problems;
}

}  // namespace idp::model
