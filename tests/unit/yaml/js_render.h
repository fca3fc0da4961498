// Test helper: renders parse results the way the expectation tables were
// produced with node (yaml 2.9.1): JSON.stringify per document, `<empty>` for
// a null document, `<error>` for a document with errors, `<abort>` when
// toJSON() threw (and the rest of the file is not read), joined by " | ".
#pragma once

#include <string>
#include <string_view>

#include "core/json.h"
#include "yaml/yaml_stream.h"

namespace idp::yaml::testing {

// JSON.stringify of a value: JS number formatting, NaN/Infinity as null.
std::string JsStringify(const JsonValue& v);
std::string Render(const Stream& s);
std::string Render(std::string_view yaml);

}  // namespace idp::yaml::testing
