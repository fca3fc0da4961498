// Template engine throughput: idp's native renderer on the conformance cases
// and on a generated 1 MiB skeleton file. nunjucks-bench.mjs runs the same
// workloads through nunjucks 3.2.4; run-template-bench.sh puts both side by
// side. Figures only: nothing here passes or fails on speed.
//
//   idp_template_bench [--only ROW,...] [--min-time S] [--passes N] [--tsv]
//                      [--cases FILE] [--expected FILE] [--divergences FILE]
//                      [--skeleton DIR | --skeleton-bytes N]
//                      [--write-skeleton DIR] [--dump-skeleton-output FILE]
//
// Rows (all by default; --only none loads nothing, for a baseline RSS):
//   cases-cached     every conformance case through Engine::Render, templates
//                    compiled once and reused (a cache big enough for all of them)
//   cases-parse      the same with a one-entry cache: every render parses again
//                    (what a cold engine pays; Backstage compiles per render too)
//   cases-default    the same with EngineConfig's defaults (512-entry cache)
//   skeleton-cached  the skeleton through Engine::RenderText, compiled once
//   skeleton-parse   the skeleton parsed and rendered every time, like
//                    fetch:template renders each file once
//
// Each row runs one untimed warm-up pass (which also checks the results
// against expected.jsonl for the cases), then whole passes until --min-time
// wall seconds have elapsed and at least --passes passes were made (e.g.
// `--min-time 0 --passes 20` for a fixed amount of work under callgrind). Wall and CPU seconds are both reported: on a
// shared machine CPU seconds move less when other work competes for the core.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "template/template.h"

namespace {

namespace fs = std::filesystem;
using idp::FindMember;
using idp::Json;
using idp::JsonValue;
namespace tmpl = idp::tmpl;

#ifndef IDP_SOURCE_DIR
#define IDP_SOURCE_DIR "."
#endif

// --- inputs -----------------------------------------------------------------

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::unique_ptr<Json> ParseJson(std::string_view text, const std::string& what) {
  auto doc = std::make_unique<Json>();
  doc->Parse(text.data(), text.size());
  if (doc->HasParseError()) throw std::runtime_error(what + " is not valid JSON");
  return doc;
}

// One conformance case, parsed once up front so the timed loop only renders.
// The template/context handling mirrors `idp template render --cases`.
struct Case {
  std::string id;
  std::string mode_name;
  std::unique_ptr<Json> doc;
  const JsonValue* tmpl = nullptr;  // null: value-rule mode with no template (undefined)
  const JsonValue* ctx = nullptr;
  tmpl::Mode mode = tmpl::Mode::kValue;
  tmpl::RenderOptions options;
};

const Json& EmptyObject() {
  static const Json empty(rapidjson::kObjectType);
  return empty;
}
const Json& NullValue() {
  static const Json null_value;
  return null_value;
}

std::vector<Case> LoadCases(const fs::path& path) {
  std::vector<Case> cases;
  std::istringstream in(ReadFile(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Case c;
    c.doc = ParseJson(line, path.string() + " line " + std::to_string(cases.size() + 1));
    const JsonValue* id = FindMember(*c.doc, "id");
    c.id = id && id->IsString() ? std::string(idp::AsView(*id)) : "";
    const JsonValue* mode = FindMember(*c.doc, "mode");
    c.mode_name = mode && mode->IsString() ? std::string(idp::AsView(*mode)) : "value";
    auto parsed = tmpl::ParseMode(c.mode_name);
    if (!parsed) throw std::runtime_error("case " + c.id + ": unknown mode " + c.mode_name);
    c.mode = *parsed;
    const JsonValue* ctx = FindMember(*c.doc, "context");
    c.ctx = ctx && ctx->IsObject() ? ctx : &EmptyObject();
    c.tmpl = FindMember(*c.doc, "template");
    bool value_rule = c.mode == tmpl::Mode::kValue || c.mode == tmpl::Mode::kOutput ||
                      c.mode == tmpl::Mode::kEach || c.mode == tmpl::Mode::kIf;
    if (!c.tmpl && !value_rule) c.tmpl = &NullValue();
    if (const JsonValue* opts = FindMember(*c.doc, "options"); opts && opts->IsObject()) {
      auto flag = [&](const char* name) {
        const JsonValue* v = FindMember(*opts, name);
        return v && v->IsBool() && v->GetBool();
      };
      c.options.trim_blocks = flag("trimBlocks");
      c.options.lstrip_blocks = flag("lstripBlocks");
      c.options.task_failed = flag("taskFailed");
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

// The oracle's verdicts, for a sanity check that the timed work is the right
// work. Same criteria as tests/conformance/template/compare.py: rendered,
// undefined, fallback and whether an error occurred; deliberate refusals
// (divergences.json) must carry their marker.
struct Expected {
  std::unique_ptr<Json> doc;  // null when RapidJSON refuses the line (lone UTF-16 surrogates)
  std::string raw;            // the line as the oracle wrote it
  std::string refusal_marker;  // non-empty: a deliberate divergence
};

std::map<std::string, Expected> LoadExpected(const fs::path& expected, const fs::path& divergences) {
  std::map<std::string, Expected> out;
  std::istringstream in(ReadFile(expected));
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto doc = std::make_unique<Json>();
    doc->Parse(line.data(), line.size());
    if (doc->HasParseError()) {
      // A lone surrogate ("\ud83d") is valid to JSON.parse but not to RapidJSON;
      // such lines are compared as text (see Agrees). Pick the id out by hand.
      const std::string prefix = "{\"id\":\"";
      if (line.rfind(prefix, 0) != 0) continue;
      std::size_t end = line.find('"', prefix.size());
      if (end == std::string::npos) continue;
      out[line.substr(prefix.size(), end - prefix.size())].raw = line;
      continue;
    }
    const JsonValue* id = FindMember(*doc, "id");
    if (!id || !id->IsString()) continue;
    Expected& e = out[std::string(idp::AsView(*id))];
    e.doc = std::move(doc);
    e.raw = line;
  }
  if (fs::exists(divergences)) {
    auto div = ParseJson(ReadFile(divergences), divergences.string());
    if (const JsonValue* list = FindMember(*div, "cases"); list && list->IsArray()) {
      for (const auto& d : list->GetArray()) {
        const JsonValue* id = FindMember(d, "id");
        const JsonValue* marker = FindMember(d, "error_contains");
        if (id && id->IsString() && marker && marker->IsString()) {
          out[std::string(idp::AsView(*id))].refusal_marker = std::string(idp::AsView(*marker));
        }
      }
    }
  }
  return out;
}

bool Agrees(const std::string& id, const Expected& exp, const tmpl::RenderResult& r) {
  if (!exp.refusal_marker.empty()) return r.error && r.error->message.find(exp.refusal_marker) != std::string::npos;
  if (!exp.doc) {
    // Text comparison with the line the CLI would print (both sides escape
    // lone surrogates the same way); only a successful render can match.
    std::string line = "{\"id\":\"" + id + "\",\"rendered\":" + r.rendered_json + ",\"error\":null";
    if (r.undefined) line += ",\"undefined\":true";
    if (r.fallback) line += ",\"fallback\":true";
    return !r.error && line + "}" == exp.raw;
  }
  auto flag = [&](const char* name) {
    const JsonValue* v = FindMember(*exp.doc, name);
    return v && v->IsBool() && v->GetBool();
  };
  const JsonValue* rendered = FindMember(*exp.doc, "rendered");
  const JsonValue* error = FindMember(*exp.doc, "error");
  Json actual;
  actual.Parse(r.rendered_json.data(), r.rendered_json.size());
  if (actual.HasParseError()) return false;
  bool same_rendered = rendered ? actual == *rendered : actual.IsNull();
  bool exp_error = error && !error->IsNull();
  return same_rendered && flag("undefined") == r.undefined && flag("fallback") == r.fallback &&
         exp_error == r.error.has_value();
}

// --- the skeleton -------------------------------------------------------------

// A block of a realistic fetch:template skeleton (a TypeScript service module):
// substitutions, filters with arguments, a Backstage filter (parseRepoUrl),
// loops with loop.* variables, if/elif/else, set, and dump. NNN becomes the
// block number so no two blocks are identical text.
constexpr std::string_view kSkeletonBlock = R"TPL(// ---------------------------------------------------------------------------
// Module NNN of ${{ values.name }}: generated by the ${{ values.name | upper }} template
/**
 * ${{ values.description | default("No description provided") | trim }}
 * Owner: ${{ values.owner | replace("group:", "") }} | System: ${{ values.system | default("none") }}
 * Repository: ${{ (values.repoUrl | parseRepoUrl).owner }}/${{ (values.repoUrl | parseRepoUrl).repo }}
 */
{% for dep in values.dependencies %}
import ${{ dep.name | replace("-", "_") | lower }}NNN from '${{ dep.package }}';
{% endfor %}
{% set prefix = values.name | replace("-", "_") | upper %}
export const ${{ prefix }}_NAME_NNN = '${{ values.name }}';
export const ${{ prefix }}_TITLE_NNN = '${{ values.name | replace("-", " ") | title }}';
export const ${{ prefix }}_VERSION_NNN = '${{ values.version | default("0.1.0") }}';
{% if values.database and values.database.enabled %}
export const DATABASE_URL_NNN = 'postgres://${{ values.database.host }}:${{ values.database.port }}/${{ values.name | replace("-", "_") }}';
{% elif values.cache %}
export const DATABASE_URL_NNN = 'redis://${{ values.cache }}';
{% else %}
export const DATABASE_URL_NNN = undefined;
{% endif %}

export function registerRoutesNNN(router: Router): void {
{% for ep in values.endpoints %}
  router.${{ ep.method | lower }}('/${{ values.name }}${{ ep.path }}', handle${{ ep.name | capitalize }}NNN); // ${{ loop.index }} of ${{ loop.length }}{% if loop.last %} (last){% endif %}

{% endfor %}
}

export const TAGS_NNN = [{% for tag in values.tags %}'${{ tag | lower }}'{% if not loop.last %}, {% endif %}{% endfor %}];
export const CONFIG_NNN = ${{ values.config | dump }};
export const REPLICAS_NNN = ${{ values.replicas if values.replicas > 1 else 1 }};
{% if values.tags | length > 3 %}// ${{ values.tags | length }} tags, first: ${{ values.tags | first }}, sorted: ${{ values.tags | sort | join(",") }}{% endif %}

)TPL";

// Repeats kSkeletonBlock (with its number) while the text stays within
// `max_bytes`: 1 MiB by default, which is also idp's default max_source_bytes.
std::string MakeSkeleton(std::size_t max_bytes) {
  std::string out;
  for (int n = 1;; ++n) {
    std::string block(kSkeletonBlock);
    std::string num = std::to_string(n);
    for (std::size_t p = 0; (p = block.find("NNN", p)) != std::string::npos; p += num.size()) block.replace(p, 3, num);
    if (out.size() + block.size() > max_bytes) break;
    out += block;
  }
  return out;
}

// The values the skeleton is rendered with: { "values": ... } as
// fetch:template passes them.
constexpr std::string_view kSkeletonContext = R"({"values":{
  "name":"payments-service","description":"  Handles card payments and refunds.  ",
  "owner":"group:default/payments","system":"billing",
  "repoUrl":"github.com?owner=acme&repo=payments-service","version":"2.3.1",
  "dependencies":[{"name":"express","package":"express"},{"name":"pino-http","package":"pino-http"},
    {"name":"node-fetch","package":"node-fetch"},{"name":"zod","package":"zod"},
    {"name":"backstage-client","package":"@backstage/catalog-client"}],
  "database":{"enabled":true,"host":"db.internal","port":5432},"cache":"cache.internal:6379",
  "endpoints":[{"method":"GET","path":"/health","name":"health"},{"method":"POST","path":"/payments","name":"create"},
    {"method":"GET","path":"/payments/:id","name":"get"},{"method":"DELETE","path":"/payments/:id","name":"cancel"}],
  "tags":["Payments","TypeScript","Backend","PCI"],
  "config":{"port":7007,"logLevel":"info","features":{"refunds":true,"webhooks":false},"regions":["eu","us"]},
  "replicas":3}}
)";

// --- timing ---------------------------------------------------------------------

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Timing {
  long passes = 0;
  double wall = 0;
  double cpu = 0;
};

// Runs whole passes until `min_time` wall seconds have gone by and at least
// `min_passes` passes were made (a fixed amount of work for profilers).
template <typename Pass>
Timing Measure(double min_time, long min_passes, Pass&& pass) {
  using clock = std::chrono::steady_clock;
  Timing t;
  auto start = clock::now();
  double cpu0 = CpuSeconds();
  do {
    pass();
    ++t.passes;
    t.wall = std::chrono::duration<double>(clock::now() - start).count();
  } while (t.wall < min_time || t.passes < min_passes);
  t.cpu = CpuSeconds() - cpu0;
  return t;
}

struct Row {
  std::string name;
  std::string unit;    // "cases" or "MB" (10^6 bytes of template source)
  double amount = 0;   // units processed in the timed passes
  Timing timing;
  std::string note;
};

// Prevents the optimiser from dropping results; also a cheap checksum.
std::size_t g_sink = 0;

// --- main -------------------------------------------------------------------------

struct Args {
  fs::path cases = fs::path(IDP_SOURCE_DIR) / "tests/conformance/template/cases.jsonl";
  fs::path expected;     // default: next to cases
  fs::path divergences;  // default: next to cases
  fs::path skeleton_dir;
  fs::path write_skeleton;
  fs::path dump_output;
  std::size_t skeleton_bytes = 1 << 20;
  double min_time = 2.0;
  long min_passes = 1;
  bool tsv = false;
  std::vector<std::string> only;
};

[[noreturn]] void Usage(int code) {
  std::fprintf(code ? stderr : stdout,
               "usage: idp_template_bench [--only ROW,...] [--min-time S] [--passes N] [--tsv]\n"
               "         [--cases FILE] [--expected FILE] [--divergences FILE]\n"
               "         [--skeleton DIR | --skeleton-bytes N] [--write-skeleton DIR]\n"
               "         [--dump-skeleton-output FILE]\n"
               "rows: cases-cached cases-parse cases-default skeleton-cached skeleton-parse\n");
  std::exit(code);
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(2);
      return argv[++i];
    };
    if (arg == "--cases") a.cases = value();
    else if (arg == "--expected") a.expected = value();
    else if (arg == "--divergences") a.divergences = value();
    else if (arg == "--skeleton") a.skeleton_dir = value();
    else if (arg == "--skeleton-bytes") a.skeleton_bytes = std::stoul(value());
    else if (arg == "--write-skeleton") a.write_skeleton = value();
    else if (arg == "--dump-skeleton-output") a.dump_output = value();
    else if (arg == "--min-time") a.min_time = std::stod(value());
    else if (arg == "--passes") a.min_passes = std::stol(value());
    else if (arg == "--tsv") a.tsv = true;
    else if (arg == "--only") {
      std::string list = value();
      for (std::size_t p = 0; p <= list.size();) {
        std::size_t comma = std::min(list.find(',', p), list.size());
        if (comma > p) a.only.push_back(list.substr(p, comma - p));
        p = comma + 1;
      }
    } else if (arg == "--help" || arg == "-h") Usage(0);
    else Usage(2);
  }
  if (a.expected.empty()) a.expected = a.cases.parent_path() / "expected.jsonl";
  if (a.divergences.empty()) a.divergences = a.cases.parent_path() / "divergences.json";
  return a;
}

int Run(const Args& args) {
  if (!args.write_skeleton.empty()) {
    fs::create_directories(args.write_skeleton);
    WriteFile(args.write_skeleton / "skeleton.tmpl", MakeSkeleton(args.skeleton_bytes));
    WriteFile(args.write_skeleton / "skeleton-context.json", kSkeletonContext);
    return 0;
  }
  auto wanted = [&](std::string_view row) {
    return args.only.empty() || std::find(args.only.begin(), args.only.end(), row) != args.only.end();
  };
  std::vector<Row> rows;

  if (wanted("cases-cached") || wanted("cases-parse") || wanted("cases-default")) {
    std::vector<Case> cases = LoadCases(args.cases);
    auto expected = LoadExpected(args.expected, args.divergences);
    std::map<std::string, int> modes;
    for (const Case& c : cases) ++modes[c.mode_name];
    std::string mix;
    for (const auto& [m, n] : modes) mix += (mix.empty() ? "" : ", ") + std::to_string(n) + " " + m;
    std::fprintf(stderr, "idp: %zu conformance cases (%s)\n", cases.size(), mix.c_str());

    auto render_all = [&](const tmpl::Engine& engine) {
      for (const Case& c : cases) {
        if (!c.tmpl) continue;  // undefined without rendering, as the CLI answers
        tmpl::RenderResult r = engine.Render(c.mode, *c.tmpl, *c.ctx, c.options);
        g_sink += r.rendered_json.size();
      }
    };
    // cache_entries: nullopt keeps the default; 0 keeps only the last template.
    auto run_cases = [&](const std::string& name, std::optional<std::size_t> cache_entries, const std::string& note) {
      if (!wanted(name)) return;
      tmpl::EngineConfig config;
      if (cache_entries) config.cache_entries = *cache_entries;
      tmpl::Engine engine(config);
      // Warm-up pass, checked against the oracle so a fast but wrong engine shows.
      int agree = 0;
      for (const Case& c : cases) {
        tmpl::RenderResult r;
        if (c.tmpl) r = engine.Render(c.mode, *c.tmpl, *c.ctx, c.options);
        else r.undefined = true;
        auto it = expected.find(c.id);
        if (it != expected.end() && Agrees(c.id, it->second, r)) ++agree;
      }
      std::fprintf(stderr, "idp %s: %d of %zu cases agree with expected.jsonl\n", name.c_str(), agree, cases.size());
      Timing t = Measure(args.min_time, args.min_passes, [&] { render_all(engine); });
      rows.push_back({name, "cases", static_cast<double>(t.passes) * static_cast<double>(cases.size()), t, note});
    };
    run_cases("cases-cached", std::size_t{1} << 20, "compiled once, rendered many");
    run_cases("cases-parse", 0, "parsed on every render");
    run_cases("cases-default", std::nullopt, "EngineConfig defaults (cache_entries 512)");
  }

  if (wanted("skeleton-cached") || wanted("skeleton-parse")) {
    std::string source = args.skeleton_dir.empty() ? MakeSkeleton(args.skeleton_bytes)
                                                   : ReadFile(args.skeleton_dir / "skeleton.tmpl");
    std::string ctx_text = args.skeleton_dir.empty() ? std::string(kSkeletonContext)
                                                     : ReadFile(args.skeleton_dir / "skeleton-context.json");
    auto ctx = ParseJson(ctx_text, "skeleton context");
    tmpl::SyntaxOptions syntax;  // fetch:template defaults: no trimBlocks/lstripBlocks
    // Limits sized for the file, so a bigger --skeleton-bytes is not refused.
    tmpl::EngineConfig config;
    config.limits.max_source_bytes = std::max(config.limits.max_source_bytes, source.size());
    config.limits.max_output_bytes = std::max(config.limits.max_output_bytes, source.size() * 8);
    config.limits.max_steps = std::max<std::uint64_t>(config.limits.max_steps, source.size() * 8);
    double mb = static_cast<double>(source.size()) / 1e6;
    try {
      std::string out = tmpl::Engine(config).RenderText(source, *ctx, syntax);
      std::fprintf(stderr, "idp: skeleton %zu bytes of template -> %zu bytes rendered\n", source.size(), out.size());
      if (!args.dump_output.empty()) WriteFile(args.dump_output, out);
    } catch (const tmpl::EngineError& e) {
      throw std::runtime_error("skeleton render failed: " + tmpl::ToTemplateError(e).message);
    }
    if (wanted("skeleton-cached")) {
      tmpl::Engine engine(config);
      g_sink += engine.RenderText(source, *ctx, syntax).size();  // compiles and caches
      Timing t = Measure(args.min_time, args.min_passes, [&] { g_sink += engine.RenderText(source, *ctx, syntax).size(); });
      rows.push_back({"skeleton-cached", "MB", mb * static_cast<double>(t.passes), t, "compiled once, rendered many"});
    }
    if (wanted("skeleton-parse")) {
      config.cache_entries = 0;
      tmpl::Engine engine(config);
      // The one-entry cache would hit on the same text: clear it by compiling
      // a different (empty) template between renders.
      Timing t = Measure(args.min_time, args.min_passes, [&] {
        g_sink += engine.RenderText(source, *ctx, syntax).size();
        engine.Compiled("", syntax);
      });
      rows.push_back({"skeleton-parse", "MB", mb * static_cast<double>(t.passes), t, "parsed + rendered each time"});
    }
  }

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: KiB

  if (args.tsv) {
    // row, unit, amount, wall s, cpu s, passes, peak RSS MiB (of the whole process so far)
    for (const Row& r : rows) {
      std::printf("idp\t%s\t%s\t%.6f\t%.6f\t%.6f\t%ld\t%.1f\n", r.name.c_str(), r.unit.c_str(), r.amount,
                  r.timing.wall, r.timing.cpu, r.timing.passes, rss_mib);
    }
  } else {
    std::printf("%-16s %10s %8s %8s %14s %14s  %s\n", "row", "amount", "wall s", "cpu s", "rate (wall)", "rate (cpu)",
                "what");
    for (const Row& r : rows) {
      std::string unit = r.unit == "MB" ? "MB/s" : "cases/s";
      std::printf("%-16s %10.2f %8.3f %8.3f %9.1f %-4s %9.1f %-4s  %s\n", r.name.c_str(), r.amount, r.timing.wall,
                  r.timing.cpu, r.amount / r.timing.wall, unit == "MB/s" ? "MB/s" : "/s", r.amount / r.timing.cpu,
                  unit == "MB/s" ? "MB/s" : "/s", r.note.c_str());
    }
    std::printf("peak RSS: %.1f MiB\n", rss_mib);
  }
  return !rows.empty() && g_sink == 0 ? 1 : 0;  // rows that rendered nothing are a failure
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(ParseArgs(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "idp_template_bench: %s\n", e.what());
    return 2;
  }
}
