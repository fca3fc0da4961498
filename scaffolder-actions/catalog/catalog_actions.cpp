#include "catalog/catalog_actions.h"

#include "catalog/listings.h"

namespace idp::scaffolder::actions {

Status NoCatalog(std::string_view action_id) {
  return Status(Code::kInternal, std::string(action_id) +
                                     ": no catalog is configured for this run (give `idp scaffold run` a --db FILE)");
}

Status RegisterCatalogActions(ActionRegistry& registry, catalog::Catalog* catalog, LocationCheck check) {
  // Dry-run support as in Backstage: fetch and write yes, register no.
  Status s = RegisterFromListing(
      registry, catalog_listing::kCatalogFetch, [catalog](ActionContext& ctx) { return CatalogFetch(ctx, catalog); },
      true);
  if (!s.ok()) return s;
  s = RegisterFromListing(
      registry, catalog_listing::kCatalogRegister,
      [catalog, check = std::move(check)](ActionContext& ctx) { return CatalogRegister(ctx, catalog, check); }, false);
  if (!s.ok()) return s;
  return RegisterFromListing(registry, catalog_listing::kCatalogWrite, CatalogWrite, true);
}

}  // namespace idp::scaffolder::actions
