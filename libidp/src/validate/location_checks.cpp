#include "validate/location_checks.h"
#include "core/json.h"

#include <string>

namespace idp::catalog {
namespace {

// CatalogBuilder's default `allowedLocationTypes`.
constexpr std::string_view kAllowedTypes[] = {"url"};
constexpr std::string_view kAllowedTypesJson = R"(["url"])";

bool IsAllowedType(std::string_view type) {
  for (std::string_view allowed : kAllowedTypes) {
    if (type == allowed) return true;
  }
  return false;
}


}  // namespace

std::vector<model::Problem> CheckLocationEntity(const JsonValue& entity, const OwnLocation& own) {
  std::vector<model::Problem> problems;
  const JsonValue* kind = FindMember(entity, "kind");
  if (kind == nullptr || !kind->IsString() || AsView(*kind) != "Location") return problems;
  const JsonValue* spec = FindMember(entity, "spec");
  if (spec == nullptr || !spec->IsObject()) return problems;  // the kind schema reports it

  // `const { type = context.location.type } = entity.spec`: only an absent
  // type defaults; a null or non-string one is simply not allowed.
  const JsonValue* type_value = FindMember(*spec, "type");
  const bool own_type =
      type_value == nullptr || (type_value->IsString() && AsView(*type_value) == own.type);
  const bool allowed = own_type || (type_value->IsString() && IsAllowedType(AsView(*type_value)));
  if (!allowed) {
    problems.push_back(
        {{std::string("spec"), std::string("type")},
         "Registered locations must be of an allowed type " + std::string(kAllowedTypesJson)});
    return problems;  // Backstage reads nothing then
  }
  const std::string_view type = type_value == nullptr ? own.type : AsView(*type_value);
  if (type != "file") return problems;

  const auto check = [&](const JsonValue& target, model::JsonPath path) {
    if (!target.IsString()) return;  // the kind schema reports it
    const std::string_view t = AsView(target);
    if (!t.empty() && t.back() == '/') {
      // Backstage quotes the containing file here, not the target.
      problems.push_back({std::move(path),
                          "LocationEntityProcessor cannot handle file type location with target " +
                              std::string(own.target) + " that ends with a path separator"});
    }
  };
  if (const JsonValue* target = FindMember(*spec, "target"); target != nullptr && JsTruthy(*target)) {
    check(*target, {std::string("spec"), std::string("target")});
  }
  if (const JsonValue* targets = FindMember(*spec, "targets");
      targets != nullptr && targets->IsArray()) {
    for (rapidjson::SizeType i = 0; i < targets->Size(); ++i) {
      check((*targets)[i], {std::string("spec"), std::string("targets"), std::size_t{i}});
    }
  }
  return problems;
}

}  // namespace idp::catalog
