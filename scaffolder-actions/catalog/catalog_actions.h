// catalog:fetch, catalog:register and catalog:write (Backstage's catalog
// module, scaffolder-backend 4.0.2). fetch and register use the engine's own
// Catalog, handed in at registration (the CLI's --db, a server's catalog);
// without one they fail saying so. catalog:write needs no catalog.
#pragma once

#include <functional>
#include <string_view>

#include "scaffolder/registry.h"

namespace idp::catalog {
class Catalog;
}

namespace idp::scaffolder::actions {

// Asked before catalog:register adds a location (type "file" or "url", the
// target as it will be stored): a failing Status is the add's error, as a
// server's own rules (readonly, allowed roots, reading allowlist) answer
// POST /locations. Empty: every location may be added.
using LocationCheck = std::function<Status(std::string_view type, std::string_view target)>;

// `catalog` may be null; it must outlive the registry's runs.
Status RegisterCatalogActions(ActionRegistry& registry, catalog::Catalog* catalog, LocationCheck check = {});

Status CatalogFetch(ActionContext& ctx, const catalog::Catalog* catalog);
Status CatalogRegister(ActionContext& ctx, catalog::Catalog* catalog, const LocationCheck& check = {});
Status CatalogWrite(ActionContext& ctx);

// The error fetch and register answer when no catalog was handed in.
Status NoCatalog(std::string_view action_id);

}  // namespace idp::scaffolder::actions
