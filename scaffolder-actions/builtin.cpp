#include "builtin.h"

#include "debug/debug_actions.h"
#include "fetch/fetch_actions.h"
#include "fs/fs_actions.h"

namespace idp::scaffolder::actions {

Status RegisterBuiltinActions(ActionRegistry& registry) {
  if (Status s = RegisterFetchActions(registry); !s.ok()) return s;
  if (Status s = RegisterFsActions(registry); !s.ok()) return s;
  return RegisterDebugActions(registry);
}

Status RegisterAllActions(ActionRegistry& registry, BuiltinOptions options) {
  if (Status s = RegisterBuiltinActions(registry); !s.ok()) return s;
  if (Status s = RegisterPublishActions(registry, std::move(options.publish)); !s.ok()) return s;
  if (!options.on_catalog_change) {
    return RegisterCatalogActions(registry, options.catalog, std::move(options.check_location));
  }
  // The catalog family as it is, but catalog:register tells the host once it
  // has changed the catalog (even when it then failed half way).
  ActionRegistry family;
  if (Status s = RegisterCatalogActions(family, options.catalog, std::move(options.check_location)); !s.ok()) return s;
  for (const char* id : {"catalog:fetch", "catalog:register", "catalog:write"}) {
    ActionSpec spec = family.Find(id)->spec();
    if (spec.id == "catalog:register") {
      spec.handler = [inner = std::move(spec.handler), notify = options.on_catalog_change](ActionContext& ctx) {
        Status s = inner(ctx);
        notify();
        return s;
      };
    }
    if (Status s = registry.Register(std::move(spec)); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace idp::scaffolder::actions
