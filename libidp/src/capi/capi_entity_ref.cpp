// The C ABI of entity references: the idp_entity_ref handle, parsing,
// stringifying and canonicalising with Backstage's rules (model/entity_ref.h).
#include <optional>
#include <string>
#include <string_view>

#include "capi/capi_util.h"
#include "idp/idp.h"
#include "model/entity_ref.h"

// The opaque handle of idp.h: immutable once built.
struct idp_entity_ref {
  std::string kind;
  std::string ns;
  std::string name;
};

namespace idp::capi {
namespace {

std::optional<std::string_view> Optional(const char* s) {
  if (s == nullptr) return std::nullopt;
  return std::string_view(s);
}

// Backstage's parseEntityRef over C strings; parse errors become kParse.
Result<model::EntityName> Parse(const char* ref, const char* default_kind,
                                const char* default_namespace) {
  if (ref == nullptr) return Status(Code::kInvalidArgument, "ref must not be NULL");
  model::RefContext context;
  context.default_kind = Optional(default_kind);
  // As Backstage's `defaultNamespace || "default"`: "" means the default too.
  if (default_namespace != nullptr && *default_namespace != '\0') {
    context.default_namespace = std::string_view(default_namespace);
  }
  Result<model::EntityName> parsed = model::ParseEntityRef(ref, context);
  if (!parsed.ok() && parsed.status().code() == Code::kInvalidArgument) {
    return Status(Code::kParse, parsed.status().message());
  }
  return parsed;
}

// Stores s as a new malloc'ed string in *out.
int Return(char** out, std::string_view s) {
  char* copy = CopyOut(s);
  if (copy == nullptr) {
    SetLastError("out of memory");
    return IDP_ENOMEM;
  }
  *out = copy;
  return IDP_OK;
}

}  // namespace
}  // namespace idp::capi

extern "C" {

IDP_API int idp_entity_ref_parse(idp_entity_ref** out, const char* ref, const char* default_kind,
                                 const char* default_namespace) {
  return idp::capi::Guard([&]() -> int {
    namespace capi = idp::capi;
    if (out == nullptr) return capi::Fail({idp::Code::kInvalidArgument, "out must not be NULL"});
    *out = nullptr;
    auto parsed = capi::Parse(ref, default_kind, default_namespace);
    if (!parsed.ok()) return capi::Fail(parsed.status());
    *out = new idp_entity_ref{std::move(parsed->kind), std::move(parsed->ns),
                              std::move(parsed->name)};
    return IDP_OK;
  });
}

IDP_API const char* idp_entity_ref_kind(const idp_entity_ref* ref) {
  return ref != nullptr ? ref->kind.c_str() : nullptr;
}

IDP_API const char* idp_entity_ref_namespace(const idp_entity_ref* ref) {
  return ref != nullptr ? ref->ns.c_str() : nullptr;
}

IDP_API const char* idp_entity_ref_name(const idp_entity_ref* ref) {
  return ref != nullptr ? ref->name.c_str() : nullptr;
}

IDP_API void idp_entity_ref_free(idp_entity_ref* ref) { delete ref; }

IDP_API int idp_entity_ref_stringify(char** out, const char* kind, const char* namespace_,
                                     const char* name) {
  return idp::capi::Guard([&]() -> int {
    using idp::Code;
    namespace capi = idp::capi;
    if (out == nullptr) return capi::Fail({Code::kInvalidArgument, "out must not be NULL"});
    *out = nullptr;
    if (kind == nullptr || *kind == '\0') {
      return capi::Fail({Code::kInvalidArgument, "kind must not be NULL or empty"});
    }
    if (name == nullptr || *name == '\0') {
      return capi::Fail({Code::kInvalidArgument, "name must not be NULL or empty"});
    }
    std::string_view ns = namespace_ != nullptr && *namespace_ != '\0'
                              ? std::string_view(namespace_)
                              : idp::model::kDefaultNamespace;
    return capi::Return(out, idp::model::CanonicalRef(kind, ns, name));
  });
}

IDP_API int idp_entity_ref_canonicalize(char** out, const char* ref, const char* default_kind,
                                        const char* default_namespace) {
  return idp::capi::Guard([&]() -> int {
    namespace capi = idp::capi;
    if (out == nullptr) return capi::Fail({idp::Code::kInvalidArgument, "out must not be NULL"});
    *out = nullptr;
    auto parsed = capi::Parse(ref, default_kind, default_namespace);
    if (!parsed.ok()) return capi::Fail(parsed.status());
    return capi::Return(out, idp::model::CanonicalRef(*parsed));
  });
}

}  // extern "C"
