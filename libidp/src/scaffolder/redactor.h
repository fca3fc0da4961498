// Secret redaction of log lines, as the task logger does it: every secret
// value (trimmed, at least 2 characters) and every rendered input string that
// changes when secrets are blanked is replaced by `***`, leftmost match
// first, earlier redactions winning at the same position (a JS alternation).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace idp::scaffolder {

class Redactor {
 public:
  void Add(std::string_view value);
  // Every string value of an object (the task's secrets).
  void AddValues(const JsonValue& object);
  // collectSecretRedactions: strings of `with` that differ from `without`.
  void AddDifferences(const JsonValue& with, const JsonValue* without);
  std::string Apply(std::string_view text) const;
  bool empty() const { return values_.empty(); }

 private:
  std::vector<std::string> values_;
};

}  // namespace idp::scaffolder
