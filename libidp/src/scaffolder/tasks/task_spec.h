// The task spec POST /v2/tasks stores (Backstage's router, 4.0.2): steps with
// ids and names defaulted, output, parameters, user, templateInfo and
// EXPERIMENTAL_recovery.
#pragma once

#include <string>

#include "core/json.h"
#include "scaffolder/template_model.h"

namespace idp::scaffolder::tasks {

// `entity_ref` lower-cased as stringifyEntityRef writes it; `base_url` ""
// when the template has no location.
Json BuildTaskSpec(const TemplateEntity& tmpl, const JsonValue& values, const JsonValue& user,
                   const std::string& entity_ref, const std::string& base_url);

// getEntityBaseUrl: the source-location, else the managed-by-location
// annotation; `file:` targets become `file://<path>`, `url:` targets as they are.
std::string EntityBaseUrl(const JsonValue& entity);

}  // namespace idp::scaffolder::tasks
