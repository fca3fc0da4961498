// fs:delete, fs:rename, fs:readdir: every path contained in the workspace
// (deletes never go through links: CVE-2026-24046).
#pragma once

#include "scaffolder/registry.h"

namespace idp::scaffolder::actions {

Status RegisterFsActions(ActionRegistry& registry);

}  // namespace idp::scaffolder::actions
