// fetch:plain, fetch:plain:file, fetch:template, fetch:template:file.
// Relative `url`s resolve against the template's directory (a file:
// location); remote URLs need a UrlReader, which libidp does not have yet.
#pragma once

#include "scaffolder/registry.h"

namespace idp::scaffolder::actions {

Status RegisterFetchActions(ActionRegistry& registry);

// The template's source directory or file for `url`, contained in base_dir.
Result<std::filesystem::path> ResolveFetchSource(const ActionContext& ctx, std::string_view url);

}  // namespace idp::scaffolder::actions
