#include "template/js.h"

#include "core/js_number.h"
#include "core/utf8.h"

#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "template/errors.h"

namespace idp::tmpl::js {

namespace {

// Decodes one code point of WTF-8 at s[i]; advances i. Invalid bytes decode
// as U+FFFD so that malformed input never throws.
std::uint32_t Decode(std::string_view s, std::size_t& i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = (b0 >= 0xF0) ? 4 : (b0 >= 0xE0) ? 3 : (b0 >= 0xC0) ? 2 : 0;
  if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  std::uint32_t cp = b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Deeper values are refused rather than risking the native stack.
constexpr std::size_t kMaxValueDepth = 512;

// String(array) and JSON.stringify walk shared sub-arrays once per reference,
// so `[a, a]` doubled thirty times is a billion elements: stop the walk once
// the text outgrows what any render may output (Limits::max_output_bytes,
// 8 MiB by default, is checked on the result).
constexpr std::size_t kMaxBuiltText = 16u << 20;
void CheckBuilt(const std::string& out) {
  if (out.size() > kMaxBuiltText) throw EngineError(ErrorKind::kLimit, "template limit exceeded: string too long");
}

}  // namespace

void AppendCodePoint(std::string& out, std::uint32_t cp) { AppendUtf8(out, cp); }

std::u16string ToU16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    std::uint32_t cp = Decode(s, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

std::string FromU16(std::u16string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::uint32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.size() && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<std::uint32_t>(s[i + 1]) - 0xDC00);
      ++i;
    }
    AppendCodePoint(out, c);
  }
  return out;
}

std::size_t Length16(std::string_view s) {
  std::size_t n = 0;
  for (char ch : s) {
    auto b = static_cast<unsigned char>(ch);
    if ((b & 0xC0) != 0x80) n += (b >= 0xF0) ? 2 : 1;
  }
  return n;
}

std::string NumberToString(double d) {
  // Integers (loop indexes, counts) skip the shortest-round-trip search.
  if (d == std::floor(d) && std::fabs(d) < 1e15 && !(d == 0 && std::signbit(d))) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(d));
    if (ec == std::errc()) return std::string(buf, end);
  }
  return JsNumberToString(d);
}

std::string NumberToRadixString(double d, int radix) {
  if (radix == 10 || std::isnan(d) || std::isinf(d) || d != std::floor(d) || std::fabs(d) > 9007199254740991.0) {
    return NumberToString(d);
  }
  bool neg = d < 0;
  auto v = static_cast<std::uint64_t>(neg ? -d : d);
  std::string out;
  do {
    int digit = static_cast<int>(v % static_cast<std::uint64_t>(radix));
    out.insert(out.begin(), static_cast<char>(digit < 10 ? '0' + digit : 'a' + digit - 10));
    v /= static_cast<std::uint64_t>(radix);
  } while (v);
  return neg ? "-" + out : out;
}

std::string ToFixed(double x, int f) {
  if (std::isnan(x)) return "NaN";
  if (std::fabs(x) >= 1e21 || std::isinf(x)) return NumberToString(x);
  std::string sign;
  if (x < 0) {
    x = -x;
    sign = "-";
  }
  // The exact decimal expansion, then round half up as the spec requires.
  std::vector<char> buf(1200);
  std::snprintf(buf.data(), buf.size(), "%.1100f", x);
  std::string s(buf.data());
  auto dot = s.find('.');
  std::string ip = s.substr(0, dot);
  std::string fp = s.substr(dot + 1);
  std::string digits = ip + fp.substr(0, static_cast<std::size_t>(f));
  bool up = fp[static_cast<std::size_t>(f)] >= '5';
  if (up) {
    int i = static_cast<int>(digits.size()) - 1;
    while (i >= 0) {
      if (digits[static_cast<std::size_t>(i)] == '9') {
        digits[static_cast<std::size_t>(i)] = '0';
        --i;
      } else {
        ++digits[static_cast<std::size_t>(i)];
        break;
      }
    }
    if (i < 0) digits.insert(digits.begin(), '1');
  }
  std::size_t int_len = digits.size() - static_cast<std::size_t>(f);
  std::string out = digits.substr(0, int_len);
  if (f > 0) out += "." + digits.substr(int_len);
  if (sign == "-" && out.find_first_not_of("0.") == std::string::npos) return "-" + out;  // JS keeps "-0.00"
  return sign + out;
}

bool IsWhite16(char16_t c) {
  switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0xA0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

std::string Trim(std::string_view s, bool start, bool end) {
  // ASCII at both edges (the usual case): trim bytes, no UTF-16 round trip.
  auto ascii_white = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  std::size_t b = 0, e = s.size();
  if (start) {
    while (b < e && ascii_white(s[b])) ++b;
  }
  if (end) {
    while (e > b && ascii_white(s[e - 1])) --e;
  }
  bool edges_ascii = (!start || b == e || static_cast<unsigned char>(s[b]) < 0x80) &&
                     (!end || b == e || static_cast<unsigned char>(s[e - 1]) < 0x80);
  if (edges_ascii) return std::string(s.substr(b, e - b));
  std::u16string u = ToU16(s);
  b = 0;
  e = u.size();
  if (start) {
    while (b < e && IsWhite16(u[b])) ++b;
  }
  if (end) {
    while (e > b && IsWhite16(u[e - 1])) --e;
  }
  return FromU16(std::u16string_view(u).substr(b, e - b));
}

namespace {

std::string_view TrimAscii(std::string_view s, std::string& storage) {
  storage = Trim(s, true, true);
  return storage;
}

// Longest prefix of s that is a StrDecimalLiteral (without sign handling of
// Infinity), as parseFloat reads it. Returns its length.
std::size_t DecimalPrefix(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    std::size_t j = i + 1, frac = 0;
    while (j < s.size() && IsDigit(s[j])) ++j, ++frac;
    if (digits + frac == 0) return 0;
    i = j;
  } else if (digits == 0) {
    return 0;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    std::size_t ed = 0;
    while (j < s.size() && IsDigit(s[j])) ++j, ++ed;
    if (ed > 0) i = j;
  }
  return i;
}

double ParseDecimal(std::string_view s) {
  std::string tmp(s);
  return std::strtod(tmp.c_str(), nullptr);
}

}  // namespace

double StringToNumber(std::string_view raw) {
  std::string storage;
  std::string_view s = TrimAscii(raw, storage);
  if (s.empty()) return 0;
  if (s.size() > 2 && s[0] == '0') {
    int radix = 0;
    if (s[1] == 'x' || s[1] == 'X') radix = 16;
    if (s[1] == 'o' || s[1] == 'O') radix = 8;
    if (s[1] == 'b' || s[1] == 'B') radix = 2;
    if (radix) {
      double v = 0;
      for (std::size_t i = 2; i < s.size(); ++i) {
        int d;
        char c = s[i];
        if (IsDigit(c)) d = c - '0';
        else if (c >= 'a' && c <= 'z') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'Z') d = c - 'A' + 10;
        else return std::numeric_limits<double>::quiet_NaN();
        if (d >= radix) return std::numeric_limits<double>::quiet_NaN();
        v = v * radix + d;
      }
      return v;
    }
  }
  std::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "Infinity") return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  if (DecimalPrefix(s) != s.size()) return std::numeric_limits<double>::quiet_NaN();
  return ParseDecimal(s);
}

double ParseFloat(std::string_view raw) {
  std::string storage = Trim(raw, true, false);
  std::string_view s = storage;
  std::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.substr(0, 8) == "Infinity") {
    return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  std::size_t n = DecimalPrefix(s);
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  return ParseDecimal(s.substr(0, n));
}

double ParseInt(std::string_view raw, int radix) {
  std::string storage = Trim(raw, true, false);
  std::string_view s = storage;
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  bool strip = true;
  if (radix != 0) {
    if (radix < 2 || radix > 36) return std::numeric_limits<double>::quiet_NaN();
    if (radix != 16) strip = false;
  } else {
    radix = 10;
  }
  if (strip && s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    radix = 16;
  }
  std::size_t i = 0;
  double v = 0;
  std::string dec;
  for (; i < s.size(); ++i) {
    int d;
    char c = s[i];
    if (IsDigit(c)) d = c - '0';
    else if (c >= 'a' && c <= 'z') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z') d = c - 'A' + 10;
    else break;
    if (d >= radix) break;
    v = v * radix + d;
    dec.push_back(c);
  }
  if (i == 0) return std::numeric_limits<double>::quiet_NaN();
  if (radix == 10) v = ParseDecimal(dec);  // exact rounding for long inputs
  return neg ? -v : v;
}

namespace {

void AppendJoined(std::string& out, const ArrayData& a, std::vector<const void*>& seen);

// String(v) appended to `out`: nested arrays join into the one buffer.
void AppendToString(std::string& out, const Value& v, std::vector<const void*>& seen) {
  switch (v.kind()) {
    case Kind::kUndefined: out += "undefined"; return;
    case Kind::kNull: out += "null"; return;
    case Kind::kBool: out += v.boolean() ? "true" : "false"; return;
    case Kind::kNumber: out += NumberToString(v.number()); return;
    case Kind::kString:
    case Kind::kSafe: out += v.str(); return;
    case Kind::kArray: AppendJoined(out, *v.array(), seen); return;
    case Kind::kObject: out += "[object Object]"; return;
    case Kind::kFunction: out += "function " + v.function()->name + "() { [native code] }"; return;
    case Kind::kRegex: out += "/" + v.regex()->body + "/" + v.regex()->flags; return;
  }
}

void AppendJoined(std::string& out, const ArrayData& a, std::vector<const void*>& seen) {
  // Array.prototype.join returns "" for an array already being joined (cycles).
  // `seen` is the stack of arrays being joined (at most kMaxValueDepth deep).
  if (std::find(seen.begin(), seen.end(), &a) != seen.end()) return;
  seen.push_back(&a);
  if (seen.size() > kMaxValueDepth) throw EngineError(ErrorKind::kLimit, "template limit exceeded: value nesting too deep");
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    if (i) out.push_back(',');
    if (!a.items[i].nullish()) AppendToString(out, a.items[i], seen);
    CheckBuilt(out);
  }
  seen.pop_back();
}

// ToPrimitive: objects become their string form; SafeString its text.
Value ToPrimitive(const Value& v) {
  switch (v.kind()) {
    case Kind::kSafe: return Value::String(v.str());
    case Kind::kArray:
    case Kind::kObject:
    case Kind::kFunction:
    case Kind::kRegex: return Value::String(ToString(v));
    default: return v;
  }
}

bool IsPrimitive(const Value& v) {
  switch (v.kind()) {
    case Kind::kUndefined: case Kind::kNull: case Kind::kBool: case Kind::kNumber: case Kind::kString:
      return true;
    default:
      return false;
  }
}

}  // namespace

void AppendString(std::string& out, const Value& v) {
  std::vector<const void*> seen;
  AppendToString(out, v, seen);
}

std::string ToString(const Value& v) {
  std::string out;
  std::vector<const void*> seen;  // allocates only when an array is joined
  AppendToString(out, v, seen);
  return out;
}

double ToNumber(const Value& v) {
  switch (v.kind()) {
    case Kind::kUndefined: return std::numeric_limits<double>::quiet_NaN();
    case Kind::kNull: return 0;
    case Kind::kBool: return v.boolean() ? 1 : 0;
    case Kind::kNumber: return v.number();
    case Kind::kString: return StringToNumber(v.str());
    default: return ToNumber(ToPrimitive(v));
  }
}

bool Truthy(const Value& v) {
  switch (v.kind()) {
    case Kind::kUndefined:
    case Kind::kNull: return false;
    case Kind::kBool: return v.boolean();
    case Kind::kNumber: return !(v.number() == 0 || std::isnan(v.number()));
    case Kind::kString: return !v.str().empty();
    default: return true;
  }
}

std::string TypeOf(const Value& v) {
  switch (v.kind()) {
    case Kind::kUndefined: return "undefined";
    case Kind::kBool: return "boolean";
    case Kind::kNumber: return "number";
    case Kind::kString: return "string";
    case Kind::kFunction: return "function";
    default: return "object";
  }
}

std::string PropertyKey(const Value& v) { return ToString(v); }

bool IsObjectLike(const Value& v) { return !IsPrimitive(v); }

bool StrictEquals(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kUndefined:
    case Kind::kNull: return true;
    case Kind::kBool: return a.boolean() == b.boolean();
    case Kind::kNumber: return a.number() == b.number();
    case Kind::kString: return a.str() == b.str();
    case Kind::kSafe: return &a.str() == &b.str();
    default: return a.identity() == b.identity();
  }
}

bool LooseEquals(const Value& a, const Value& b) {
  if (a.kind() == b.kind()) return StrictEquals(a, b);
  if (a.nullish() && b.nullish()) return true;
  if (a.nullish() || b.nullish()) return false;
  if (a.is(Kind::kNumber) && b.is(Kind::kString)) return a.number() == StringToNumber(b.str());
  if (a.is(Kind::kString) && b.is(Kind::kNumber)) return StringToNumber(a.str()) == b.number();
  if (a.is(Kind::kBool)) return LooseEquals(Value::Number(a.boolean() ? 1 : 0), b);
  if (b.is(Kind::kBool)) return LooseEquals(a, Value::Number(b.boolean() ? 1 : 0));
  if (!IsPrimitive(a) && IsPrimitive(b)) return LooseEquals(ToPrimitive(a), b);
  if (IsPrimitive(a) && !IsPrimitive(b)) return LooseEquals(a, ToPrimitive(b));
  return false;
}

std::optional<bool> LessThan(const Value& x, const Value& y) {
  Value a = ToPrimitive(x), b = ToPrimitive(y);
  if (a.is(Kind::kString) && b.is(Kind::kString)) {
    const std::string& l = a.str();
    const std::string& r = b.str();
    // UTF-8 byte order equals code point order; JS compares UTF-16 units,
    // which differs only around supplementary characters.
    bool ascii = true;
    for (char c : l) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    for (char c : r) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) return l < r;
    return ToU16(l) < ToU16(r);
  }
  double l = ToNumber(a), r = ToNumber(b);
  if (std::isnan(l) || std::isnan(r)) return std::nullopt;
  return l < r;
}

bool Lt(const Value& a, const Value& b) { return LessThan(a, b).value_or(false); }
bool Gt(const Value& a, const Value& b) { return LessThan(b, a).value_or(false); }
bool Le(const Value& a, const Value& b) {
  auto r = LessThan(b, a);
  return r.has_value() && !*r;
}
bool Ge(const Value& a, const Value& b) {
  auto r = LessThan(a, b);
  return r.has_value() && !*r;
}

Value Add(const Value& x, const Value& y) {
  Value a = ToPrimitive(x), b = ToPrimitive(y);
  if (a.is(Kind::kString) || b.is(Kind::kString)) return Value::String(ToString(a) + ToString(b));
  return Value::Number(ToNumber(a) + ToNumber(b));
}

namespace {

locale_t Utf8Locale() {
  // Created once, never modified: case mapping tables of C.UTF-8.
  static const locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  return loc;
}

std::uint32_t MapCase(std::uint32_t cp, bool upper) {
  if (cp < 0x80) {
    if (upper && cp >= 'a' && cp <= 'z') return cp - 32;
    if (!upper && cp >= 'A' && cp <= 'Z') return cp + 32;
    return cp;
  }
  locale_t loc = Utf8Locale();
  if (!loc || (cp >= 0xD800 && cp <= 0xDFFF)) return cp;
  auto w = static_cast<wint_t>(cp);
  return static_cast<std::uint32_t>(upper ? towupper_l(w, loc) : towlower_l(w, loc));
}

bool IsCased(std::uint32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  locale_t loc = Utf8Locale();
  return loc && iswalpha_l(static_cast<wint_t>(cp), loc);
}

std::vector<std::uint32_t> CodePoints(std::string_view s) {
  std::vector<std::uint32_t> cps;
  std::size_t i = 0;
  while (i < s.size()) cps.push_back(Decode(s, i));
  return cps;
}

}  // namespace

std::string ToUpper(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  // ASCII only maps a-z (the one-to-many mappings are all non-ASCII).
  if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    for (char c : s) out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    return out;
  }
  for (std::uint32_t cp : CodePoints(s)) {
    switch (cp) {  // full (one-to-many) mappings of SpecialCasing.txt
      case 0xDF: out += "SS"; continue;
      case 0x149: out += "\xCA\xBCN"; continue;
      case 0xFB00: out += "FF"; continue;
      case 0xFB01: out += "FI"; continue;
      case 0xFB02: out += "FL"; continue;
      case 0xFB03: out += "FFI"; continue;
      case 0xFB04: out += "FFL"; continue;
      case 0xFB05:
      case 0xFB06: out += "ST"; continue;
      default: AppendCodePoint(out, MapCase(cp, true));
    }
  }
  return out;
}

std::string ToLower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  // ASCII only maps A-Z, with no context rules: skip decoding to code points.
  if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    for (char c : s) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    return out;
  }
  auto cps = CodePoints(s);
  for (std::size_t i = 0; i < cps.size(); ++i) {
    std::uint32_t cp = cps[i];
    if (cp == 0x130) {
      out += "i\xCC\x87";
    } else if (cp == 0x3A3) {
      // Final sigma: after a cased letter and not before one.
      bool after = i > 0 && IsCased(cps[i - 1]);
      bool before = i + 1 < cps.size() && IsCased(cps[i + 1]);
      AppendCodePoint(out, after && !before ? 0x3C2 : 0x3C3);
    } else {
      AppendCodePoint(out, MapCase(cp, false));
    }
  }
  return out;
}

void QuoteJson(std::string& out, std::string_view s) {
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
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
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    std::size_t start = i;
    std::uint32_t cp = Decode(s, i);
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      out += buf;
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  out.push_back('"');
}

namespace {

bool StringifyInto(std::string& out, const Value& v, const std::string& indent, const std::string& cur,
                   std::vector<const void*>& stack);

void Newline(std::string& out, const std::string& indent, const std::string& cur) {
  if (!indent.empty()) {
    out.push_back('\n');
    out += cur;
  }
}

bool StringifyInto(std::string& out, const Value& v, const std::string& indent, const std::string& cur,
                   std::vector<const void*>& stack) {
  switch (v.kind()) {
    case Kind::kUndefined:
    case Kind::kFunction: return false;
    case Kind::kNull: out += "null"; return true;
    case Kind::kBool: out += v.boolean() ? "true" : "false"; return true;
    case Kind::kNumber:
      out += std::isfinite(v.number()) ? NumberToString(v.number()) : "null";
      return true;
    case Kind::kString: QuoteJson(out, v.str()); return true;
    case Kind::kRegex: out += "{}"; return true;
    case Kind::kSafe: {
      // A SafeString is an object with own properties val and length.
      std::string inner = cur + indent;
      out.push_back('{');
      Newline(out, indent, inner);
      out += "\"val\":";
      if (!indent.empty()) out.push_back(' ');
      QuoteJson(out, v.str());
      out.push_back(',');
      Newline(out, indent, inner);
      out += "\"length\":";
      if (!indent.empty()) out.push_back(' ');
      out += std::to_string(Length16(v.str()));
      Newline(out, indent, cur);
      out.push_back('}');
      return true;
    }
    case Kind::kArray: {
      if (std::find(stack.begin(), stack.end(), v.identity()) != stack.end()) {
        throw JsError("TypeError", "Converting circular structure to JSON");
      }
      stack.push_back(v.identity());
      if (stack.size() > kMaxValueDepth) throw EngineError(ErrorKind::kLimit, "template limit exceeded: value nesting too deep");
      const auto& items = v.array()->items;
      if (items.empty()) {
        out += "[]";
      } else {
        std::string inner = cur + indent;
        out.push_back('[');
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (i) out.push_back(',');
          Newline(out, indent, inner);
          if (!StringifyInto(out, items[i], indent, inner, stack)) out += "null";
          CheckBuilt(out);
        }
        Newline(out, indent, cur);
        out.push_back(']');
      }
      stack.pop_back();
      return true;
    }
    case Kind::kObject: {
      if (std::find(stack.begin(), stack.end(), v.identity()) != stack.end()) {
        throw JsError("TypeError", "Converting circular structure to JSON");
      }
      stack.push_back(v.identity());
      if (stack.size() > kMaxValueDepth) throw EngineError(ErrorKind::kLimit, "template limit exceeded: value nesting too deep");
      std::string inner = cur + indent;
      out.push_back('{');
      bool any = false;
      for (const auto& [k, member] : v.object()->entries()) {
        if (member.undefined() || member.is(Kind::kFunction)) continue;
        if (any) out.push_back(',');
        Newline(out, indent, inner);
        QuoteJson(out, k);
        out.push_back(':');
        if (!indent.empty()) out.push_back(' ');
        StringifyInto(out, member, indent, inner, stack);
        CheckBuilt(out);
        any = true;
      }
      if (any) Newline(out, indent, cur);
      out.push_back('}');
      stack.pop_back();
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> Stringify(const Value& v, const std::string& indent) {
  std::string out;
  std::vector<const void*> stack;  // containers being written: a cycle check at most kMaxValueDepth long
  if (!StringifyInto(out, v, indent, "", stack)) return std::nullopt;
  return out;
}

}  // namespace idp::tmpl::js
