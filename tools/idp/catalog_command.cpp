// `idp catalog <subcommand> --db FILE ...`: the catalog over an SQLite file.
// This file: argument handling, dispatch, and the writing subcommands.
#include "catalog_command.h"

#include <cstring>
#include <filesystem>

#include "commands.h"

namespace idp::cli {
namespace catalog_cmd {

std::optional<std::string> Args::One(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

const std::vector<std::string>& Args::All(const std::string& name) const {
  static const std::vector<std::string> kNone;
  auto it = options.find(name);
  return it == options.end() ? kNone : it->second;
}

Args ParseArgs(int argc, char** argv, int first, const std::vector<std::string>& known, std::string& error) {
  Args out;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (!a.starts_with("--")) {
      out.positional.push_back(std::move(a));
      continue;
    }
    std::string value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string::npos) {
      value = a.substr(eq + 1);
      a.resize(eq);
      has_value = true;
    }
    if (std::find(known.begin(), known.end(), a) == known.end()) {
      error = "unknown option " + a;
      return out;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        error = a + " wants a value";
        return out;
      }
      value = argv[++i];
    }
    out.options[a].push_back(std::move(value));
  }
  return out;
}

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "idp catalog: %s\n", message.c_str());
  return code;
}

std::optional<catalog::Catalog> OpenCatalog(const Args& args, bool must_exist) {
  const auto db = args.One("--db");
  if (!db) {
    Fail(2, "--db FILE is required");
    return std::nullopt;
  }
  std::error_code ec;
  if (must_exist && *db != ":memory:" && !std::filesystem::exists(*db, ec)) {
    Fail(2, "no catalog database at " + *db + " (run `idp catalog ingest` first)");
    return std::nullopt;
  }
  catalog::CatalogOptions options;
  options.db_path = *db;
  // What the user names on the command line may be read: the folder of each
  // registered file, plus any --allow-root.
  options.allow_location_dirs = true;
  options.allow_location_hosts = true;
  options.url.allowlist = args.All("--allow-url");
  for (const std::string& r : args.All("--allow-root")) {
    options.allowed_roots.push_back(std::filesystem::absolute(r, ec).lexically_normal());
  }
  if (args.One("--orphans") == "keep") options.orphan_strategy = store::OrphanStrategy::kKeep;
  auto c = catalog::Catalog::Open(std::move(options));
  if (!c.ok()) {
    Fail(2, c.status().message());
    return std::nullopt;
  }
  return std::move(c).value();
}

namespace {

// Processing failures make the input invalid (exit 1), like `idp validate`.
int ReportRefresh(const Result<catalog::RefreshReport>& r, const catalog::Catalog& c) {
  if (!r.ok()) return Fail(2, r.status().message());
  auto refs = c.ListRefs();
  std::fprintf(stderr, "%zu processed, %zu failed, %zu written, %zu stitched, %zu deleted, %zu stored\n",
               r->processed, r->failed, r->written, r->stitched, r->deleted.size(),
               refs.ok() ? refs->size() : std::size_t{0});
  for (const std::string& conflict : r->conflicts) std::fprintf(stderr, "conflict: %s\n", conflict.c_str());
  for (const auto& f : r->stitch_failures) {
    std::fprintf(stderr, "stitch failed: %s: %s\n", f.ref.c_str(), f.message.c_str());
  }
  return r->failed != 0 || !r->stitch_failures.empty() ? 1 : 0;
}

}  // namespace

int RunIngest(const Args& args) {
  if (args.positional.empty()) return Fail(2, "ingest wants at least one LOCATION (a file, glob or http(s) URL)");
  auto c = OpenCatalog(args, false);
  if (!c) return 2;
  for (const std::string& location : args.positional) {
    // http(s) URLs (also as "url:<URL>") are url locations, the rest files.
    const std::string url = location.starts_with("url:") ? location.substr(4) : location;
    const bool is_url = location.starts_with("url:") || url.starts_with("http://") || url.starts_with("https://");
    auto added = is_url ? c->AddUrlLocation(url) : c->AddFileLocation(location);
    // Re-ingesting into the same database: the location is already there.
    if (!added.ok() && added.status().code() != Code::kInvalid) return Fail(2, added.status().message());
  }
  return ReportRefresh(c->Refresh(), *c);
}

int RunRefresh(const Args& args) {
  if (!args.positional.empty()) return Fail(2, "refresh takes no arguments");
  auto c = OpenCatalog(args, true);
  if (!c) return 2;
  return ReportRefresh(c->Refresh(), *c);
}

}  // namespace catalog_cmd

namespace {

struct Sub {
  const char* name;
  int (*run)(const catalog_cmd::Args&);
  std::vector<std::string> options;
};

void PrintHelp(std::FILE* out) {
  std::fprintf(out,
               "usage: idp catalog <command> --db FILE [options]\n\n"
               "  ingest LOCATION...     register each file or http(s) URL as a location (in order),\n"
               "                         process, stitch\n"
               "  refresh                re-process every registered location\n"
               "  get REF                print one entity (JSON)\n"
               "  query [--filter F]... [--fields a,b] [--order [-]field] [--text TERM]\n"
               "        [--offset N] [--limit N] [--cursor C]   print {items,totalItems,pageInfo}\n"
               "  facets --facet KEY... [--filter F]...          print {facets}\n"
               "  export --format jsonl  one line per entity, sorted by ref\n"
               "  graph REF [--depth N] [--relations a,b] [--direction out|in|both]\n"
               "        [--format json|dot|mermaid|svg]   svg: needs Graphviz's dot on PATH\n"
               "  ancestry REF           the entities that brought REF in, up to its location\n"
               "  path FROM TO [--relations a,b] [--direction out|in|both]   fewest-hops chain\n"
               "  cycles --relations a,b  cycles along those relations (exit 1 when there are some)\n"
               "  dangling               relations whose target is not in the catalog (exit 1 when some)\n\n"
               "common: --allow-root DIR (repeatable; the folder of every registered file is\n"
               "allowed already), --allow-url HOST[:PORT][/PATH] (repeatable, `*.example.com` for\n"
               "subdomains; the host of every registered URL is allowed already), --orphans\n"
               "delete|keep (default delete)\n");
}

}  // namespace

int RunCatalog(int argc, char** argv) {
  using namespace catalog_cmd;
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    PrintHelp(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::vector<std::string> common = {"--db", "--allow-root", "--allow-url", "--orphans"};
  const Sub subs[] = {
      {"ingest", RunIngest, {}},
      {"refresh", RunRefresh, {}},
      {"get", RunGet, {}},
      {"query", RunQuery, {"--filter", "--fields", "--order", "--text", "--offset", "--limit", "--cursor"}},
      {"facets", RunFacets, {"--facet", "--filter"}},
      {"export", RunExport, {"--format"}},
      {"graph", RunGraph, {"--depth", "--relations", "--direction", "--format"}},
      {"ancestry", RunAncestry, {}},
      {"path", RunPath, {"--relations", "--direction"}},
      {"cycles", RunCycles, {"--relations"}},
      {"dangling", RunDangling, {}},
  };
  for (const Sub& s : subs) {
    if (std::strcmp(argv[1], s.name) != 0) continue;
    std::vector<std::string> known = common;
    known.insert(known.end(), s.options.begin(), s.options.end());
    std::string error;
    Args args = ParseArgs(argc, argv, 2, known, error);
    if (!error.empty()) return Fail(2, std::string(s.name) + ": " + error);
    return s.run(args);
  }
  std::fprintf(stderr, "idp catalog: unknown command '%s'\n", argv[1]);
  PrintHelp(stderr);
  return 2;
}

}  // namespace idp::cli
