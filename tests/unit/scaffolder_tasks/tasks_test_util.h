// Shared helpers of the task tests: a real temporary directory holding the
// SQLite file and the workspaces, the built-in actions, and a template turned
// into a stored task spec as POST /v2/tasks does.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "../scaffolder/test_util.h"
#include "core/json.h"
#include "scaffolder/registry.h"
#include "scaffolder/tasks/task_spec.h"
#include "scaffolder/tasks/task_store.h"
#include "scaffolder/template_model.h"
#include "template/template.h"

namespace idp::scaffolder::tasks::testing {

namespace fs = std::filesystem;

using scaffolder::testing::TempDir;

inline Json Parse(std::string_view text) { return scaffolder::testing::ParseJson(text); }

inline ActionRegistry Builtins() {
  ActionRegistry r;
  EXPECT_TRUE(actions::RegisterBuiltinActions(r).ok());
  return r;
}

// A v1beta3 template with these steps (JSON array text) as a task spec.
inline Json SpecWithSteps(std::string_view steps_json, std::string_view values_json = "{}",
                          std::string_view extra_spec = "") {
  std::string text = R"({"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template",
    "metadata":{"name":"t","title":"T"},"spec":{"type":"service",)";
  text += std::string(extra_spec);
  text += R"("steps":)" + std::string(steps_json) + R"(,"output":{"text":[{"title":"done","content":"${{ parameters.name }}"}]}}})";
  auto t = ParseTemplate(Parse(text));
  EXPECT_TRUE(t.ok()) << t.status().message();
  Json values = Parse(values_json);
  Json user(rapidjson::kObjectType);
  return BuildTaskSpec(*t, values, user, "template:default/t", "");
}

inline std::vector<EventRow> Events(TaskStore& store, const std::string& id) {
  auto e = store.ListEvents(id, std::nullopt);
  EXPECT_TRUE(e.ok());
  return e.ok() ? std::move(*e) : std::vector<EventRow>{};
}

// Polls the real store until the task reaches a final status (no timing
// assertion: the ctest timeout is the bound).
inline std::string WaitFinal(TaskStore& store, const std::string& id) {
  for (;;) {
    auto t = store.Get(id);
    if (t.ok() && *t && ((*t)->status == "completed" || (*t)->status == "failed")) return (*t)->status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

inline std::string WaitStatus(TaskStore& store, const std::string& id, const std::string& status) {
  for (;;) {
    auto t = store.Get(id);
    if (t.ok() && *t && (*t)->status == status) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace idp::scaffolder::tasks::testing
