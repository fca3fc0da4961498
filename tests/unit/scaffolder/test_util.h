// Shared helpers of the scaffolder tests: a real temporary directory, files
// written into it, and a template run through the built-in actions.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/json.h"
#include "builtin.h"
#include "scaffolder/runner.h"
#include "scaffolder/template_model.h"

namespace idp::scaffolder::testing {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string t = (fs::temp_directory_path() / "idp-scaf-test-XXXXXX").string();
    if (!mkdtemp(t.data())) throw std::runtime_error("mkdtemp failed");
    // Real paths everywhere: /tmp may itself be a link.
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

inline void WriteFile(const fs::path& p, std::string_view content) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline Json ParseJson(std::string_view text) {
  Json d;
  d.Parse(text.data(), text.size());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

inline void RegisterBuiltins(ActionRegistry& r) { ASSERT_TRUE(actions::RegisterBuiltinActions(r).ok()); }

// A minimal Template whose spec.steps are `steps` (YAML lines indented by 4).
inline std::string Steps(std::string_view steps) {
  return std::string(R"(apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: t}
spec:
  type: service
  steps:
)") + std::string(steps);
}

// A template (YAML text) written to <dir>/template.yaml and run with the
// built-in actions (plus `extra` when given) into <dir>/workspace.
struct RunResult {
  RunOutcome outcome;
  EventLog log;
  std::string AllMessages() const {
    std::string out;
    for (const auto& e : log.events) {
      if (const JsonValue* m = FindMember(e.body, "message")) out += std::string(AsView(*m)) + "\n";
    }
    return out;
  }
};

struct Runner {
  fs::path dir;
  ActionRegistry registry;
  tmpl::Engine engine;
  explicit Runner(fs::path d) : dir(std::move(d)) { RegisterBuiltins(registry); }

  fs::path workspace() const { return dir / "workspace"; }

  RunResult Run(std::string_view yaml, std::string_view values_json, std::string_view secrets_json = "{}",
                bool dry_run = false, const std::atomic<bool>* cancel = nullptr) {
    WriteFile(dir / "template.yaml", yaml);
    RunResult result;
    auto t = LoadTemplateFile(dir / "template.yaml");
    EXPECT_TRUE(t.ok()) << t.status().message();
    if (!t.ok()) return result;
    Json secrets = ParseJson(secrets_json);
    TaskSpec spec;
    spec.tmpl = &*t;
    spec.parameters = ParseJson(values_json);
    spec.template_info.entity_ref = "template:default/test";
    spec.template_info.base_dir = dir;
    RunOptions o;
    o.registry = &registry;
    o.engine = &engine;
    o.workspace = workspace();
    o.keep_workspace = true;
    o.task_id = "task-1";
    o.dry_run = dry_run;
    o.secrets = &secrets;
    o.cancel = cancel;
    result.outcome = RunTask(spec, o, result.log);
    return result;
  }
};

}  // namespace idp::scaffolder::testing
