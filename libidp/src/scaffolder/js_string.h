// String(value) as JavaScript writes a JSON value: jsonschema's enum and
// const messages and the runner's `each` log lines print values this way.
#pragma once

#include <string>

#include "core/json.h"

namespace idp::scaffolder {

// Arrays join their items with "," (null items empty), objects are
// "[object Object]", numbers use JavaScript's shortest form.
std::string JsString(const JsonValue& v);

}  // namespace idp::scaffolder
