// §4 kind validation: BuiltinKindsEntityProcessor's eight kind validators and
// ScaffolderEntitiesProcessor's Template validator. Each kind's schema
// (schemas/<kind>.schema.json) decides validity through RapidJSON's
// SchemaValidator; only when it rejects do we re-run the same schema through
// AjvSchema to list every error in ajv's wording. This is the one translation
// unit that includes rapidjson/schema.h (a heavy header).
#include <memory>
#include <stdexcept>
#include <string>

// GCC's -Wnull-dereference fires inside RapidJSON's validator once inlined
// here (a false positive in the library); silence it for this file only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "model/ajv_schema.h"
#include "model/embedded_schemas.h"
#include "model/entity_ref.h"
#include "model/entity_rules.h"

namespace idp::model {

namespace {

struct KindValidator {
  std::string_view processor;
  std::vector<std::string> kinds;         // the schema's properties.kind.enum
  std::vector<std::string> api_versions;  // the schema's properties.apiVersion.enum
  std::unique_ptr<const Json> schema_json;
  std::unique_ptr<const rapidjson::SchemaDocument> schema;
  AjvSchema ajv;

  // entityKindSchemaValidator: a validator whose only failures are enum
  // mismatches on /kind or /apiVersion says "not mine" instead of throwing.
  bool Claims(std::string_view kind, std::string_view api_version) const {
    bool k = false, a = false;
    for (const auto& v : kinds) k = k || v == kind;
    for (const auto& v : api_versions) a = a || v == api_version;
    return k && a;
  }
};

std::vector<std::string> EnumOf(const JsonValue& schema, const char* property) {
  std::vector<std::string> out;
  const JsonValue* props = FindMember(schema, "properties");
  const JsonValue* prop = props ? FindMember(*props, property) : nullptr;
  const JsonValue* values = prop ? FindMember(*prop, "enum") : nullptr;
  if (values == nullptr || !values->IsArray()) throw std::logic_error("kind schema without enum");
  for (const auto& v : values->GetArray()) out.emplace_back(AsView(v));
  return out;
}

KindValidator MakeValidator(std::string_view processor, std::string_view file) {
  const std::string_view text = EmbeddedSchema(file);
  auto json = std::make_unique<Json>();
  json->Parse(text.data(), text.size());
  if (text.empty() || json->HasParseError()) throw std::logic_error("bad embedded schema " + std::string(file));
  auto kinds = EnumOf(*json, "kind");
  auto versions = EnumOf(*json, "apiVersion");
  // RapidJSON checks only `spec` (the kind's own part: kind and apiVersion
  // are matched by Claims, the spec's presence by CheckKind), so the
  // metadata is not walked a second time.
  const JsonValue* props = FindMember(*json, "properties");
  const JsonValue* spec = props ? FindMember(*props, "spec") : nullptr;
  if (spec == nullptr) throw std::logic_error("kind schema without spec");
  auto schema = std::make_unique<const rapidjson::SchemaDocument>(*spec);
  return KindValidator{processor, std::move(kinds), std::move(versions), std::move(json), std::move(schema),
                       AjvSchema(text)};
}

const std::vector<KindValidator>& Validators() {
  static const std::vector<KindValidator> validators = [] {
    constexpr std::string_view kBuiltin = "BuiltinKindsEntityProcessor";
    std::vector<KindValidator> v;
    // BuiltinKindsEntityProcessor's order, then the scaffolder module's.
    for (const char* file : {"api.v1alpha1.schema.json", "component.v1alpha1.schema.json",
                             "resource.v1alpha1.schema.json", "group.v1alpha1.schema.json",
                             "location.v1alpha1.schema.json", "user.v1alpha1.schema.json",
                             "system.v1alpha1.schema.json", "domain.v1alpha1.schema.json"}) {
      v.push_back(MakeValidator(kBuiltin, file));
    }
    v.push_back(MakeValidator("ScaffolderEntitiesProcessor", "template.v1beta3.schema.json"));
    return v;
  }();
  return validators;
}

std::string_view StringMember(const JsonValue& object, std::string_view key) {
  const JsonValue* v = object.IsObject() ? FindMember(object, key) : nullptr;
  return v && v->IsString() ? AsView(*v) : std::string_view{};
}

// stringifyEntityRef(entity) for the "not recognised" message.
std::string EntityRefText(const JsonValue& entity) {
  const JsonValue* metadata = entity.IsObject() ? FindMember(entity, "metadata") : nullptr;
  std::string_view ns;
  std::string_view name;
  if (metadata != nullptr) {
    ns = StringMember(*metadata, "namespace");
    name = StringMember(*metadata, "name");
  }
  return CanonicalRef(StringMember(entity, "kind"), ns.empty() ? kDefaultNamespace : ns, name);
}

}  // namespace

KindCheck CheckKind(const JsonValue& entity) {
  KindCheck result;
  const std::string_view kind = StringMember(entity, "kind");
  const std::string_view api_version = StringMember(entity, "apiVersion");
  const KindValidator* claimed = nullptr;
  if (entity.IsObject() && !kind.empty()) {
    for (const KindValidator& v : Validators()) {
      if (v.Claims(kind, api_version)) {
        claimed = &v;
        break;
      }
    }
  }
  if (claimed == nullptr) {
    result.status = KindStatus::kNotRecognised;
    result.problems.push_back(Problem{{std::string("kind")},
                                      "No processor recognized the entity " + EntityRefText(entity) +
                                          " as valid, possibly caused by a foreign kind or apiVersion"});
    return result;
  }
  result.processor = claimed->processor;

  // The validator's working state lives in a stack buffer: no heap
  // allocation for ordinary entities.
  char buffer[8192];
  rapidjson::MemoryPoolAllocator<> pool(buffer, sizeof buffer);
  using PooledValidator = rapidjson::GenericSchemaValidator<rapidjson::SchemaDocument,
                                                            rapidjson::BaseReaderHandler<rapidjson::UTF8<>>,
                                                            rapidjson::MemoryPoolAllocator<>>;
  PooledValidator validator(*claimed->schema, &pool);
  const JsonValue* spec = FindMember(entity, "spec");
  if (spec != nullptr && spec->Accept(validator)) {
    result.status = KindStatus::kValid;
    return result;
  }
  result.status = KindStatus::kInvalid;
  std::vector<AjvError> errors;
  claimed->ajv.Validate(entity, errors);
  for (AjvError& e : errors) result.problems.push_back(Problem{std::move(e.path), e.WithParams()});
  if (result.problems.empty()) {
    // The two validators disagree: never call such an entity valid.
    rapidjson::StringBuffer pointer;
    validator.GetInvalidDocumentPointer().StringifyUriFragment(pointer);
    result.problems.push_back(Problem{{std::string("spec")}, "/spec" + std::string(pointer.GetString() + 1) +
                                                                 " failed schema keyword " +
                                                                 validator.GetInvalidSchemaKeyword()});
  }
  return result;
}

}  // namespace idp::model

#pragma GCC diagnostic pop
