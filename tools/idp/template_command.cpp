// `idp template render --cases FILE.jsonl`: renders scaffolder template cases
// (one JSON object per line: {id, template, context, mode?, options?}) and
// prints one result line per case, in order: {id, rendered, error,
// undefined?, fallback?} with the meanings of the conformance oracle.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "commands.h"
#include "core/json.h"
#include "template/js.h"
#include "template/template.h"

namespace idp::cli {

namespace {

void PrintHelp(std::FILE* out) {
  std::fprintf(out,
               "usage: idp template render --cases FILE.jsonl\n\n"
               "Renders Backstage scaffolder templates (${{ }} nunjucks) natively.\n"
               "Each input line: {\"id\", \"template\", \"context\", \"mode\"?, \"options\"?}\n"
               "modes: value (default), string, compat, if, each, output\n"
               "Each output line: {\"id\", \"rendered\", \"error\", \"undefined\"?, \"fallback\"?}\n");
}

std::string CaseLine(const JsonValue* id, const tmpl::RenderResult& r) {
  std::string out = "{\"id\":";
  out += id ? ToJsonString(*id) : "null";
  out += ",\"rendered\":" + r.rendered_json + ",\"error\":";
  if (r.error) tmpl::js::QuoteJson(out, r.error->message);
  else out += "null";
  if (r.undefined) out += ",\"undefined\":true";
  if (r.fallback) out += ",\"fallback\":true";
  out += "}";
  return out;
}

}  // namespace

int RunTemplate(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    PrintHelp(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "render") != 0 || argc != 4 || std::strcmp(argv[2], "--cases") != 0) {
    PrintHelp(stderr);
    return 2;
  }
  std::ifstream in(argv[3]);
  if (!in) {
    std::fprintf(stderr, "idp template: cannot read %s\n", argv[3]);
    return 2;
  }
  tmpl::Engine engine;
  std::string line;
  std::size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Json c;
    c.Parse(line.data(), line.size());
    if (c.HasParseError() || !c.IsObject()) {
      std::fprintf(stderr, "idp template: line %zu is not a JSON object\n", lineno);
      return 2;
    }
    const JsonValue* id = FindMember(c, "id");
    const JsonValue* tmpl_v = FindMember(c, "template");
    const JsonValue* ctx = FindMember(c, "context");
    const JsonValue* mode_v = FindMember(c, "mode");
    const JsonValue* opts = FindMember(c, "options");
    std::string mode_name = mode_v && mode_v->IsString() ? std::string(AsView(*mode_v)) : "value";
    tmpl::RenderResult r;
    auto mode = tmpl::ParseMode(mode_name);
    if (!mode) {
      r.error = tmpl::TemplateError{tmpl::ErrorKind::kRuntime, "unknown mode " + mode_name, 0, 0};
    } else {
      tmpl::RenderOptions options;
      if (opts && opts->IsObject()) {
        auto flag = [&](const char* name) {
          const JsonValue* v = FindMember(*opts, name);
          return v && v->IsBool() && v->GetBool();
        };
        options.trim_blocks = flag("trimBlocks");
        options.lstrip_blocks = flag("lstripBlocks");
        options.task_failed = flag("taskFailed");
      }
      Json empty_ctx(rapidjson::kObjectType);
      Json null_tmpl;
      if (*mode != tmpl::Mode::kValue && *mode != tmpl::Mode::kOutput && *mode != tmpl::Mode::kEach &&
          *mode != tmpl::Mode::kIf && !tmpl_v) {
        tmpl_v = &null_tmpl;
      }
      if (!tmpl_v) {
        r.undefined = true;  // JSON.stringify drops an absent template: nothing to render
      } else {
        r = engine.Render(*mode, *tmpl_v, ctx && ctx->IsObject() ? *ctx : empty_ctx, options);
      }
    }
    std::string out = CaseLine(id, r);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fputc('\n', stdout);
  }
  return 0;
}

}  // namespace idp::cli
