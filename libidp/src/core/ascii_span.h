// Byte-class scans for the hot text paths (JSON output, YAML input checks):
// how many leading bytes need no further look. SSE2 (every x86-64) takes 16
// bytes a step; elsewhere 8-byte words. Written here rather than through
// RAPIDJSON_SSE2, whose 1.1.0 writer lets 0x1A-0x1F through unescaped.
#pragma once

#include <cstddef>

namespace idp {

// Leading bytes a JSON string may hold as they are: printable ASCII
// (0x20-0x7F) other than '"' and '\\'. Controls and non-ASCII stop the span.
std::size_t JsonPlainAsciiSpan(const char* s, std::size_t n);

// Leading bytes YAML's reader accepts without decoding: printable ASCII
// (0x20-0x7E) and TAB, LF, CR. DEL, other controls and non-ASCII stop it.
std::size_t YamlPlainAsciiSpan(const char* s, std::size_t n);

}  // namespace idp
