// Shared helpers of the task tests: a real temporary directory holding the
// SQLite file and the workspaces, the built-in actions, and a template turned
// into a stored task spec as POST /v2/tasks does.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "core/json.h"
#include "debug/debug_actions.h"
#include "fetch/fetch_actions.h"
#include "fs/fs_actions.h"
#include "scaffolder/registry.h"
#include "scaffolder/tasks/task_spec.h"
#include "scaffolder/tasks/task_store.h"
#include "scaffolder/template_model.h"
#include "template/template.h"

namespace idp::scaffolder::tasks::testing {

namespace fs = std::filesystem;

// Real paths everywhere: /tmp may itself be a link.
class TempDir {
 public:
  TempDir() {
    std::string t = (fs::temp_directory_path() / "idp-tasks-test-XXXXXX").string();
    if (!mkdtemp(t.data())) throw std::runtime_error("mkdtemp failed");
    path_ = fs::canonical(t);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline Json Parse(std::string_view text) {
  Json d;
  d.Parse(text.data(), text.size());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

inline ActionRegistry Builtins() {
  ActionRegistry r;
  EXPECT_TRUE(actions::RegisterFetchActions(r).ok());
  EXPECT_TRUE(actions::RegisterFsActions(r).ok());
  EXPECT_TRUE(actions::RegisterDebugActions(r).ok());
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
