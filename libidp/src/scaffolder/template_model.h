// A `scaffolder.backstage.io/v1beta3` Template entity, checked for what the
// runner needs (Backstage's TemplateV1beta3 schema on the fields it reads),
// with errors naming file, line, column and field.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/status.h"

namespace idp::scaffolder {

inline constexpr std::string_view kTemplateApiVersion = "scaffolder.backstage.io/v1beta3";

struct StepSpec {
  std::string id;      // default step-<1-based index>
  std::string name;    // default the action id; never templated
  std::string action;
  const JsonValue* input = nullptr;  // into TemplateEntity::entity
  const JsonValue* if_ = nullptr;
  const JsonValue* each = nullptr;
};

struct TemplateEntity {
  Json entity;                               // the whole entity
  std::string source;                        // file name for messages ("" when from JSON)
  std::vector<const JsonValue*> pages;       // spec.parameters as pages
  const JsonValue* secrets_schema = nullptr; // spec.secrets.schema
  std::vector<StepSpec> steps;
  const JsonValue* output = nullptr;         // spec.output
  const JsonValue& metadata() const;
};

// From a parsed entity (POST /v2/dry-run's `template`, the catalog). The
// entity is moved in; pointers in the result point into it.
Result<TemplateEntity> ParseTemplate(Json entity, std::string source = "");
// From a YAML file (the first non-empty document), with positions in errors.
Result<TemplateEntity> LoadTemplateFile(const std::filesystem::path& file);

}  // namespace idp::scaffolder
