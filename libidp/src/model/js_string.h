// JavaScript string semantics on UTF-8 text: Backstage compares, sorts,
// measures and lower-cases strings as JavaScript does (UTF-16 code units),
// and the engine must agree byte for byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace idp::model {

// Decodes one code point at `pos`, advancing it. Invalid bytes decode as
// U+FFFD (one byte consumed), as TextDecoder does.
char32_t DecodeUtf8(std::string_view s, std::size_t& pos);

// Three-way compare in UTF-16 code unit order (JavaScript's `<` and the
// default Array.prototype.sort). Differs from byte order only between
// U+E000..U+FFFF and supplementary code points.
int CompareUtf16(std::string_view a, std::string_view b);
inline bool Utf16Less(std::string_view a, std::string_view b) { return CompareUtf16(a, b) < 0; }

// `s.length` in JavaScript.
std::size_t Utf16Length(std::string_view s);

// ECMAScript WhiteSpace or LineTerminator (what String.prototype.trim removes).
bool IsJsWhitespace(char32_t c);
// `s.trim().length >= 1`.
bool HasNonWhitespace(std::string_view s);

// JSON.stringify of a string (UTF-8 in, UTF-8 out; only quotes, backslashes
// and control characters are escaped).
std::string JsonQuote(std::string_view s);

}  // namespace idp::model
