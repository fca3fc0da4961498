// Entry points of the idp subcommands; argv[0] is the subcommand's name.
// Exit codes: 0 success, 1 the input is invalid, 2 usage or I/O error.
#pragma once

namespace idp::cli {

int RunValidate(int argc, char** argv);
int RunTemplate(int argc, char** argv);
int RunCatalog(int argc, char** argv);
int RunScaffold(int argc, char** argv);

}  // namespace idp::cli
