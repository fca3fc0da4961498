// YAML text as the `yaml` npm package (2.x) writes a JSON value with
// stringify(value) and default options: catalog:write must produce the same
// bytes as Backstage. Block style, 2-space indent, sequences under a key
// indented, plain scalars unless they would read back as another type or
// break YAML, then double (or single) quotes; multi-line strings as `|`/`>`
// blocks; lines folded at 80 columns. Object keys in JavaScript's order
// (array-index keys first, ascending), as JSON.parse hands them over.
#pragma once

#include <string>

#include "core/json.h"

namespace idp::scaffolder {

std::string YamlStringify(const JsonValue& value);

}  // namespace idp::scaffolder
