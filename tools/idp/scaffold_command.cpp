// `idp scaffold`: run a golden path locally, or answer what Backstage's
// POST /v2/dry-run would for a template directory (the template editor's
// request), or list the actions as GET /v2/actions does.
// GCC's -Wnull-dereference fires inside RapidJSON's pool allocator when a
// fresh Document gets members (a false positive, see location_entity.cpp).
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <system_error>

#include "commands.h"
#include "core/json.h"
#include "debug/debug_actions.h"
#include "fetch/fetch_actions.h"
#include "fs/fs_actions.h"
#include "scaffolder/dry_run.h"
#include "scaffolder/parameters.h"
#include "scaffolder/runner.h"
#include "scaffolder/template_model.h"
#include "scaffolder/workspace.h"

namespace idp::cli {

namespace {

namespace fs = std::filesystem;
namespace sc = idp::scaffolder;

void PrintHelp(std::FILE* out) {
  std::fprintf(out,
               "usage: idp scaffold run TEMPLATE.yaml --values VALUES.json [--secrets FILE] --out DIR\n"
               "       idp scaffold dry-run TEMPLATE_DIR --values VALUES.json [--secrets FILE] [--work-dir DIR] --json\n"
               "       idp scaffold actions\n\n"
               "run      runs the template's steps for real; DIR (new or empty) becomes the workspace.\n"
               "dry-run  prints {\"status\": S, \"body\": B}: what POST /v2/dry-run answers for\n"
               "         TEMPLATE_DIR/template.yaml with every file of TEMPLATE_DIR as its contents;\n"
               "         scratch directories go below DIR (default: the system's temporary directory).\n"
               "actions  prints the GET /v2/actions body of the built-in actions.\n"
               "Exit codes: 0 success, 1 the run failed or the input was rejected, 2 usage or I/O error.\n");
}

Result<Json> ReadJsonFile(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(Code::kIo, file + ": cannot read");
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  Json doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    return Status(Code::kParse, file + ": not valid JSON (at byte " + std::to_string(doc.GetErrorOffset()) + ")");
  }
  if (!doc.IsObject()) return Status(Code::kInvalid, file + ": must hold a JSON object");
  return doc;
}

Status MakeRegistry(sc::ActionRegistry& registry) {
  if (Status s = sc::actions::RegisterFetchActions(registry); !s.ok()) return s;
  if (Status s = sc::actions::RegisterFsActions(registry); !s.ok()) return s;
  return sc::actions::RegisterDebugActions(registry);
}

struct Args {
  std::string target, values, secrets, out, work_dir;
  bool json = false;
};

bool ParseArgs(int argc, char** argv, Args& a) {
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto next = [&](std::string& into) {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    if (arg == "--values") {
      if (!next(a.values)) return false;
    } else if (arg == "--secrets") {
      if (!next(a.secrets)) return false;
    } else if (arg == "--out") {
      if (!next(a.out)) return false;
    } else if (arg == "--work-dir") {
      if (!next(a.work_dir)) return false;
    } else if (arg == "--json") {
      a.json = true;
    } else if (!arg.empty() && arg[0] != '-' && a.target.empty()) {
      a.target = std::string(arg);
    } else {
      return false;
    }
  }
  return !a.target.empty();
}

int Fail(const Status& s) {
  std::fprintf(stderr, "idp scaffold: %s\n", s.message().c_str());
  return 2;
}

int DryRunCommand(const Args& a) {
  if (a.values.empty() || !a.json) {
    PrintHelp(stderr);
    return 2;
  }
  std::error_code ec;
  const fs::path dir = fs::absolute(a.target, ec);
  sc::DryRunRequest request;
  {
    // The template is sent as JSON, as the editor does: parse the YAML here.
    auto t = sc::LoadTemplateFile(dir / "template.yaml");
    if (!t.ok()) return Fail(t.status());
    request.template_entity.CopyFrom(t->entity, request.template_entity.GetAllocator());
  }
  auto values = ReadJsonFile(a.values);
  if (!values.ok()) return Fail(values.status());
  request.values = std::move(*values);
  if (!a.secrets.empty()) {
    auto secrets = ReadJsonFile(a.secrets);
    if (!secrets.ok()) return Fail(secrets.status());
    request.secrets = std::move(*secrets);
  }
  auto files = sc::SerializeDirectory(dir);
  if (!files.ok()) return Fail(files.status());
  request.directory_contents = std::move(*files);
  sc::ActionRegistry registry;
  if (Status s = MakeRegistry(registry); !s.ok()) return Fail(s);
  tmpl::Engine engine;
  const fs::path wd = a.work_dir.empty() ? fs::temp_directory_path(ec) : fs::absolute(a.work_dir, ec);
  sc::HttpAnswer answer = sc::DryRun(std::move(request), registry, engine, wd);
  Json out(rapidjson::kObjectType);
  auto& al = out.GetAllocator();
  out.AddMember("status", answer.status, al);
  out.AddMember("body", JsonValue(answer.body, al), al);
  std::string text = ToPrettyJsonString(out);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  return answer.status == 200 ? 0 : 1;
}

int RunCommand(const Args& a) {
  if (a.values.empty() || a.out.empty()) {
    PrintHelp(stderr);
    return 2;
  }
  auto t = sc::LoadTemplateFile(a.target);
  if (!t.ok()) return Fail(t.status());
  auto values = ReadJsonFile(a.values);
  if (!values.ok()) return Fail(values.status());
  Json secrets(rapidjson::kObjectType);
  if (!a.secrets.empty()) {
    auto s = ReadJsonFile(a.secrets);
    if (!s.ok()) return Fail(s.status());
    secrets = std::move(*s);
  }
  if (auto errors = sc::ValidateValues(*t, *values)) {
    for (const auto& e : errors->GetArray()) std::fprintf(stderr, "idp scaffold: %s\n", e["stack"].GetString());
    return 1;
  }
  if (auto errors = sc::ValidateSecrets(*t, secrets)) {
    for (const auto& e : errors->GetArray()) std::fprintf(stderr, "idp scaffold: %s\n", e["message"].GetString());
    return 1;
  }
  std::error_code ec;
  const fs::path out = fs::absolute(a.out, ec);
  if (fs::exists(out, ec) && !fs::is_empty(out, ec)) {
    std::fprintf(stderr, "idp scaffold: %s exists and is not empty\n", a.out.c_str());
    return 2;
  }
  sc::ActionRegistry registry;
  if (Status s = MakeRegistry(registry); !s.ok()) return Fail(s);
  tmpl::Engine engine;
  sc::TaskSpec spec;
  spec.tmpl = &*t;
  spec.parameters = std::move(*values);
  spec.template_info.entity_ref = "template:default/" + std::string(t->metadata()["name"].GetString());
  spec.template_info.base_dir = fs::absolute(fs::path(a.target), ec).parent_path();
  sc::RunOptions options;
  options.registry = &registry;
  options.engine = &engine;
  options.workspace = out;
  options.keep_workspace = true;
  options.task_id = sc::RandomUuid();
  options.secrets = &secrets;
  // Events go to stderr as they come, one JSON line each (never a secret).
  struct Printer : sc::EventSink {
    void Emit(sc::TaskEvent e) override {
      Json line(rapidjson::kObjectType);
      auto& al = line.GetAllocator();
      line.AddMember("type", MakeString(e.type, al), al);
      line.AddMember("body", JsonValue(e.body, al), al);
      std::fprintf(stderr, "%s\n", ToJsonString(line).c_str());
    }
  } printer;
  sc::RunOutcome outcome = sc::RunTask(spec, options, printer);
  Json result(rapidjson::kObjectType);
  auto& al = result.GetAllocator();
  result.AddMember("taskStatus", rapidjson::StringRef(outcome.ok ? "completed" : "failed"), al);
  if (outcome.ok) {
    result.AddMember("output", JsonValue(outcome.output, al), al);
  } else {
    JsonValue err(rapidjson::kObjectType);
    err.AddMember("name", MakeString(outcome.error.name, al), al);
    err.AddMember("message", MakeString(outcome.error.message, al), al);
    result.AddMember("error", err, al);
  }
  std::string text = ToPrettyJsonString(result);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  return outcome.ok ? 0 : 1;
}

}  // namespace

int RunScaffold(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    PrintHelp(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string_view sub = argv[1];
  if (sub == "actions") {
    sc::ActionRegistry registry;
    if (Status s = MakeRegistry(registry); !s.ok()) return Fail(s);
    std::string text = ToPrettyJsonString(registry.List());
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    return 0;
  }
  Args a;
  if ((sub != "run" && sub != "dry-run") || !ParseArgs(argc, argv, a)) {
    PrintHelp(stderr);
    return 2;
  }
  return sub == "run" ? RunCommand(a) : DryRunCommand(a);
}

}  // namespace idp::cli
