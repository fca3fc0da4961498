// A port of yaml 2.x's stringify path for plain JSON data (stringifyString,
// foldFlowLines, stringifyPair, stringifyCollection, stringifyNumber) with
// its default options. Text is handled as UTF-16, as JavaScript measures
// it, so folding columns match.
#include "scaffolder/yaml_emit.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/js_number.h"
#include "template/js.h"

namespace idp::scaffolder {

namespace {

using U = std::u16string;
constexpr int kLineWidth = 80;
constexpr int kMinContentWidth = 20;
constexpr std::size_t kDoubleQuotedMinMultiLineLength = 40;

using tmpl::js::ToU16;

std::string ToU8(const U& s) { return tmpl::js::FromU16(s); }

U Lit(std::string_view ascii) { return U(ascii.begin(), ascii.end()); }

bool IsWs(char16_t c) { return c == ' ' || c == '\t'; }
bool IsWsNl(char16_t c) { return c == ' ' || c == '\t' || c == '\n'; }

// text[i], or 0 past the end (JavaScript's undefined; a NUL never reaches
// the folding unescaped).
char16_t At(const U& s, long i) { return i >= 0 && static_cast<std::size_t>(i) < s.size() ? s[i] : 0; }

// s.replace(/\n+/g, `${before}$&${after}`)
U AroundNewlineRuns(const U& s, const U& before, const U& after) {
  U out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '\n') {
      out.push_back(s[i++]);
      continue;
    }
    out += before;
    while (i < s.size() && s[i] == '\n') out.push_back(s[i++]);
    out += after;
  }
  return out;
}

U AfterNewlineRuns(const U& s, const U& insert) { return AroundNewlineRuns(s, U(), insert); }

// /^(%|---|\.\.\.)/m
bool ContainsDocumentMarker(const U& s) {
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == 0 || s[i - 1] == '\n') {
      if (At(s, i) == '%') return true;
      U three = s.substr(i, 3);
      if (three == u"---" || three == u"...") return true;
    }
  }
  return false;
}

// ---- foldFlowLines ----
enum class Fold { kFlow, kBlock, kQuoted };

long ConsumeMoreIndentedLines(const U& text, long i, long indent) {
  long end = i;
  long start = i + 1;
  char16_t ch = At(text, start);
  while (ch == ' ' || ch == '\t') {
    if (i < start + indent) {
      ch = At(text, ++i);
    } else {
      do {
        ch = At(text, ++i);
      } while (ch && ch != '\n');
      end = i;
      start = i + 1;
      ch = At(text, start);
    }
  }
  return end;
}

U FoldFlowLines(const U& text, const U& indent, Fold mode, std::optional<long> indent_at_start,
                bool* overflowed = nullptr) {
  const long ilen = static_cast<long>(indent.size());
  const long end_step = std::max<long>(1 + kMinContentWidth, 1 + kLineWidth - ilen);
  if (static_cast<long>(text.size()) <= end_step) return text;
  std::vector<long> folds;
  std::map<long, bool> escaped_folds;
  long end = kLineWidth - ilen;
  if (indent_at_start) {
    if (*indent_at_start > kLineWidth - std::max(2, kMinContentWidth)) {
      folds.push_back(0);
    } else {
      end = kLineWidth - *indent_at_start;
    }
  }
  long split = -1;
  char16_t prev = 0;
  bool overflow = false;
  long i = -1, esc_start = -1, esc_end = -1;
  if (mode == Fold::kBlock) {
    i = ConsumeMoreIndentedLines(text, i, ilen);
    if (i != -1) end = i + end_step;
  }
  for (char16_t ch; (ch = At(text, i += 1));) {
    if (mode == Fold::kQuoted && ch == '\\') {
      esc_start = i;
      switch (At(text, i + 1)) {
        case 'x': i += 3; break;
        case 'u': i += 5; break;
        case 'U': i += 9; break;
        default: i += 1;
      }
      esc_end = i;
    }
    if (ch == '\n') {
      if (mode == Fold::kBlock) i = ConsumeMoreIndentedLines(text, i, ilen);
      end = i + ilen + end_step;
      split = -1;
    } else {
      if (ch == ' ' && prev && prev != ' ' && prev != '\n' && prev != '\t') {
        const char16_t next = At(text, i + 1);
        if (next && next != ' ' && next != '\n' && next != '\t') split = i;
      }
      if (i >= end) {
        if (split > 0) {
          folds.push_back(split);
          end = split + end_step;
          split = -1;
        } else if (mode == Fold::kQuoted) {
          while (prev == ' ' || prev == '\t') {
            prev = ch;
            ch = At(text, i += 1);
            overflow = true;
          }
          const long j = i > esc_end + 1 ? i - 2 : esc_start - 1;
          if (escaped_folds.count(j)) return text;
          folds.push_back(j);
          escaped_folds[j] = true;
          end = j + end_step;
          split = -1;
        } else {
          overflow = true;
        }
      }
    }
    prev = ch;
  }
  if (overflow && overflowed) *overflowed = true;
  if (folds.empty()) return text;
  U res = text.substr(0, static_cast<std::size_t>(std::max<long>(folds[0], 0)));
  for (std::size_t k = 0; k < folds.size(); ++k) {
    const long fold = folds[k];
    const long fend = k + 1 < folds.size() && folds[k + 1] ? folds[k + 1] : static_cast<long>(text.size());
    if (fold == 0) {
      res = u"\n" + indent + text.substr(0, static_cast<std::size_t>(fend));
    } else {
      if (mode == Fold::kQuoted && escaped_folds.count(fold)) {
        res.push_back(At(text, fold));
        res.push_back('\\');
      }
      res += u"\n" + indent + text.substr(static_cast<std::size_t>(fold + 1), static_cast<std::size_t>(fend - fold - 1));
    }
  }
  return res;
}

// ---- strings ----
struct Ctx {
  U indent;
  bool implicit_key = false;
  std::optional<long> indent_at_start;
  bool force_block_indent = false;
};

U JsonStringify(const U& v) {
  static const char* kHex = "0123456789abcdef";
  U out = u"\"";
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char16_t c = v[i];
    switch (c) {
      case '"': out += u"\\\""; break;
      case '\\': out += u"\\\\"; break;
      case '\b': out += u"\\b"; break;
      case '\f': out += u"\\f"; break;
      case '\n': out += u"\\n"; break;
      case '\r': out += u"\\r"; break;
      case '\t': out += u"\\t"; break;
      default: {
        const bool lone_high = c >= 0xD800 && c < 0xDC00 && !(i + 1 < v.size() && v[i + 1] >= 0xDC00 && v[i + 1] < 0xE000);
        const bool lone_low = c >= 0xDC00 && c < 0xE000 && !(i > 0 && v[i - 1] >= 0xD800 && v[i - 1] < 0xDC00);
        if (c < 0x20 || lone_high || lone_low) {
          out += u"\\u";
          for (int shift = 12; shift >= 0; shift -= 4) out.push_back(static_cast<char16_t>(kHex[(c >> shift) & 0xF]));
        } else {
          out.push_back(c);
        }
      }
    }
  }
  out.push_back('"');
  return out;
}

U DoubleQuoted(const U& value, const Ctx& ctx) {
  const U json = JsonStringify(value);
  const U indent = !ctx.indent.empty() ? ctx.indent : (ContainsDocumentMarker(value) ? u"  " : u"");
  U str;
  std::size_t start = 0;
  const auto J = [&](std::size_t k) -> char16_t { return k < json.size() ? json[k] : 0; };
  for (std::size_t i = 0; i < json.size(); ++i) {
    char16_t ch = json[i];
    if (ch == ' ' && J(i + 1) == '\\' && J(i + 2) == 'n') {
      str += json.substr(start, i - start) + u"\\ ";
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch != '\\') continue;
    switch (J(i + 1)) {
      case 'u': {
        str += json.substr(start, i - start);
        const U code = json.substr(i + 2, 4);
        if (code == u"0000") str += u"\\0";
        else if (code == u"0007") str += u"\\a";
        else if (code == u"000b") str += u"\\v";
        else if (code == u"001b") str += u"\\e";
        else if (code == u"0085") str += u"\\N";
        else if (code == u"00a0") str += u"\\_";
        else if (code == u"2028") str += u"\\L";
        else if (code == u"2029") str += u"\\P";
        else if (code.substr(0, 2) == u"00") str += u"\\x" + code.substr(2);
        else str += json.substr(i, 6);
        i += 5;
        start = i + 1;
        break;
      }
      case 'n':
        if (ctx.implicit_key || J(i + 2) == '"' || json.size() < kDoubleQuotedMinMultiLineLength) {
          i += 1;
        } else {
          str += json.substr(start, i - start) + u"\n\n";
          while (J(i + 2) == '\\' && J(i + 3) == 'n' && J(i + 4) != '"') {
            str += u"\n";
            i += 2;
          }
          str += indent;
          if (J(i + 2) == ' ') str += u"\\";
          i += 1;
          start = i + 1;
        }
        break;
      default:
        i += 1;
    }
  }
  str = start ? str + json.substr(start) : json;
  return ctx.implicit_key ? str : FoldFlowLines(str, indent, Fold::kQuoted, ctx.indent_at_start);
}

U SingleQuoted(const U& value, const Ctx& ctx) {
  bool ws_around_nl = false;
  for (std::size_t i = 0; i + 1 < value.size(); ++i) {
    if ((IsWs(value[i]) && value[i + 1] == '\n') || (value[i] == '\n' && IsWs(value[i + 1]))) ws_around_nl = true;
  }
  if ((ctx.implicit_key && value.find('\n') != U::npos) || ws_around_nl) return DoubleQuoted(value, ctx);
  const U indent = !ctx.indent.empty() ? ctx.indent : (ContainsDocumentMarker(value) ? u"  " : u"");
  U doubled;
  for (char16_t c : value) {
    doubled.push_back(c);
    if (c == '\'') doubled.push_back('\'');
  }
  const U res = u"'" + AfterNewlineRuns(doubled, u"\n" + indent) + u"'";
  return ctx.implicit_key ? res : FoldFlowLines(res, indent, Fold::kFlow, ctx.indent_at_start);
}

U Quoted(const U& value, const Ctx& ctx) {
  const bool has_double = value.find('"') != U::npos;
  const bool has_single = value.find('\'') != U::npos;
  if (has_double && !has_single) return SingleQuoted(value, ctx);
  return DoubleQuoted(value, ctx);
}

bool LineLengthOverLimit(const U& str, long indent_length) {
  const long limit = kLineWidth - indent_length;
  const long len = static_cast<long>(str.size());
  if (len <= limit) return false;
  for (long i = 0, start = 0; i < len; ++i) {
    if (str[i] == '\n') {
      if (i - start > limit) return true;
      start = i + 1;
      if (len - start <= limit) return false;
    }
  }
  return true;
}

// .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2'):
// more-indented lines are not folded.
U KeepMoreIndented(const U& s) {
  U out;
  std::size_t p = 0;
  while (p < s.size()) {
    std::size_t g1 = U::npos;
    if (p == 0 && IsWs(s[0])) g1 = 0;
    else if (s[p] == '\n' && p + 1 < s.size() && IsWs(s[p + 1])) g1 = p + 1;
    if (g1 == U::npos) {
      out.push_back(s[p++]);
      continue;
    }
    std::size_t e1 = s.find('\n', g1);
    if (e1 == U::npos) e1 = s.size();
    out += s.substr(g1, e1 - g1);
    std::size_t r = e1;
    while (r < s.size() && IsWsNl(s[r])) ++r;
    if (r > e1 && s[r - 1] == '\n') {
      out += s.substr(e1, r - 1 - e1);
      p = r;
    } else {
      p = e1;
    }
  }
  return out;
}

U BlockString(const U& input, const Ctx& ctx) {
  U value = input;
  // /\n[\t ]+$/: whitespace-only last line
  {
    std::size_t k = value.size();
    while (k > 0 && IsWs(value[k - 1])) --k;
    if (k < value.size() && k > 0 && value[k - 1] == '\n') return Quoted(value, ctx);
  }
  const U indent =
      !ctx.indent.empty() ? ctx.indent : (ctx.force_block_indent || ContainsDocumentMarker(value) ? u"  " : u"");
  const bool literal = !LineLengthOverLimit(value, static_cast<long>(indent.size()));
  if (value.empty()) return literal ? u"|\n" : u">\n";
  std::size_t end_start = value.size();
  for (; end_start > 0; --end_start) {
    const char16_t ch = value[end_start - 1];
    if (ch != '\n' && ch != '\t' && ch != ' ') break;
  }
  U end = value.substr(end_start);
  const std::size_t end_nl = end.find('\n');
  U chomp;
  if (end_nl == U::npos) chomp = u"-";
  else if (value == end || end_nl != end.size() - 1) chomp = u"+";
  if (!end.empty()) {
    value = value.substr(0, value.size() - end.size());
    if (end.back() == '\n') end.pop_back();
    // /(^|(?<!\n))\n+(?!\n|$)/g: runs of newlines not at the end get the indent
    U fixed;
    for (std::size_t i = 0; i < end.size();) {
      if (end[i] != '\n') {
        fixed.push_back(end[i++]);
        continue;
      }
      while (i < end.size() && end[i] == '\n') fixed.push_back(end[i++]);
      if (i < end.size()) fixed += indent;
    }
    end = fixed;
  }
  bool start_with_space = false;
  std::size_t start_end = 0;
  long start_nl = -1;
  for (; start_end < value.size(); ++start_end) {
    const char16_t ch = value[start_end];
    if (ch == ' ') start_with_space = true;
    else if (ch == '\n') start_nl = static_cast<long>(start_end);
    else break;
  }
  U start = value.substr(0, start_nl < static_cast<long>(start_end) ? static_cast<std::size_t>(start_nl + 1) : start_end);
  if (!start.empty()) {
    value = value.substr(start.size());
    start = AfterNewlineRuns(start, indent);
  }
  const U header = (start_with_space ? (indent.empty() ? U(u"1") : U(u"2")) : U()) + chomp;
  if (!literal) {
    U folded = AroundNewlineRuns(value, u"\n", U());
    folded = AfterNewlineRuns(KeepMoreIndented(folded), indent);
    bool literal_fallback = false;
    const U body = FoldFlowLines(start + folded + end, indent, Fold::kBlock, static_cast<long>(ctx.indent.size()),
                                 &literal_fallback);
    if (!literal_fallback) return u">" + header + u"\n" + indent + body;
  }
  value = AfterNewlineRuns(value, indent);
  return u"|" + header + u"\n" + indent + start + value + end;
}

bool Matches(const U& s, bool (*pred)(const std::string&)) { return pred(ToU8(s)); }

bool AllDigits(std::string_view s, bool hex = false, bool oct = false) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = oct ? (c >= '0' && c <= '7')
                        : hex ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
                              : (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// [-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?) when exp, else [-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)
bool DecimalMantissa(std::string_view s, bool need_dot) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  const std::size_t dot = s.find('.');
  if (dot == std::string_view::npos) return !need_dot && AllDigits(s);
  const std::string_view a = s.substr(0, dot), b = s.substr(dot + 1);
  if (a.empty()) return AllDigits(b);
  return AllDigits(a) && (b.empty() || AllDigits(b));
}

// Would a plain scalar read back as a non-string under the core schema?
bool ResolvesToOtherType(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return true;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") return true;
  if (s.size() > 2 && s.compare(0, 2, "0o") == 0 && AllDigits(std::string_view(s).substr(2), false, true)) return true;
  if (s.size() > 2 && s.compare(0, 2, "0x") == 0 && AllDigits(std::string_view(s).substr(2), true)) return true;
  {
    std::string_view t(s);
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) t.remove_prefix(1);
    if (AllDigits(t)) return true;
    if (t == ".inf" || t == ".Inf" || t == ".INF") return true;
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return true;
  const std::size_t e = s.find_first_of("eE");
  if (e != std::string::npos) {
    std::string_view exp = std::string_view(s).substr(e + 1);
    if (!exp.empty() && (exp[0] == '-' || exp[0] == '+')) exp.remove_prefix(1);
    if (AllDigits(exp) && DecimalMantissa(std::string_view(s).substr(0, e), false)) return true;
  }
  return DecimalMantissa(s, true);
}

bool Indicator(char16_t c) {
  return c == '\n' || c == '\t' || c == ' ' || c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == '#' ||
         c == '&' || c == '*' || c == '!' || c == '|' || c == '>' || c == '\'' || c == '"' || c == '%' || c == '@' ||
         c == '`';
}

// /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/
bool NotPlain(const U& v) {
  if (v.empty()) return false;
  if (Indicator(v[0])) return true;
  if ((v[0] == '?' || v[0] == '-') && (v.size() == 1 || IsWs(v[1]))) return true;
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    if ((v[i] == '\n' || v[i] == ':') && IsWs(v[i + 1])) return true;
    if (IsWs(v[i]) && v[i + 1] == '\n') return true;
    if (IsWsNl(v[i]) && v[i + 1] == '#') return true;
  }
  const char16_t last = v.back();
  return IsWsNl(last) || last == ':';
}

U PlainString(const U& value, Ctx ctx, const U& indent_step) {
  if (ctx.implicit_key && value.find('\n') != U::npos) return Quoted(value, ctx);
  if (NotPlain(value)) {
    return ctx.implicit_key || value.find('\n') == U::npos ? Quoted(value, ctx) : BlockString(value, ctx);
  }
  if (!ctx.implicit_key && value.find('\n') != U::npos) return BlockString(value, ctx);
  if (ContainsDocumentMarker(value)) {
    if (ctx.indent.empty()) {
      ctx.force_block_indent = true;
      return BlockString(value, ctx);
    }
    if (ctx.implicit_key && ctx.indent == indent_step) return Quoted(value, ctx);
  }
  const U str = AfterNewlineRuns(value, u"\n" + ctx.indent);
  if (Matches(str, ResolvesToOtherType)) return Quoted(value, ctx);
  return ctx.implicit_key ? str : FoldFlowLines(str, ctx.indent, Fold::kFlow, ctx.indent_at_start);
}

bool NeedsDoubleQuotes(const U& v) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char16_t c = v[i];
    if (c <= 0x08 || (c >= 0x0b && c <= 0x1f) || (c >= 0x7f && c <= 0x9f)) return true;
    if (c >= 0xD800 && c < 0xDC00) {
      if (i + 1 < v.size() && v[i + 1] >= 0xDC00 && v[i + 1] < 0xE000) {
        ++i;
        continue;
      }
      return true;
    }
    if (c >= 0xDC00 && c < 0xE000) return true;
  }
  return false;
}

const U kIndentStep = u"  ";

U StringifyString(const U& value, const Ctx& ctx) {
  if (NeedsDoubleQuotes(value)) return DoubleQuoted(value, ctx);
  return PlainString(value, ctx, kIndentStep);
}

U StringifyNumber(const JsonValue& v) {
  // JavaScript holds every number as a double.
  double d = v.GetDouble();
  if (v.IsInt64() || v.IsUint64()) {
    const bool exact = v.IsInt64() ? std::llabs(v.GetInt64()) <= (1LL << 53) : v.GetUint64() <= (1ULL << 53);
    if (exact) return Lit(v.IsInt64() ? std::to_string(v.GetInt64()) : std::to_string(v.GetUint64()));
  }
  if (d == 0 && std::signbit(d)) return u"-0";
  return Lit(JsNumberToString(d));
}

// An array index key (canonical uint32 below 2^32 - 1) sorts first, as in
// JavaScript's own property order.
std::optional<std::uint32_t> ArrayIndex(std::string_view k) {
  if (k.empty() || k.size() > 10 || (k.size() > 1 && k[0] == '0')) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : k) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  if (n >= 0xFFFFFFFFULL) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

U Stringify(const JsonValue& v, const Ctx& ctx);

bool IsCollection(const JsonValue& v) { return v.IsObject() || v.IsArray(); }
bool IsEmptyCollection(const JsonValue& v) {
  return (v.IsObject() && v.MemberCount() == 0) || (v.IsArray() && v.Empty());
}

U StringifyPair(const U& key, const JsonValue& value, const Ctx& item_ctx) {
  Ctx ctx = item_ctx;
  ctx.implicit_key = true;
  ctx.indent = item_ctx.indent + kIndentStep;
  ctx.indent_at_start.reset();
  U str = StringifyString(key, ctx);
  bool explicit_key = false;
  if (str.size() > 1024) explicit_key = true;
  if (explicit_key) {
    str = u"? " + str + u"\n" + item_ctx.indent + u":";
  } else {
    str += u":";
  }
  ctx.implicit_key = false;
  if (!explicit_key && !IsCollection(value)) ctx.indent_at_start = static_cast<long>(str.size()) + 1;
  const U value_str = Stringify(value, ctx);
  U ws = u" ";
  if (!explicit_key && IsCollection(value)) {
    const bool has_newline = value_str.find('\n') != U::npos;
    if (has_newline || !IsEmptyCollection(value)) ws = u"\n" + ctx.indent;
  } else if (value_str.empty() || value_str[0] == '\n') {
    ws.clear();
  }
  return str + ws + value_str;
}

U JoinBlock(const std::vector<U>& lines, const U& indent, std::u16string_view empty) {
  if (lines.empty()) return U(empty);
  U str = lines[0];
  for (std::size_t i = 1; i < lines.size(); ++i) str += lines[i].empty() ? U(u"\n") : u"\n" + indent + lines[i];
  return str;
}

U Stringify(const JsonValue& v, const Ctx& ctx) {
  if (v.IsNull()) return u"null";
  if (v.IsBool()) return v.GetBool() ? u"true" : u"false";
  if (v.IsNumber()) return StringifyNumber(v);
  if (v.IsString()) return StringifyString(ToU16(AsView(v)), ctx);
  Ctx item_ctx = ctx;
  item_ctx.implicit_key = false;
  std::vector<U> lines;
  if (v.IsArray()) {
    item_ctx.indent = ctx.indent + kIndentStep;
    for (const auto& item : v.GetArray()) lines.push_back(u"- " + Stringify(item, item_ctx));
    return JoinBlock(lines, ctx.indent, u"[]");
  }
  // JSON.parse keeps a repeated key where it first appeared, with its last value.
  std::unordered_map<std::string_view, const JsonValue*> last;
  for (const auto& m : v.GetObject()) last[AsView(m.name)] = &m.value;
  std::vector<std::pair<std::uint32_t, const JsonValue*>> indexed;
  std::vector<const JsonValue*> named;
  std::unordered_set<std::string_view> seen;
  for (const auto& m : v.GetObject()) {
    if (!seen.insert(AsView(m.name)).second) continue;
    if (auto n = ArrayIndex(AsView(m.name))) indexed.emplace_back(*n, &m.name);
    else named.push_back(&m.name);
  }
  std::sort(indexed.begin(), indexed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  const auto pair = [&](const JsonValue* name) {
    lines.push_back(StringifyPair(ToU16(AsView(*name)), *last[AsView(*name)], item_ctx));
  };
  for (const auto& [n, name] : indexed) pair(name);
  for (const JsonValue* name : named) pair(name);
  return JoinBlock(lines, ctx.indent, u"{}");
}

}  // namespace

std::string YamlStringify(const JsonValue& value) {
  Ctx ctx;
  return ToU8(Stringify(value, ctx)) + "\n";
}

}  // namespace idp::scaffolder
