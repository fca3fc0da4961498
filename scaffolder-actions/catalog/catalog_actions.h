// catalog:fetch, catalog:register and catalog:write (Backstage's catalog
// module, scaffolder-backend 4.0.2). fetch and register use the engine's own
// Catalog, handed in at registration (the CLI's --db, a server's catalog);
// without one they fail saying so. catalog:write needs no catalog.
#pragma once

#include "scaffolder/registry.h"

namespace idp::catalog {
class Catalog;
}

namespace idp::scaffolder::actions {

// `catalog` may be null; it must outlive the registry's runs.
Status RegisterCatalogActions(ActionRegistry& registry, catalog::Catalog* catalog);

Status CatalogFetch(ActionContext& ctx, const catalog::Catalog* catalog);
Status CatalogRegister(ActionContext& ctx, catalog::Catalog* catalog);
Status CatalogWrite(ActionContext& ctx);

// The error fetch and register answer when no catalog was handed in.
Status NoCatalog(std::string_view action_id);

}  // namespace idp::scaffolder::actions
