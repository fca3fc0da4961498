// JavaScript-compatible serialisations the stitcher hashes and indexes:
// fast-json-stable-stringify (keys in UTF-16 order) and String(value).
#pragma once

#include "core/js_number.h"

#include <string>

#include "core/json.h"

namespace idp::store {

// String(v) for a scalar: "true", "8080", "1.5", the string itself; "null" for null.
std::string JsScalarString(const JsonValue& v);
// fast-json-stable-stringify: JSON with object keys sorted (JS default sort).
std::string StableStringify(const JsonValue& v);

}  // namespace idp::store
