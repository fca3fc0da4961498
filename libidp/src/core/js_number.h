// Numbers as JavaScript prints them (Number.prototype.toString(10)): YAML keys,
// JSON output and templates must show `1500`, `1e+21`, `1e-7` exactly as
// Backstage does.
#pragma once

#include <string>

namespace idp {

// ECMAScript Number::toString: shortest round-trip digits, plain notation for
// exponents in [-7, 21), else `1.5e+21`; "NaN", "Infinity", "-Infinity"; -0 is "0".
std::string JsNumberToString(double value);

}  // namespace idp
