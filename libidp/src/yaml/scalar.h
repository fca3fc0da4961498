// Scalar typing: the YAML 1.2 core schema exactly as eemeli `yaml` 2.x
// resolves it (schema/core/*.js), plus the explicit `!!` tags it knows, and
// JavaScript's String(number) for stringified map keys.
#pragma once

#include "core/js_number.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace idp::yaml {

struct ScalarValue {
  enum class Kind : std::uint8_t { kNull, kBool, kInt, kDouble, kString };
  Kind kind = Kind::kString;
  bool boolean = false;
  std::int64_t integer = 0;  // kInt: exact, |integer| <= 2^53 (a JS safe integer)
  double number = 0;         // kDouble: anything else a JS Number can be (NaN, inf, big)
};

// A plain (unquoted, untagged) scalar; kString when no core-schema rule matches.
ScalarValue ResolvePlain(std::string_view text);

enum class TagOutcome : std::uint8_t {
  kResolved,     // value holds the result (possibly a string fallback, as yaml does)
  kUnsupported,  // a yaml-1.1 "known tag" (binary, timestamp, ...) we refuse
};
// A scalar with an explicit tag (libyaml gives the tag fully expanded, e.g.
// "tag:yaml.org,2002:int"). Unknown and local tags give the string, like yaml.
TagOutcome ResolveTagged(std::string_view tag, std::string_view text, ScalarValue& out);

// A collection tag we refuse (!!set, !!omap, !!pairs: yaml builds JS Set/Map
// objects that have no JSON equivalent).
bool IsUnsupportedCollectionTag(std::string_view tag);


}  // namespace idp::yaml
