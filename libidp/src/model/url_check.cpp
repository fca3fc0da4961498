#include "model/url_check.h"

#include <cstdint>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "model/entity_ref.h"
#include "model/js_string.h"

namespace idp::model {

namespace {

constexpr bool IsAsciiAlpha(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
constexpr bool IsAsciiHex(char32_t c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int HexValue(char32_t c) {
  if (IsAsciiDigit(c)) return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  return static_cast<int>(c - 'A' + 10);
}

bool IsForbiddenHostCodePoint(char32_t c) {
  switch (c) {
    case 0x00: case 0x09: case 0x0A: case 0x0D: case ' ': case '#': case '/': case ':':
    case '<': case '>': case '?': case '@': case '[': case '\\': case ']': case '^': case '|':
      return true;
    default:
      return false;
  }
}

bool IsForbiddenDomainCodePoint(char32_t c) {
  return IsForbiddenHostCodePoint(c) || c <= 0x1F || c == '%' || c == 0x7F;
}

// --- IPv6 (URL Standard "IPv6 parser"), on ASCII text -----------------------
bool ParseIpv6(std::string_view in) {
  std::uint32_t address[8] = {};
  int piece = 0;
  int compress = -1;
  std::size_t p = 0;
  const auto at = [&](std::size_t i) -> char32_t { return i < in.size() ? static_cast<unsigned char>(in[i]) : 0xFFFFFFFF; };
  constexpr char32_t kEof = 0xFFFFFFFF;
  if (at(p) == ':') {
    if (at(p + 1) != ':') return false;
    p += 2;
    compress = ++piece;
  }
  while (at(p) != kEof) {
    if (piece == 8) return false;
    if (at(p) == ':') {
      if (compress != -1) return false;
      ++p;
      compress = ++piece;
      continue;
    }
    std::uint32_t value = 0;
    int length = 0;
    while (length < 4 && at(p) != kEof && IsAsciiHex(at(p))) {
      value = value * 16 + static_cast<std::uint32_t>(HexValue(at(p)));
      ++p, ++length;
    }
    if (at(p) == '.') {
      if (length == 0) return false;
      p -= static_cast<std::size_t>(length);
      if (piece > 6) return false;
      int numbers_seen = 0;
      while (at(p) != kEof) {
        int ipv4_piece = -1;
        if (numbers_seen > 0) {
          if (at(p) == '.' && numbers_seen < 4) {
            ++p;
          } else {
            return false;
          }
        }
        if (at(p) == kEof || !IsAsciiDigit(at(p))) return false;
        while (at(p) != kEof && IsAsciiDigit(at(p))) {
          const int number = static_cast<int>(at(p) - '0');
          if (ipv4_piece == -1) {
            ipv4_piece = number;
          } else if (ipv4_piece == 0) {
            return false;
          } else {
            ipv4_piece = ipv4_piece * 10 + number;
          }
          if (ipv4_piece > 255) return false;
          ++p;
        }
        address[piece] = address[piece] * 0x100 + static_cast<std::uint32_t>(ipv4_piece);
        ++numbers_seen;
        if (numbers_seen == 2 || numbers_seen == 4) ++piece;
      }
      if (numbers_seen != 4) return false;
      break;
    }
    if (at(p) == ':') {
      ++p;
      if (at(p) == kEof) return false;
    } else if (at(p) != kEof) {
      return false;
    }
    address[piece] = value;
    ++piece;
  }
  return compress != -1 || piece == 8;
}

// --- IPv4 ---------------------------------------------------------------------
// Returns false on failure; `value` saturates above 2^32.
bool ParseIpv4Number(std::string_view s, std::uint64_t& value) {
  if (s.empty()) return false;
  int radix = 10;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    radix = 16;
    s.remove_prefix(2);
  } else if (s.size() >= 2 && s[0] == '0') {
    radix = 8;
    s.remove_prefix(1);
  }
  value = 0;
  for (char c : s) {
    int d = -1;
    if (radix == 16 && IsAsciiHex(static_cast<unsigned char>(c))) d = HexValue(static_cast<unsigned char>(c));
    if (radix == 10 && IsAsciiDigit(static_cast<unsigned char>(c))) d = c - '0';
    if (radix == 8 && c >= '0' && c <= '7') d = c - '0';
    if (d < 0) return false;
    if (value <= (std::uint64_t{1} << 33)) value = value * static_cast<std::uint64_t>(radix) + static_cast<std::uint64_t>(d);
  }
  return true;
}

std::vector<std::string_view> SplitDots(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = s.find('.', start);
    parts.push_back(s.substr(start, dot == s.npos ? s.npos : dot - start));
    if (dot == s.npos) return parts;
    start = dot + 1;
  }
}

bool EndsInANumber(std::string_view domain) {
  if (domain.empty()) return false;
  if (domain.back() == '.') domain.remove_suffix(1);  // one trailing empty label is ignored
  const std::size_t dot = domain.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? domain : domain.substr(dot + 1);
  if (last.empty()) return false;
  bool digits = true;
  for (char c : last) digits = digits && IsAsciiDigit(static_cast<unsigned char>(c));
  if (digits) return true;
  std::uint64_t ignored = 0;
  return ParseIpv4Number(last, ignored);
}

bool ParseIpv4(std::string_view domain) {
  auto parts = SplitDots(domain);
  if (parts.back().empty() && parts.size() > 1) parts.pop_back();
  if (parts.size() > 4) return false;
  std::vector<std::uint64_t> numbers;
  for (std::string_view part : parts) {
    std::uint64_t n = 0;
    if (!ParseIpv4Number(part, n)) return false;
    numbers.push_back(n);
  }
  for (std::size_t i = 0; i + 1 < numbers.size(); ++i) {
    if (numbers[i] > 255) return false;
  }
  const std::uint64_t limit = std::uint64_t{1} << (8 * (5 - numbers.size()));
  return numbers.back() < limit;
}

// --- Punycode (RFC 3492) decoding, for labels starting with "xn--" ------------
bool PunycodeDecode(std::string_view in, std::u32string& out) {
  constexpr std::uint32_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
  out.clear();
  const std::size_t delim = in.rfind('-');
  std::size_t pos = 0;
  if (delim != std::string_view::npos) {
    for (std::size_t i = 0; i < delim; ++i) {
      if (static_cast<unsigned char>(in[i]) >= 0x80) return false;
      out.push_back(static_cast<unsigned char>(in[i]));
    }
    pos = delim + 1;
  }
  std::uint32_t n = 128, i = 0, bias = 72;
  const auto adapt = [&](std::uint32_t delta, std::uint32_t numpoints, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / numpoints;
    std::uint32_t k = 0;
    while (delta > ((kBase - kTMin) * kTMax) / 2) {
      delta /= kBase - kTMin;
      k += kBase;
    }
    return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
  };
  while (pos < in.size()) {
    const std::uint32_t old_i = i;
    std::uint32_t w = 1;
    for (std::uint32_t k = kBase;; k += kBase) {
      if (pos >= in.size()) return false;
      const char c = in[pos++];
      std::uint32_t digit = 0;
      if (c >= 'a' && c <= 'z') digit = static_cast<std::uint32_t>(c - 'a');
      else if (c >= 'A' && c <= 'Z') digit = static_cast<std::uint32_t>(c - 'A');
      else if (c >= '0' && c <= '9') digit = static_cast<std::uint32_t>(c - '0' + 26);
      else return false;
      if (digit > (0xFFFFFFFFu - i) / w) return false;
      i += digit * w;
      const std::uint32_t t = k <= bias ? kTMin : (k >= bias + kTMax ? kTMax : k - bias);
      if (digit < t) break;
      if (w > 0xFFFFFFFFu / (kBase - t)) return false;
      w *= kBase - t;
    }
    const auto len = static_cast<std::uint32_t>(out.size() + 1);
    bias = adapt(i - old_i, len, old_i == 0);
    if (i / len > 0x10FFFF - n) return false;
    n += i / len;
    i %= len;
    if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return false;
    out.insert(out.begin() + i, static_cast<char32_t>(n));
    ++i;
  }
  return true;
}

// --- UTS #46 (approximation) -----------------------------------------------------
// Code points UTS #46 maps to nothing.
bool IsIgnored(char32_t c) {
  return c == 0xAD || c == 0x34F || c == 0x200B || c == 0x2060 || c == 0xFEFF ||
         (c >= 0x180B && c <= 0x180D) || (c >= 0xFE00 && c <= 0xFE0F) || c == 0x1806;
}
// Code points that make domain-to-ASCII fail (disallowed, or mapped to a
// space / forbidden ASCII): controls, spaces, joiners, private use,
// surrogates, noncharacters, U+FFFD.
bool IsDisallowed(char32_t c) {
  if (c <= 0x1F || (c >= 0x7F && c <= 0xA0)) return true;
  if (IsJsWhitespace(c) && c != 0xFEFF) return true;
  if (c == 0x200C || c == 0x200D || c == 0x200E || c == 0x200F) return true;
  if (c >= 0x202A && c <= 0x202E) return true;
  if (c >= 0x2066 && c <= 0x206F) return true;
  if ((c >= 0xD800 && c <= 0xF8FF) || c >= 0xF0000) return true;
  if ((c & 0xFFFE) == 0xFFFE || (c >= 0xFDD0 && c <= 0xFDEF)) return true;
  return c == 0xFFFD || c == 0xFFFC;
}
bool IsCombiningMark(char32_t c) {
  return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
         (c >= 0xFE20 && c <= 0xFE2F);
}


bool ValidLabel(std::string_view label) {
  if (label.empty()) return true;  // empty labels pass when DNS length checks are off
  bool ascii = true;
  for (char c : label) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii && label.size() >= 4 && label.substr(0, 4) == "xn--") {
    std::u32string decoded;
    if (!PunycodeDecode(label.substr(4), decoded) || decoded.empty()) return false;
    for (char32_t c : decoded) {
      if (IsDisallowed(c) || IsIgnored(c) || c == '.') return false;
      std::string one;
      AppendUtf8(one, c);
      if (JsToLower(one) != one) return false;  // a mapped (not valid) code point
    }
    return !IsCombiningMark(decoded.front());
  }
  if (!ascii) {
    std::size_t p = 0;
    if (IsCombiningMark(DecodeUtf8(label, p))) return false;
  }
  return true;
}

// Host parsing for special schemes: percent-decode, UTF-8 decode, domain to
// ASCII, forbidden domain code points, IPv4 when it ends in a number.
bool ParseDomainHost(std::string_view input) {
  // Fast path: plain ASCII without percent-escapes or IDNA labels needs no
  // mapping (lower-casing does not change validity here).
  bool plain = true;
  for (char ch : input) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || c == '%' || IsForbiddenDomainCodePoint(c)) {
      plain = false;
      break;
    }
  }
  if (plain && !input.empty()) {
    bool idna = input.size() >= 4 && (input[0] | 0x20) == 'x' && (input[1] | 0x20) == 'n' && input[2] == '-' &&
                input[3] == '-';
    idna = idna || input.find(".xn--") != std::string_view::npos || input.find(".XN--") != std::string_view::npos ||
           input.find(".Xn--") != std::string_view::npos || input.find(".xN--") != std::string_view::npos;
    if (!idna) return EndsInANumber(input) ? ParseIpv4(input) : true;
  }
  std::string bytes;
  bytes.reserve(input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    const auto c = static_cast<unsigned char>(input[i]);
    if (c == '%' && i + 2 < input.size() && IsAsciiHex(static_cast<unsigned char>(input[i + 1])) &&
        IsAsciiHex(static_cast<unsigned char>(input[i + 2]))) {
      bytes.push_back(static_cast<char>(HexValue(static_cast<unsigned char>(input[i + 1])) * 16 +
                                        HexValue(static_cast<unsigned char>(input[i + 2]))));
      i += 2;
    } else {
      bytes.push_back(static_cast<char>(c));
    }
  }
  // UTS #46 mapping (approximate): ignore, fail on disallowed, map full-width
  // forms and ideographic full stops, lower-case.
  std::string mapped;
  mapped.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b < 0x80) {
      mapped.push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
      ++i;
      continue;
    }
    char32_t c = DecodeUtf8(bytes, i);
    if (IsIgnored(c)) continue;
    if (IsDisallowed(c)) return false;
    if (c == 0x3002 || c == 0xFF61) c = '.';
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
    std::string one;
    AppendUtf8(one, c);
    mapped += JsToLower(one);
  }
  if (mapped.empty()) return false;
  for (unsigned char c : mapped) {
    if (c < 0x80 && IsForbiddenDomainCodePoint(c)) return false;
  }
  for (std::string_view label : SplitDots(mapped)) {
    if (!ValidLabel(label)) return false;
  }
  if (EndsInANumber(mapped)) return ParseIpv4(mapped);
  return true;
}

bool ParseHost(std::string_view input, bool special) {
  if (!input.empty() && input.front() == '[') {
    if (input.size() < 2 || input.back() != ']') return false;
    return ParseIpv6(input.substr(1, input.size() - 2));
  }
  if (!special) {
    for (char c : input) {
      if (IsForbiddenHostCodePoint(static_cast<unsigned char>(c))) return false;
    }
    return true;
  }
  return ParseDomainHost(input);
}

bool IsSpecial(std::string_view scheme) {
  return scheme == "http" || scheme == "https" || scheme == "ws" || scheme == "wss" ||
         scheme == "ftp" || scheme == "file";
}

// Host and port after the credentials (authority state -> host state -> port state).
bool ParseHostAndPort(std::string_view hostport, bool special) {
  bool in_brackets = false;
  std::size_t colon = std::string_view::npos;
  for (std::size_t i = 0; i < hostport.size(); ++i) {
    const char c = hostport[i];
    if (c == ':' && !in_brackets) {
      colon = i;
      break;
    }
    if (c == '[') in_brackets = true;
    if (c == ']') in_brackets = false;
  }
  const std::string_view host = hostport.substr(0, colon);
  if (colon != std::string_view::npos) {
    if (host.empty()) return false;
    if (!ParseHost(host, !special ? false : true)) return false;
    std::uint32_t port = 0;
    for (char c : hostport.substr(colon + 1)) {
      if (!IsAsciiDigit(static_cast<unsigned char>(c))) return false;
      port = port * 10 + static_cast<std::uint32_t>(c - '0');
      if (port > 65535) return false;
    }
    return true;
  }
  if (special && host.empty()) return false;
  return ParseHost(host, special);
}

}  // namespace

bool IsWhatwgAbsoluteUrl(std::string_view input) {
  // Strip leading/trailing C0 control or space, drop ASCII tab and newlines.
  while (!input.empty() && static_cast<unsigned char>(input.front()) <= 0x20) input.remove_prefix(1);
  while (!input.empty() && static_cast<unsigned char>(input.back()) <= 0x20) input.remove_suffix(1);
  std::string cleaned;
  bool has_break = false;  // (a plain loop: find_first_of calls memchr per character)
  for (const char c : input) has_break |= c == '\t' || c == '\n' || c == '\r';
  if (has_break) {
    for (char c : input) {
      if (c != '\t' && c != '\n' && c != '\r') cleaned.push_back(c);
    }
    input = cleaned;
  }

  // Scheme (no base URL: anything without one fails).
  if (input.empty() || !IsAsciiAlpha(static_cast<unsigned char>(input[0]))) return false;
  std::size_t i = 1;
  while (i < input.size()) {
    const auto c = static_cast<unsigned char>(input[i]);
    if (IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '+' || c == '-' || c == '.') {
      ++i;
      continue;
    }
    break;
  }
  if (i >= input.size() || input[i] != ':') return false;
  std::string scheme(input.substr(0, i));
  for (char& c : scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  std::string_view rest = input.substr(i + 1);
  const bool special = IsSpecial(scheme);
  const auto is_slash = [&](char c) { return c == '/' || (special && c == '\\'); };

  if (scheme == "file") {
    if (rest.empty() || !is_slash(rest[0])) return true;               // path
    if (rest.size() < 2 || !is_slash(rest[1])) return true;            // file slash -> path
    rest.remove_prefix(2);
    const std::size_t end = rest.find_first_of("/\\?#");
    const std::string_view host = rest.substr(0, end);
    const bool drive = host.size() == 2 && IsAsciiAlpha(static_cast<unsigned char>(host[0])) &&
                       (host[1] == ':' || host[1] == '|');
    if (drive || host.empty()) return true;
    return ParseHost(host, true);
  }

  if (special) {
    while (!rest.empty() && is_slash(rest.front())) rest.remove_prefix(1);
  } else {
    if (rest.size() < 2 || rest[0] != '/' || rest[1] != '/') return true;  // opaque or plain path
    rest.remove_prefix(2);
  }
  const std::size_t end = rest.find_first_of(special ? "/\\?#" : "/?#");
  std::string_view authority = rest.substr(0, end);
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
    if (authority.empty()) return false;
  }
  return ParseHostAndPort(authority, special);
}

}  // namespace idp::model
