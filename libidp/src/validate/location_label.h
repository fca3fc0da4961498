// The location a file is read through, named the way Backstage names it:
// the target is the file label after Node's path.normalize (the oracle
// registers `path.normalize(file)`), the ref is `<type>:<target>`.
#pragma once

#include <string>
#include <string_view>

namespace idp::catalog {

// Node's POSIX path.normalize: collapses `//`, `.` and `..` (kept at the
// start of relative paths), keeps a trailing slash, "" -> ".".
std::string NodePathNormalize(std::string_view path);

struct LocationLabel {
  std::string type;    // "file"
  std::string target;  // normalized file label
  std::string ref;     // "file:<target>"
};

LocationLabel MakeLocationLabel(std::string_view type, std::string_view file_label);

}  // namespace idp::catalog
