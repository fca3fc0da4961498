// debug:log and debug:wait.
#pragma once

#include "scaffolder/registry.h"

namespace idp::scaffolder::actions {

Status RegisterDebugActions(ActionRegistry& registry);

}  // namespace idp::scaffolder::actions
