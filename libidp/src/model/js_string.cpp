#include "model/js_string.h"

#include <algorithm>
#include <clocale>
#include <cstdio>
#include <utility>
#include <cwctype>
#include <string>

#include <locale.h>  // newlocale, towlower_l (POSIX 2008)

#include "core/utf8.h"
#include "model/entity_ref.h"

namespace idp::model {

char32_t DecodeUtf8(std::string_view s, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(pos);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++pos;
    return 0xFFFD;
  }
  if (pos + len > s.size()) {
    ++pos;
    return 0xFFFD;
  }
  for (std::size_t i = 1; i < len; ++i) {
    const unsigned char b = byte(pos + i);
    if ((b & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++pos;
    return 0xFFFD;
  }
  pos += len;
  return cp;
}

namespace {

// Sort key of a code point's first UTF-16 unit, then its second (0 if none).
std::pair<char32_t, char32_t> Utf16Units(char32_t cp) {
  if (cp < 0x10000) return {cp, 0};
  const char32_t v = cp - 0x10000;
  return {0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)};
}

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }


// glibc's C.UTF-8 carries the full Unicode simple case mapping; created once,
// never modified, so sharing it between threads is safe.
locale_t Utf8Locale() {
  static const locale_t loc = [] {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
    return l;
  }();
  return loc;
}

char32_t SimpleLower(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  const locale_t loc = Utf8Locale();
  if (loc == locale_t{}) return cp;  // no C.UTF-8: non-ASCII left unchanged
  return static_cast<char32_t>(towlower_l(static_cast<wint_t>(cp), loc));
}

bool IsCased(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
  const locale_t loc = Utf8Locale();
  if (loc == locale_t{}) return false;
  const auto w = static_cast<wint_t>(cp);
  return iswupper_l(w, loc) || iswlower_l(w, loc) || towlower_l(w, loc) != w ||
         towupper_l(w, loc) != w;
}

// A practical subset of Unicode's Case_Ignorable (apostrophes, dots, colons,
// combining marks), enough for the Final_Sigma context.
bool IsCaseIgnorable(char32_t cp) {
  switch (cp) {
    case '\'': case '.': case ':': case '^': case '`': case 0xA8: case 0xAD: case 0xAF:
    case 0xB4: case 0xB7: case 0xB8: case 0x2018: case 0x2019: case 0x2024: case 0x2027:
      return true;
    default:
      return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
             (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
             (cp >= 0xFE20 && cp <= 0xFE2F);
  }
}

}  // namespace

int CompareUtf16(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
  // UTF-8 byte order is code point order; it differs from UTF-16 order only
  // between U+E000..U+FFFF (lead byte EE/EF) and U+10000.. (F0..F4).
  const auto ca = static_cast<unsigned char>(a[i]);
  const auto cb = static_cast<unsigned char>(b[i]);
  if (ca < 0xEE && cb < 0xEE) return ca < cb ? -1 : 1;
  // Back up to the start of the code point in which the strings diverge.
  while (i > 0 && IsContinuation(a[i])) --i;
  std::size_t pa = i, pb = i;
  const auto ua = Utf16Units(DecodeUtf8(a, pa));
  const auto ub = Utf16Units(DecodeUtf8(b, pb));
  if (ua != ub) return ua < ub ? -1 : 1;
  // Same code point decoded from different (invalid) bytes: fall back to bytes.
  return a.substr(i) < b.substr(i) ? -1 : 1;
}

std::size_t Utf16Length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i, ++n;
      continue;
    }
    n += DecodeUtf8(s, i) >= 0x10000 ? 2 : 1;
  }
  return n;
}

bool IsJsWhitespace(char32_t c) {
  switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

bool HasNonWhitespace(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (!IsJsWhitespace(DecodeUtf8(s, i))) return true;
  }
  return false;
}

// JavaScript's toLowerCase: Unicode default (locale-independent) full case
// mapping. ASCII is handled inline; other code points use glibc's C.UTF-8
// simple mapping plus the two special cases that differ from it: U+0130
// (-> "i" + U+0307) and the context-dependent final sigma.
std::string JsToLower(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  for (; i < utf8.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(utf8[i]);
    if (b >= 0x80) break;
    out.push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
  }
  if (i == utf8.size()) return out;

  while (i < utf8.size()) {
    const std::size_t start = i;
    const char32_t cp = DecodeUtf8(utf8, i);
    if (cp == 0x130) {
      out += "i\xCC\x87";
    } else if (cp == 0x3A3) {
      // Final_Sigma: preceded by a cased letter, not followed by one
      // (case-ignorable characters skipped on both sides).
      bool before = false;
      for (std::size_t j = start; j > 0;) {
        std::size_t k = j - 1;
        while (k > 0 && IsContinuation(utf8[k])) --k;
        std::size_t p = k;
        const char32_t c = DecodeUtf8(utf8, p);
        j = k;
        if (IsCaseIgnorable(c)) continue;
        before = IsCased(c);
        break;
      }
      bool after = false;
      for (std::size_t p = i; p < utf8.size();) {
        const char32_t c = DecodeUtf8(utf8, p);
        if (IsCaseIgnorable(c)) continue;
        after = IsCased(c);
        break;
      }
      AppendUtf8(out, before && !after ? 0x3C2 : 0x3C3);
    } else if (cp == 0xFFFD && utf8.substr(start, i - start) != "\xEF\xBF\xBD") {
      out.append(utf8.substr(start, i - start));  // keep invalid bytes as they were
    } else {
      AppendUtf8(out, SimpleLower(cp));
    }
  }
  return out;
}

std::string JsonQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace idp::model
