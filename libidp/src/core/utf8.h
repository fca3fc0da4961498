// UTF-8 checks for text that came from files: JSON output must be valid
// UTF-8, and error messages may quote a file's raw bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace idp {

// Length of the valid UTF-8 sequence starting at s[i] (1 to 4) and its code
// point; 0 when the bytes there are not valid UTF-8 (overlong, surrogate,
// out of range, truncated).
std::size_t DecodeUtf8(std::string_view s, std::size_t i, char32_t& code_point);

bool IsValidUtf8(std::string_view s);

// Appends the UTF-8 encoding of a code point (no validity check).
void AppendUtf8(std::string& out, char32_t code_point);

// Every invalid sequence replaced by U+FFFD (one per offending byte).
std::string ToValidUtf8(std::string_view s);

}  // namespace idp
