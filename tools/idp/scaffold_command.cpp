// `idp scaffold`: run a golden path locally, or answer what Backstage's
// POST /v2/dry-run would for a template directory (the template editor's
// request), or list the actions as GET /v2/actions does.
// GCC's -Wnull-dereference fires inside RapidJSON's pool allocator when a
// fresh Document gets members (a false positive, see location_entity.cpp).
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <rapidjson/error/en.h>

#include <algorithm>
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
#include "builtin.h"
#include "catalog/catalog.h"
#include "app_config.h"
#include "scaffolder/local_run.h"

namespace idp::cli {

namespace {

namespace fs = std::filesystem;
namespace sc = idp::scaffolder;

void PrintHelp(std::FILE* out) {
  std::fprintf(out,
               "usage: idp scaffold run TEMPLATE.yaml --values VALUES.json [--secrets FILE] [--db FILE] [--config FILE] --out DIR\n"
               "       idp scaffold dry-run TEMPLATE_DIR --values VALUES.json [--secrets FILE] [--db FILE] [--config FILE] [--work-dir DIR] --json\n"
               "       idp scaffold actions\n\n"
               "run      runs the template's steps for real; DIR (new or empty) becomes the workspace.\n"
               "dry-run  prints {\"status\": S, \"body\": B}: what POST /v2/dry-run answers for\n"
               "         TEMPLATE_DIR/template.yaml with every file of TEMPLATE_DIR as its contents;\n"
               "         scratch directories go below DIR (default: the system's temporary directory).\n"
               "actions  prints the GET /v2/actions body of the built-in actions.\n"
               "--db FILE: the catalog (as `idp catalog --db`) catalog:fetch reads and catalog:register\n"
               "         registers into; without it those two fail.\n"
               "--config FILE: an app-config.yaml; publish:github and publish:git take integrations.github[]\n"
               "         (host, apiBaseUrl, token), scaffolder.defaultAuthor and defaultCommitMessage from it.\n"
               "         Without it: github.com only, no token (a step gives one in its `token` input).\n"
               "run prints {taskStatus: completed|failed|rejected, output|error|errors}; events go to stderr.\n"
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
    // file:line:column: what RapidJSON says.
    const std::size_t at = std::min(doc.GetErrorOffset(), text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return Status(Code::kParse, file + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                    ": not valid JSON: " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return Status(Code::kInvalid, file + ": must hold a JSON object");
  return doc;
}

struct Args {
  std::string target, values, secrets, out, work_dir, db, config;
  bool json = false;
};

// Every action: catalog:* reach `catalog` (may be null), publish:* take
// their integrations from --config.
Status MakeRegistry(sc::ActionRegistry& registry, const Args& a, catalog::Catalog* catalog = nullptr) {
  sc::actions::BuiltinOptions options;
  options.catalog = catalog;
  if (!a.config.empty()) {
    if (Status s = sc::actions::LoadPublishConfig(a.config, options.publish); !s.ok()) return s;
  }
  return sc::actions::RegisterAllActions(registry, std::move(options));
}

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
    } else if (arg == "--db") {
      if (!next(a.db)) return false;
    } else if (arg == "--config") {
      if (!next(a.config)) return false;
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

void PrintJson(const JsonValue& v) {
  std::string text = ToPrettyJsonString(v);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

// Values and secrets files, read as the request's JSON objects.
Status ReadRequest(const Args& a, Json& values, Json& secrets) {
  auto v = ReadJsonFile(a.values);
  if (!v.ok()) return v.status();
  values = std::move(*v);
  secrets.SetObject();
  if (!a.secrets.empty()) {
    auto s = ReadJsonFile(a.secrets);
    if (!s.ok()) return s.status();
    secrets = std::move(*s);
  }
  return Status::Ok();
}

// --db: the catalog opened as `idp catalog` opens it (the folder of each
// registered file and the host of each url location may be read), plus the
// workspace, where catalog:write puts the file catalog:register registers.
Result<std::optional<catalog::Catalog>> OpenCatalog(const Args& a, const fs::path& workspace) {
  if (a.db.empty()) return std::optional<catalog::Catalog>();
  catalog::CatalogOptions options;
  options.db_path = a.db;
  options.allow_location_dirs = true;
  options.allow_location_hosts = true;
  std::error_code ec;
  if (!workspace.empty()) options.allowed_roots.push_back(fs::absolute(workspace, ec).lexically_normal());
  auto c = catalog::Catalog::Open(std::move(options));
  if (!c.ok()) return Status(c.status().code(), a.db + ": " + c.status().message());
  return std::optional<catalog::Catalog>(std::move(c).value());
}

int DryRunCommand(const Args& a) {
  if (a.values.empty() || !a.json) {
    PrintHelp(stderr);
    return 2;
  }
  Json values, secrets;
  if (Status s = ReadRequest(a, values, secrets); !s.ok()) return Fail(s);
  auto catalog = OpenCatalog(a, fs::path());
  if (!catalog.ok()) return Fail(catalog.status());
  sc::ActionRegistry registry;
  if (Status s = MakeRegistry(registry, a, *catalog ? &**catalog : nullptr); !s.ok()) return Fail(s);
  tmpl::Engine engine;
  std::error_code ec;
  const fs::path wd = a.work_dir.empty() ? fs::temp_directory_path(ec) : fs::absolute(a.work_dir, ec);
  auto answer = sc::DryRunDirectory(a.target, std::move(values), std::move(secrets), registry, engine, wd);
  if (!answer.ok()) return Fail(answer.status());
  PrintJson(sc::AnswerJson(*answer));
  return answer->status == 200 ? 0 : 1;
}

int RunCommand(const Args& a) {
  if (a.values.empty() || a.out.empty()) {
    PrintHelp(stderr);
    return 2;
  }
  sc::LocalRun run;
  run.template_file = a.target;
  run.workspace = a.out;
  if (Status s = ReadRequest(a, run.values, run.secrets); !s.ok()) return Fail(s);
  std::error_code ec;
  if (fs::exists(run.workspace, ec) && !fs::is_empty(run.workspace, ec)) {
    std::fprintf(stderr, "idp scaffold: %s exists and is not empty\n", a.out.c_str());
    return 2;
  }
  auto catalog = OpenCatalog(a, run.workspace);
  if (!catalog.ok()) return Fail(catalog.status());
  sc::ActionRegistry registry;
  if (Status s = MakeRegistry(registry, a, *catalog ? &**catalog : nullptr); !s.ok()) return Fail(s);
  tmpl::Engine engine;
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
  auto result = sc::RunLocally(run, registry, engine, printer);
  if (!result.ok()) return Fail(result.status());
  PrintJson(*result);
  return AsView((*result)["taskStatus"]) == "completed" ? 0 : 1;
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
    if (Status s = MakeRegistry(registry, Args()); !s.ok()) return Fail(s);
    PrintJson(registry.List());
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
