// `idp`: the command line front of libidp. Each subcommand lives in its own
// file; this table is the only place that knows them all.
#include <malloc.h>

#include <cstdio>
#include <cstring>
#include <string_view>

#include "commands.h"

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);  // argv[0] is the subcommand name
};

constexpr Command kCommands[] = {
    {"validate", "validate catalog-info YAML files against Backstage's rules", idp::cli::RunValidate},
    {"template", "render Backstage scaffolder templates (render --cases FILE.jsonl)", idp::cli::RunTemplate},
    {"catalog", "a catalog in an SQLite file: ingest, refresh, get, query, facets, export, graph", idp::cli::RunCatalog},
    {"scaffold", "run or dry-run a scaffolder Template locally; list the actions", idp::cli::RunScaffold},
};

void PrintUsage(std::FILE* out) {
  std::fprintf(out, "usage: idp <command> [options]\n\ncommands:\n");
  for (const auto& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.summary);
  std::fprintf(out, "\n`idp <command> --help` describes a command; `idp --version` prints the version.\n");
}

}  // namespace

int main(int argc, char** argv) {
  // Validation allocates and frees a few MB per file: glibc's default trims
  // the heap after each, and the page faults of growing it again cost a
  // fifth of the run. A CLI process can keep what it had.
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's maximum
  if (argc < 2) {
    PrintUsage(stderr);
    return 2;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(stdout);
    return 0;
  }
  if (name == "--version") {
    std::printf("idp %s\n", IDP_VERSION_STRING);
    return 0;
  }
  for (const auto& c : kCommands) {
    if (name == c.name) return c.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "idp: unknown command '%s'\n", argv[1]);
  PrintUsage(stderr);
  return 2;
}
