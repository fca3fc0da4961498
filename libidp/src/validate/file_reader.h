// Reading whole files with a size cap, with errors worded like Node's fs
// (`ENOENT: no such file or directory, open 'x.yaml'`), which is what the
// oracle prints for unreadable files.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/status.h"

namespace idp::catalog {

// Reads `path`; `shown` is the name used in messages. Fails with kIo for
// missing/unreadable files and directories, kLimit when larger than max_bytes.
Result<std::string> ReadFileCapped(const std::filesystem::path& path, std::string_view shown,
                                   std::size_t max_bytes);

}  // namespace idp::catalog
