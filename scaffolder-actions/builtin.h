// Every built-in action family at once: what the CLI, the C ABI and the
// server register before adding their own actions.
#pragma once

#include <functional>

#include "catalog/catalog_actions.h"
#include "publish/publish_actions.h"
#include "scaffolder/registry.h"

namespace idp::catalog {
class Catalog;
}

namespace idp::scaffolder::actions {

// fetch:*, fs:* and debug:* (they need nothing from the host).
Status RegisterBuiltinActions(ActionRegistry& registry);

struct BuiltinOptions {
  // catalog:fetch and catalog:register use it; null: they fail saying so.
  // It must outlive the registry's runs.
  catalog::Catalog* catalog = nullptr;
  // Called after catalog:register changed the catalog (a server drops the
  // entity bodies it caches); may be empty.
  std::function<void()> on_catalog_change;
  // Asked before catalog:register adds a location (a server's rules for
  // POST /locations); may be empty.
  LocationCheck check_location;
  PublishOptions publish;
};

// The above plus catalog:* and publish:*: what idp-server, `idp scaffold`
// and the C ABI offer.
Status RegisterAllActions(ActionRegistry& registry, BuiltinOptions options);

}  // namespace idp::scaffolder::actions
