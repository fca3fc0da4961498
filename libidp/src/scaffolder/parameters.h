// Values and secrets against a Template's parameter pages, as the router
// checks POST /v2/tasks and /v2/dry-run: page by page, the whole `values`
// object against each page's schema, stopping at the first failing page;
// then spec.secrets.schema against the secrets.
#pragma once

#include <optional>

#include "core/json.h"
#include "core/status.h"
#include "scaffolder/template_model.h"

namespace idp::scaffolder {

// nullopt when valid; else the `errors` array of the 400 answer.
std::optional<Json> ValidateValues(const TemplateEntity& tmpl, const JsonValue& values);
std::optional<Json> ValidateSecrets(const TemplateEntity& tmpl, const JsonValue& secrets);

}  // namespace idp::scaffolder
