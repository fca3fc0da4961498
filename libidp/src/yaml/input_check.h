// Finds the first byte libyaml's reader would refuse: invalid UTF-8 (overlong
// forms, surrogates, > U+10FFFF, truncated sequences) or a character outside
// YAML 1.1's printable set (C0/C1 controls other than TAB/LF/CR/NEL, DEL,
// U+FFFE/U+FFFF). libyaml decodes up to 16 KiB ahead of the parse and reports
// such errors early, so we check first and cut the parse at the bad document.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace idp::yaml {

struct BadInput {
  std::size_t offset = std::string_view::npos;  // npos: none
  std::string what;
};

BadInput FindBadInput(std::string_view text, std::size_t from);

}  // namespace idp::yaml
