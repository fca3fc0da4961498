// A Template run on this machine, with no server: what `idp scaffold run` /
// `dry-run` and the C ABI do. Values and secrets are checked as the router
// checks them, then the runner runs the steps.
#pragma once

#include <filesystem>

#include "core/json.h"
#include "scaffolder/dry_run.h"
#include "scaffolder/registry.h"
#include "scaffolder/runner.h"
#include "template/template.h"

namespace idp::scaffolder {

struct LocalRun {
  std::filesystem::path template_file;  // template.yaml; relative fetch urls resolve next to it
  Json values{rapidjson::kObjectType};
  Json secrets{rapidjson::kObjectType};
  std::filesystem::path workspace;      // created, and kept after the run
  const std::atomic<bool>* cancel = nullptr;
};

// {taskStatus: "completed", output} | {taskStatus: "failed", error: {name,
// message}} | {taskStatus: "rejected", errors} (values or secrets invalid,
// nothing run). A template that cannot be loaded is the Status.
Result<Json> RunLocally(const LocalRun& run, const ActionRegistry& registry, const tmpl::Engine& engine,
                        EventSink& events);

// POST /v2/dry-run for a template directory (template.yaml and its
// skeletons, every file sent as the editor sends them). Scratch directories
// live under working_directory and are removed.
Result<HttpAnswer> DryRunDirectory(const std::filesystem::path& template_dir, Json values, Json secrets,
                                   const ActionRegistry& registry, const tmpl::Engine& engine,
                                   const std::filesystem::path& working_directory);

// {"status": S, "body": B} as `idp scaffold dry-run --json` prints it.
Json AnswerJson(const HttpAnswer& answer);

}  // namespace idp::scaffolder
