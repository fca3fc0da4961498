// Entity references: `[<kind>:][<namespace>/]<name>` (spec/catalog.md §5).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace idp::model {

inline constexpr std::string_view kDefaultNamespace = "default";

struct EntityName {
  std::string kind;
  std::string ns;
  std::string name;
};

struct RefContext {
  std::optional<std::string_view> default_kind;
  std::optional<std::string_view> default_namespace;  // absent: "default"
};

// Backstage's parseEntityRef, with its exact error messages (kInvalidArgument).
Result<EntityName> ParseEntityRef(std::string_view ref, const RefContext& context = {});
// `kind:namespace/name`, each part lower-cased as JavaScript's toLowerCase does.
std::string CanonicalRef(const EntityName& name);
std::string CanonicalRef(std::string_view kind, std::string_view ns, std::string_view name);
// JavaScript's String.prototype.toLowerCase on UTF-8 text (locale-independent).
std::string JsToLower(std::string_view utf8);

// The JavaScript error class Backstage throws for a failed ParseEntityRef:
// "TypeError" for a string not on the form [<kind>:][<namespace>/]<name>,
// "Error" otherwise (messages quote it: "caused by TypeError: ...").
std::string_view RefErrorClass(const Status& status);

}  // namespace idp::model
