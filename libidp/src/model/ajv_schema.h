// A small JSON Schema (draft-07 subset) interpreter that reports errors the
// way ajv 8 does with { allErrors: true }: same keywords evaluated in the
// same order, same instancePath, message and params. Backstage shows ajv's
// first error; we keep them all. Supported keywords: type, enum, required,
// properties, additionalProperties, patternProperties ("^.+$" only), items,
// minLength, pattern ("^\w+$" only), oneOf, allOf, $ref ("#/definitions/x").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "model/json_path.h"

namespace idp::model {

struct AjvError {
  JsonPath path;
  std::string instance_path;  // ajv's JSON pointer ("" = root)
  std::string message;        // "must be string"
  std::string params;         // "type: string" (values joined as JavaScript's String() does)

  // throwAjvError's text: "<path or <root>> <message> - <params>".
  std::string WithParams() const;
  // SchemaValidEntityPolicy's text: "<path or <root>> <message>".
  std::string WithoutParams() const;
};

class AjvSchema {
 public:
  // Compiles a schema; throws std::invalid_argument on unsupported input
  // (the schemas are the project's own files, so this is a build bug).
  explicit AjvSchema(std::string_view schema_json);
  ~AjvSchema();
  AjvSchema(AjvSchema&&) noexcept;
  AjvSchema& operator=(AjvSchema&&) noexcept;

  // Appends every error; returns true when `data` is valid.
  bool Validate(const JsonValue& data, std::vector<AjvError>& errors) const;

 private:
  struct Impl;
  std::unique_ptr<const Impl> impl_;
};

// Compact JSON.stringify-like text of an ajv params value.
std::string EscapeJsonPointerToken(std::string_view token);

}  // namespace idp::model
