#include "yaml/input_check.h"

#include <cstdint>

#include "core/ascii_span.h"

namespace idp::yaml {
namespace {

std::string HexByte(unsigned v) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string("0x") + kDigits[(v >> 4) & 0xF] + kDigits[v & 0xF];
}

std::string CodePoint(std::uint32_t cp) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string s = "U+";
  for (int shift = cp > 0xFFFF ? 20 : 12; shift >= 0; shift -= 4) s.push_back(kDigits[(cp >> shift) & 0xF]);
  return s;
}

bool Printable(std::uint32_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0x7E) || c == 0x85 ||
         (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

}  // namespace

BadInput FindBadInput(std::string_view text, std::size_t from) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = from;
  while (i < n) {
    // Fast path: the run of printable ASCII (line breaks included) ahead.
    i += YamlPlainAsciiSpan(text.data() + i, n - i);
    if (i >= n) break;
    const unsigned c = s[i];
    if (c < 0x80) {
      if (!Printable(c)) return {i, "control character " + CodePoint(c) + " is not allowed"};
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    std::uint32_t min = 0;
    if ((c & 0xE0u) == 0xC0u) {
      len = 2, cp = c & 0x1Fu, min = 0x80;
    } else if ((c & 0xF0u) == 0xE0u) {
      len = 3, cp = c & 0x0Fu, min = 0x800;
    } else if ((c & 0xF8u) == 0xF0u) {
      len = 4, cp = c & 0x07u, min = 0x10000;
    } else {
      return {i, "invalid UTF-8: unexpected byte " + HexByte(c)};
    }
    if (i + len > n) return {i, "invalid UTF-8: truncated sequence at " + HexByte(c)};
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned t = s[i + k];
      if ((t & 0xC0u) != 0x80u) {
        return {i, "invalid UTF-8: byte " + HexByte(c) + " followed by " + HexByte(t)};
      }
      cp = (cp << 6) | (t & 0x3Fu);
    }
    if (cp < min) return {i, "invalid UTF-8: overlong encoding starting " + HexByte(c)};
    if (cp >= 0xD800 && cp <= 0xDFFF) return {i, "invalid UTF-8: encoded surrogate " + CodePoint(cp)};
    if (cp > 0x10FFFF) return {i, "invalid UTF-8: code point beyond U+10FFFF"};
    if (!Printable(cp)) return {i, "character " + CodePoint(cp) + " is not allowed"};
    i += len;
  }
  return {};
}

}  // namespace idp::yaml
