// POST /v2/dry-run without HTTP: what the endpoint would answer for a
// template, values, secrets and the template's files (the template editor's
// request). The HTTP server and `idp scaffold dry-run` both wrap this.
#pragma once

#include <filesystem>
#include <vector>

#include "core/json.h"
#include "scaffolder/registry.h"
#include "scaffolder/workspace.h"
#include "template/template.h"

namespace idp::scaffolder {

struct DryRunRequest {
  Json template_entity;                 // `template`
  Json values{rapidjson::kObjectType};  // `values`
  Json secrets{rapidjson::kObjectType}; // `secrets`
  std::vector<FileEntry> directory_contents;
};

struct HttpAnswer {
  int status = 200;
  Json body;
};

// 200 {log, directoryContents, output, steps}, 400 {errors}, or the failing
// step's error in Backstage's error body. Scratch directories live under
// working_directory and are removed before returning.
HttpAnswer DryRun(DryRunRequest request, const ActionRegistry& registry, const tmpl::Engine& engine,
                  const std::filesystem::path& working_directory);

// Backstage's error middleware body.
Json ErrorBody(const std::string& name, const std::string& message, int status, const char* method, const char* url);

// A random v4 UUID (scratch directory names).
std::string RandomUuid();

}  // namespace idp::scaffolder
