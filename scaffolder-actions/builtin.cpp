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

}  // namespace idp::scaffolder::actions
