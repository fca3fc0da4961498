// §7.1 relations: BuiltinKindsEntityProcessor.postProcessEntity and
// ScaffolderEntitiesProcessor.postProcessEntity.
#include <algorithm>
#include "core/json.h"
#include <optional>
#include <string>

#include "model/entity_ref.h"
#include "model/entity_rules.h"
#include "model/js_string.h"

namespace idp::model {

namespace {

constexpr std::string_view kBuiltin = "BuiltinKindsEntityProcessor";
constexpr std::string_view kScaffolder = "ScaffolderEntitiesProcessor";


struct Field {
  const char* name;
  std::optional<std::string_view> default_kind;  // none: the ref must name its kind
  const char* forward;
  const char* inverse;
};

class Emitter {
 public:
  Emitter(std::string self, std::string_view self_ns, RelationsResult& out)
      : self_(std::move(self)), self_ns_(self_ns), out_(out) {}

  // doEmit(targets, context, outgoing, incoming): `[targets].flat()`.
  void Emit(std::string_view processor, const JsonValue& spec, const Field& f, bool flatten = true) {
    const JsonValue* targets = FindMember(spec, f.name);
    if (targets == nullptr || !JsTruthy(*targets)) return;
    if (flatten && targets->IsArray()) {
      for (rapidjson::SizeType i = 0; i < targets->Size(); ++i) One(processor, (*targets)[i], f, std::size_t{i});
    } else {
      One(processor, *targets, f, std::nullopt);
    }
  }

 private:
  void One(std::string_view processor, const JsonValue& target, const Field& f, std::optional<std::size_t> index) {
    RefContext context{f.default_kind, self_ns_};
    Result<EntityName> ref = Parse(target, context);
    if (!ref.ok()) {
      JsonPath path{std::string("spec"), std::string(f.name)};
      if (index) path.emplace_back(*index);
      out_.problems.push_back(Problem{std::move(path), "Processor " + std::string(processor) +
                                                " threw an error while postprocessing; caused by " +
                                                std::string(RefErrorClass(ref.status())) + ": " +
                                                ref.status().message()});
      return;
    }
    std::string target_ref = CanonicalRef(*ref);
    out_.relations.push_back(Relation{self_, f.forward, target_ref});
    out_.relations.push_back(Relation{std::move(target_ref), f.inverse, self_});
  }

  // parseEntityRef for any JSON value: strings as refs, other truthy values
  // as compound refs {kind?, namespace?, name} (non-string fields count as
  // missing).
  static Result<EntityName> Parse(const JsonValue& target, const RefContext& context) {
    if (!JsTruthy(target)) return Status(Code::kInvalidArgument, "Entity reference must not be empty");
    if (target.IsString()) return ParseEntityRef(AsView(target), context);
    const auto field = [&](const char* key) -> std::optional<std::string_view> {
      const JsonValue* v = target.IsObject() ? FindMember(target, key) : nullptr;
      if (v == nullptr || v->IsNull()) return std::nullopt;
      return v->IsString() ? AsView(*v) : std::string_view{};
    };
    const std::string text = ToJsonString(target);
    const auto kind = field("kind") ? field("kind") : context.default_kind;
    const auto ns = field("namespace") ? field("namespace") : context.default_namespace;
    const auto name = field("name");
    if (!kind || kind->empty()) {
      return Status(Code::kInvalidArgument,
                    "Entity reference " + text +
                        " had missing or empty kind (e.g. did not start with \"component:\" or similar)");
    }
    if (!ns || ns->empty()) {
      return Status(Code::kInvalidArgument, "Entity reference " + text + " had missing or empty namespace");
    }
    if (!name || name->empty()) {
      return Status(Code::kInvalidArgument, "Entity reference " + text + " had missing or empty name");
    }
    return EntityName{std::string(*kind), std::string(*ns), std::string(*name)};
  }

  std::string self_;
  std::string_view self_ns_;
  RelationsResult& out_;
};

constexpr std::string_view kGroup = "Group";
const Field kOwner{"owner", kGroup, "ownedBy", "ownerOf"};
const Field kSystem{"system", std::string_view("System"), "partOf", "hasPart"};
const Field kDependsOn{"dependsOn", std::nullopt, "dependsOn", "dependencyOf"};
const Field kDependencyOf{"dependencyOf", std::nullopt, "dependencyOf", "dependsOn"};

}  // namespace

RelationsResult EmitRelations(const JsonValue& entity) {
  RelationsResult out;
  out.relations.reserve(16);  // a typical entity emits fewer: no regrowth
  if (!entity.IsObject()) return out;
  const JsonValue* kind_value = FindMember(entity, "kind");
  const JsonValue* metadata = FindMember(entity, "metadata");
  const JsonValue* spec = FindMember(entity, "spec");
  if (!kind_value || !kind_value->IsString() || !metadata || !metadata->IsObject() || !spec || !spec->IsObject()) {
    return out;
  }
  const std::string_view kind = AsView(*kind_value);
  // getCompoundEntityRef: namespace || "default".
  const JsonValue* ns_value = FindMember(*metadata, "namespace");
  const std::string_view ns =
      ns_value && ns_value->IsString() && ns_value->GetStringLength() > 0 ? AsView(*ns_value) : kDefaultNamespace;
  const JsonValue* name_value = FindMember(*metadata, "name");
  const std::string_view name = name_value && name_value->IsString() ? AsView(*name_value) : std::string_view{};

  Emitter e(CanonicalRef(kind, ns, name), ns, out);
  if (kind == "Component") {
    e.Emit(kBuiltin, *spec, kOwner);
    e.Emit(kBuiltin, *spec, {"subcomponentOf", std::string_view("Component"), "partOf", "hasPart"});
    e.Emit(kBuiltin, *spec, {"providesApis", std::string_view("API"), "providesApi", "apiProvidedBy"});
    e.Emit(kBuiltin, *spec, {"consumesApis", std::string_view("API"), "consumesApi", "apiConsumedBy"});
    e.Emit(kBuiltin, *spec, kDependsOn);
    e.Emit(kBuiltin, *spec, kDependencyOf);
    e.Emit(kBuiltin, *spec, kSystem);
  } else if (kind == "API") {
    e.Emit(kBuiltin, *spec, kOwner);
    e.Emit(kBuiltin, *spec, kSystem);
  } else if (kind == "Resource") {
    e.Emit(kBuiltin, *spec, kOwner);
    e.Emit(kBuiltin, *spec, kDependsOn);
    e.Emit(kBuiltin, *spec, kDependencyOf);
    e.Emit(kBuiltin, *spec, kSystem);
  } else if (kind == "User") {
    e.Emit(kBuiltin, *spec, {"memberOf", kGroup, "memberOf", "hasMember"});
  } else if (kind == "Group") {
    e.Emit(kBuiltin, *spec, {"parent", kGroup, "childOf", "parentOf"});
    e.Emit(kBuiltin, *spec, {"children", kGroup, "parentOf", "childOf"});
    e.Emit(kBuiltin, *spec, {"members", std::string_view("User"), "hasMember", "memberOf"});
  } else if (kind == "System") {
    e.Emit(kBuiltin, *spec, kOwner);
    e.Emit(kBuiltin, *spec, {"domain", std::string_view("Domain"), "partOf", "hasPart"});
  } else if (kind == "Domain") {
    e.Emit(kBuiltin, *spec, kOwner);
    e.Emit(kBuiltin, *spec, {"subdomainOf", std::string_view("Domain"), "partOf", "hasPart"});
  }
  const JsonValue* api_version = FindMember(entity, "apiVersion");
  if (kind == "Template" && api_version && api_version->IsString() &&
      AsView(*api_version) == "scaffolder.backstage.io/v1beta3") {
    e.Emit(kScaffolder, *spec, kOwner, /*flatten=*/false);
  }

  if (!out.problems.empty()) {
    out.relations.clear();
    return out;
  }
  auto& rels = out.relations;
  std::sort(rels.begin(), rels.end(), [](const Relation& a, const Relation& b) {
    if (int c = CompareUtf16(a.source, b.source)) return c < 0;
    if (int c = CompareUtf16(a.type, b.type)) return c < 0;
    return CompareUtf16(a.target, b.target) < 0;
  });
  rels.erase(std::unique(rels.begin(), rels.end()), rels.end());
  return out;
}

}  // namespace idp::model
