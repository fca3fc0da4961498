// Making text from catalog files (names, messages, paths) safe to print:
// files may hold invalid UTF-8 or control characters such as ANSI escapes.
#pragma once

#include <string>
#include <string_view>

namespace idp::cli {

// Invalid UTF-8 sequences replaced by U+FFFD.
std::string ValidUtf8(std::string_view s);

// Valid UTF-8 with C0/C1 control characters and DEL shown as \xNN (\n, \t as
// such), so a message cannot move the cursor or recolour a terminal.
std::string PrintableText(std::string_view s);

}  // namespace idp::cli
