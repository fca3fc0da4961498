// Every built-in action family at once: what the CLI, the C ABI and the
// server register before adding their own actions.
#pragma once

#include "scaffolder/registry.h"

namespace idp::scaffolder::actions {

Status RegisterBuiltinActions(ActionRegistry& registry);

}  // namespace idp::scaffolder::actions
