#include "model/field_formats.h"

namespace idp::model::formats {

namespace {

constexpr bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
constexpr bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

// value.split("/") into one or two parts; more is invalid.
template <typename Prefix, typename Suffix>
bool PrefixAndOrSuffix(std::string_view s, Prefix prefix, Suffix suffix) {
  const std::size_t slash = s.find('/');
  if (slash == std::string_view::npos) return suffix(s);
  const std::string_view rest = s.substr(slash + 1);
  if (rest.find('/') != std::string_view::npos) return false;
  return prefix(s.substr(0, slash)) && suffix(rest);
}

}  // namespace

// All accepted characters are ASCII, so byte length equals the JavaScript length
// whenever the pattern can match.
bool IsValidObjectName(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s) {
    if (!(IsAlnum(c) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

bool IsValidDnsLabel(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (s.front() == '-' || s.back() == '-') return false;
  for (char c : s) {
    if (!(IsLowerAlnum(c) || c == '-')) return false;
  }
  return true;
}

bool IsValidDnsSubdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = s.find('.', start);
    if (!IsValidDnsLabel(s.substr(start, dot == std::string_view::npos ? s.npos : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool IsValidApiVersion(std::string_view s) {
  return PrefixAndOrSuffix(s, IsValidDnsSubdomain, [](std::string_view v) {
    if (v.empty() || v.size() > 63) return false;
    for (char c : v) {
      if (!IsAlnum(c)) return false;
    }
    return true;
  });
}

bool IsValidKind(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  const char f = s.front();
  if (!((f >= 'a' && f <= 'z') || (f >= 'A' && f <= 'Z'))) return false;
  for (char c : s) {
    if (!IsAlnum(c)) return false;
  }
  return true;
}

bool IsValidLabelKey(std::string_view s) {
  return PrefixAndOrSuffix(s, IsValidDnsSubdomain, IsValidObjectName);
}

bool IsValidLabelValue(std::string_view s) { return s.empty() || IsValidObjectName(s); }

bool IsValidTag(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (s.front() == '-' || s.back() == '-') return false;
  char prev = 0;
  for (char c : s) {
    if (c == '-') {
      if (prev == '-') return false;
    } else if (!(IsLowerAlnum(c) || c == ':' || c == '+' || c == '#')) {
      return false;
    }
    prev = c;
  }
  return true;
}

}  // namespace idp::model::formats
