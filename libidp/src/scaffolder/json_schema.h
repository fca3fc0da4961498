// JSON Schema validation as the scaffolder backend does it: Backstage runs
// the npm `jsonschema` 1.5 validator on parameter pages, secrets and action
// inputs, and answers its ValidationError objects verbatim. RapidJSON's
// SchemaValidator (draft-04) decides validity; a walker in jsonschema's order
// and wording lists the errors and adds what draft-04 RapidJSON does not know
// (format, const, if/then/else, contains, propertyNames).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/status.h"

namespace idp::scaffolder {

class CompiledSchema {
 public:
  // The schema is copied; kInvalid when it is not a JSON object/boolean.
  static Result<std::shared_ptr<const CompiledSchema>> Compile(const JsonValue& schema);
  ~CompiledSchema();

  // Errors as jsonschema's ValidationError objects ({path, property, message,
  // schema, instance, name, argument, stack}), in its order; an empty array
  // when the instance is valid. `instance` may be null for "undefined".
  Json Validate(const JsonValue* instance) const;
  const JsonValue& schema() const { return schema_; }

 private:
  CompiledSchema();
  struct Rapid;
  Json schema_;
  std::unique_ptr<Rapid> rapid_;
};

// jsonschema's `errors.join(", ")`: every error's stack ("instance.x message").
std::string JoinErrorStacks(const JsonValue& errors);

}  // namespace idp::scaffolder
