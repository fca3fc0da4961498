// parseEntityRef / stringifyEntityRef from @backstage/catalog-model
// (dist/entity/ref.cjs.js), message for message.
#include "model/entity_ref.h"

#include <algorithm>

#include "model/js_string.h"

namespace idp::model {

namespace {

constexpr std::string_view kNotOnTheForm = " was not on the form [<kind>:][<namespace>/]<name>";

Status RefError(std::string message) { return {Code::kInvalidArgument, std::move(message)}; }

}  // namespace

Result<EntityName> ParseEntityRef(std::string_view ref, const RefContext& context) {
  if (ref.empty()) return RefError("Entity reference must not be empty");

  // parseRefString: a '/' before the first ':' means the colon is in the name.
  std::size_t colon = ref.find(':');
  const std::size_t slash = ref.find('/');
  if (slash != std::string_view::npos && slash < colon) colon = std::string_view::npos;

  std::optional<std::string_view> kind;
  std::optional<std::string_view> ns;
  if (colon != std::string_view::npos) kind = ref.substr(0, colon);
  const std::size_t ns_start = colon == std::string_view::npos ? 0 : colon + 1;
  if (slash != std::string_view::npos) {
    // ref.slice(colon + 1, slash): empty when slash precedes the start.
    ns = slash >= ns_start ? ref.substr(ns_start, slash - ns_start) : std::string_view{};
  }
  const std::size_t name_start = std::max(ns_start, slash == std::string_view::npos ? 0 : slash + 1);
  const std::string_view name = ref.substr(name_start);
  if ((kind && kind->empty()) || (ns && ns->empty()) || name.empty()) {
    return RefError("Entity reference \"" + std::string(ref) + "\"" + std::string(kNotOnTheForm));
  }

  if (!kind) kind = context.default_kind;
  if (!ns) {
    ns = context.default_namespace && !context.default_namespace->empty()
             ? *context.default_namespace
             : kDefaultNamespace;
  }
  if (!kind || kind->empty()) {
    return RefError("Entity reference " + JsonQuote(ref) +
                    " had missing or empty kind (e.g. did not start with \"component:\" or similar)");
  }
  return EntityName{std::string(*kind), std::string(*ns), std::string(name)};
}

std::string_view RefErrorClass(const Status& status) {
  const std::string& m = status.message();
  const bool type_error =
      m.size() >= kNotOnTheForm.size() &&
      std::string_view(m).substr(m.size() - kNotOnTheForm.size()) == kNotOnTheForm;
  return type_error ? "TypeError" : "Error";
}

std::string CanonicalRef(const EntityName& name) {
  return CanonicalRef(name.kind, name.ns, name.name);
}

namespace {

// Appends JsToLower(part) without a temporary for ASCII text (the usual case).
void AppendLower(std::string& out, std::string_view part) {
  const std::size_t start = out.size();
  out += part;
  for (std::size_t i = 0; i < part.size(); ++i) {
    char& c = out[start + i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      // Final sigma looks back: lower-case the whole part, drop the done prefix.
      out.resize(start + i);
      out += std::string_view(JsToLower(part)).substr(i);
      return;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
}

}  // namespace

std::string CanonicalRef(std::string_view kind, std::string_view ns, std::string_view name) {
  std::string out;
  out.reserve(kind.size() + ns.size() + name.size() + 2);
  AppendLower(out, kind);
  out.push_back(':');
  AppendLower(out, ns);
  out.push_back('/');
  AppendLower(out, name);
  return out;
}

}  // namespace idp::model
