#include "yaml/scalar.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace idp::yaml {
namespace {

using Kind = ScalarValue::Kind;
constexpr double kMaxSafe = 9007199254740992.0;  // 2^53

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool AllOf(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

// A JS Number as we store it: safe integers exact (and -0 as 0), rest double.
ScalarValue Number(double d) {
  ScalarValue v;
  if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= kMaxSafe) {
    v.kind = Kind::kInt;
    v.integer = static_cast<std::int64_t>(d);
  } else {
    v.kind = Kind::kDouble;
    v.number = d;
  }
  return v;
}

// parseFloat of a string already matched by a float/int regex (so only
// digits, one '.', an exponent and a sign). from_chars is locale-independent.
double ParseDecimal(std::string_view s, std::chars_format format = std::chars_format::general) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d, format);
  (void)ptr;
  if (ec == std::errc::result_out_of_range) {
    // Overflow gives Infinity in JS, underflow 0.
    const auto e = s.find_first_of("eE");
    const bool underflow = e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == '-';
    d = underflow ? 0.0 : std::numeric_limits<double>::infinity();
  }
  return negative ? -d : d;
}

ScalarValue Int(std::string_view digits_with_sign) {
  std::string_view s = digits_with_sign;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.size() <= 15) {  // exact in int64 and below 2^53
    std::int64_t v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    ScalarValue out;
    out.kind = Kind::kInt;
    out.integer = negative ? -v : v;
    return out;
  }
  const double d = ParseDecimal(s);
  return Number(negative ? -d : d);
}

ScalarValue Octal(std::string_view digits) {
  double d = 0;
  for (char c : digits) d = d * 8 + (c - '0');  // exact up to 2^53, rounded beyond
  return Number(d);
}

ScalarValue Hex(std::string_view digits) {
  return Number(ParseDecimal(digits, std::chars_format::hex));
}

// ^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$  (exp == true)
// ^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$                      (exp == false)
bool MatchFloat(std::string_view s, bool exp) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t int_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  bool dot = false;
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    dot = true;
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (!exp) return i == s.size() && dot;
  if (i >= s.size() || (s[i] != 'e' && s[i] != 'E')) return false;
  ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t exp_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++exp_digits;
  return exp_digits > 0 && i == s.size();
}

bool IsNull(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}
int Bool(std::string_view s) {  // 1 true, 0 false, -1 neither
  if (s == "true" || s == "True" || s == "TRUE") return 1;
  if (s == "false" || s == "False" || s == "FALSE") return 0;
  return -1;
}
bool IsSignedDigits(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  return AllOf(s, IsDigit);
}
bool IsOctal(std::string_view s) {
  return s.size() > 2 && s[0] == '0' && s[1] == 'o' &&
         AllOf(s.substr(2), [](char c) { return c >= '0' && c <= '7'; });
}
bool IsHex(std::string_view s) {
  return s.size() > 2 && s[0] == '0' && s[1] == 'x' && AllOf(s.substr(2), IsHexDigit);
}
// ^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$
int NanInf(std::string_view s) {  // 0 none, 1 +inf, 2 -inf, 3 nan
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return 3;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == ".inf" || s == ".Inf" || s == ".INF") return negative ? 2 : 1;
  return 0;
}
ScalarValue NanInfValue(int which) {
  ScalarValue v;
  v.kind = Kind::kDouble;
  v.number = which == 3   ? std::numeric_limits<double>::quiet_NaN()
             : which == 2 ? -std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::infinity();
  return v;
}

ScalarValue NullValue() {
  ScalarValue v;
  v.kind = Kind::kNull;
  return v;
}
ScalarValue BoolValue(bool b) {
  ScalarValue v;
  v.kind = Kind::kBool;
  v.boolean = b;
  return v;
}

// The core schema's int tags in yaml's order: intOct, int, intHex.
bool TryInt(std::string_view s, ScalarValue& out) {
  if (IsOctal(s)) return out = Octal(s.substr(2)), true;
  if (IsSignedDigits(s)) return out = Int(s), true;
  if (IsHex(s)) return out = Hex(s.substr(2)), true;
  return false;
}
// floatNaN, floatExp, float.
bool TryFloat(std::string_view s, ScalarValue& out) {
  if (int w = NanInf(s)) return out = NanInfValue(w), true;
  if (MatchFloat(s, true) || MatchFloat(s, false)) return out = Number(ParseDecimal(s)), true;
  return false;
}

constexpr std::string_view kCorePrefix = "tag:yaml.org,2002:";

}  // namespace

ScalarValue ResolvePlain(std::string_view s) {
  ScalarValue out;
  if (!s.empty()) {
    // Fast exit: every typed form starts with one of these characters.
    const char c = s[0];
    if (!(IsDigit(c) || c == '-' || c == '+' || c == '.' || c == '~' || c == 'n' || c == 'N' ||
          c == 't' || c == 'T' || c == 'f' || c == 'F')) {
      return out;
    }
  }
  if (IsNull(s)) return NullValue();
  if (int b = Bool(s); b >= 0) return BoolValue(b == 1);
  if (TryInt(s, out)) return out;
  if (TryFloat(s, out)) return out;
  out = ScalarValue{};
  return out;
}

TagOutcome ResolveTagged(std::string_view tag, std::string_view s, ScalarValue& out) {
  out = ScalarValue{};  // string: yaml's fallback for unknown tags and failed tests
  if (tag.substr(0, kCorePrefix.size()) != kCorePrefix) return TagOutcome::kResolved;
  const std::string_view name = tag.substr(kCorePrefix.size());
  if (name == "null") {
    if (IsNull(s)) out = NullValue();
  } else if (name == "bool") {
    if (int b = Bool(s); b >= 0) out = BoolValue(b == 1);
  } else if (name == "int") {
    TryInt(s, out);
  } else if (name == "float") {
    TryFloat(s, out);
  } else if (name == "binary" || name == "timestamp" || name == "omap" || name == "pairs" ||
             name == "set") {
    return TagOutcome::kUnsupported;
  }
  return TagOutcome::kResolved;
}

bool IsUnsupportedCollectionTag(std::string_view tag) {
  return tag == "tag:yaml.org,2002:set" || tag == "tag:yaml.org,2002:omap" ||
         tag == "tag:yaml.org,2002:pairs";
}


}  // namespace idp::yaml
