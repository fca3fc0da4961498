// The action registry: built-in families (scaffolder-actions/<family>/),
// custom C++ actions and, later, C callbacks all register here. Registration
// happens before runs start; lookups are then read-only and thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/status.h"
#include "scaffolder/action.h"

namespace idp::scaffolder {

class ActionRegistry {
 public:
  // kInvalid for a duplicate id or a schema that does not parse.
  Status Register(ActionSpec spec);
  // nullptr when unknown.
  std::shared_ptr<const Action> Find(std::string_view id) const;
  // `GET /v2/actions`: every action sorted by id.
  Json List() const;
  std::size_t size() const { return actions_.size(); }

 private:
  std::map<std::string, std::shared_ptr<const Action>, std::less<>> actions_;
};

// Backstage's message for an unknown action id (NotFoundError).
std::string UnknownActionMessage(std::string_view id);

}  // namespace idp::scaffolder

namespace idp::scaffolder {

// An ActionSpec's id, description, examples and schemas from one
// `GET /v2/actions` item (JSON text); the caller adds the handler and
// dry-run support.
Result<ActionSpec> SpecFromListing(std::string_view item_json);
// SpecFromListing plus the handler, registered (how the built-ins register).
Status RegisterFromListing(ActionRegistry& registry, std::string_view item_json, ActionHandler handler,
                           bool supports_dry_run);

}  // namespace idp::scaffolder
