// Shared pieces of the `idp catalog` subcommands (catalog_command*.cpp).
#pragma once

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"

namespace idp::cli::catalog_cmd {

// Parsed `--name value` options (repeatable) and positional arguments.
struct Args {
  std::map<std::string, std::vector<std::string>> options;
  std::vector<std::string> positional;

  std::optional<std::string> One(const std::string& name) const;
  const std::vector<std::string>& All(const std::string& name) const;
};

// Parses argv[first..]; `known` lists the options that take a value. An
// unknown option sets `error`.
Args ParseArgs(int argc, char** argv, int first, const std::vector<std::string>& known, std::string& error);

// Opens --db; `must_exist`: a read command on a missing file is an error.
std::optional<catalog::Catalog> OpenCatalog(const Args& args, bool must_exist);

int Fail(int code, const std::string& message);  // prints "idp catalog: <message>"

int RunIngest(const Args& args);
int RunRefresh(const Args& args);
int RunGet(const Args& args);
int RunQuery(const Args& args);
int RunFacets(const Args& args);
int RunExport(const Args& args);
int RunGraph(const Args& args);
int RunAncestry(const Args& args);
int RunPath(const Args& args);
int RunCycles(const Args& args);
int RunDangling(const Args& args);

}  // namespace idp::cli::catalog_cmd
