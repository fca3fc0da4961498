// nunjucks 3.2.4's built-in filters and tests, ported function by function
// (lib/filters.js, lib/tests.js) so that their JS quirks carry over: which
// inputs throw, what `normalize` lets through, UTF-16 lengths.
#include <algorithm>
#include <cmath>
#include <random>
#include <regex>
#include <unordered_map>

#include "template/errors.h"
#include "template/interp.h"
#include "template/js.h"

namespace idp::tmpl {

namespace {

Value Arg(const std::vector<Value>& a, std::size_t i) { return i < a.size() ? a[i] : Value(); }

// nunjucks normalize(): null, undefined and false become the default.
Value Normalize(const Value& v, Value dflt) {
  if (v.nullish() || (v.is(Kind::kBool) && !v.boolean())) return dflt;
  return v;
}

bool IsStr(const Value& v) { return v.is(Kind::kString); }
bool IsStrLike(const Value& v) { return v.is(Kind::kString) || v.is(Kind::kSafe); }

// `expr.method is not a function` unless v has string methods.
const std::string& NeedStr(const Value& v, const char* expr) {
  if (!IsStrLike(v)) throw JsError("TypeError", std::string(expr) + " is not a function");
  return v.str();
}

Value CopySafeness(const Value& dest, std::string s) {
  return dest.is(Kind::kSafe) ? Value::Safe(std::move(s)) : Value::String(std::move(s));
}

double Len(Interp& in, const Value& v) { return js::ToNumber(in.Member(v, Value::String("length"))); }

// lib.map over arrays (other values: [] as lib.map does for non-arrays... it
// returns an empty array for null/undefined and iterates array-likes).
std::vector<Value> MapItems(Interp& in, const Value& v) {
  if (v.nullish()) return {};
  if (v.is(Kind::kArray)) return v.array()->items;
  std::vector<Value> out;
  double n = Len(in, v);
  for (double i = 0; i < n; ++i) {
    in.Step();
    out.push_back(in.Member(v, Value::Number(i)));
  }
  return out;
}

Value Abs(Interp&, std::vector<Value>& a) { return Value::Number(std::fabs(js::ToNumber(Arg(a, 0)))); }

Value Batch(Interp& in, std::vector<Value>& a) {
  Value arr = Arg(a, 0);
  double count = js::ToNumber(Arg(a, 1));
  Value fill = Arg(a, 2);
  if (arr.nullish()) throw JsError("TypeError", "Cannot read properties of " + js::ToString(arr) + " (reading 'length')");
  std::vector<Value> res, tmp;
  double n = Len(in, arr);
  for (double i = 0; i < n; ++i) {
    in.Step();
    if (std::fmod(i, count) == 0 && !tmp.empty()) {
      res.push_back(in.heap().NewArray(std::move(tmp)));
      tmp.clear();
    }
    tmp.push_back(in.Member(arr, Value::Number(i)));
  }
  if (!tmp.empty()) {
    if (js::Truthy(fill)) {
      double missing = count - static_cast<double>(tmp.size());
      if (missing > 0) {  // charged before filling: batch(1e9, 'x') stops at once
        auto cells = missing > 1e15 ? std::uint64_t{1} << 50 : static_cast<std::uint64_t>(std::ceil(missing));
        in.Step(cells);
        in.heap().Charge(cells);
      }
      for (double i = static_cast<double>(tmp.size()); i < count; ++i) tmp.push_back(fill);
    }
    res.push_back(in.heap().NewArray(std::move(tmp)));
  }
  return in.heap().NewArray(std::move(res));
}

std::string CapitalizeStr(const std::string& s) {
  std::string lower = js::ToLower(s);
  if (std::all_of(lower.begin(), lower.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    if (!lower.empty() && lower[0] >= 'a' && lower[0] <= 'z') lower[0] = static_cast<char>(lower[0] - 'a' + 'A');
    return lower;
  }
  std::u16string u = js::ToU16(lower);
  if (u.empty()) return "";
  return js::ToUpper(js::FromU16(u.substr(0, 1))) + js::FromU16(u.substr(1));
}

Value Capitalize(Interp&, std::vector<Value>& a) {
  Value s = Normalize(Arg(a, 0), Value::String(""));
  return CopySafeness(s, CapitalizeStr(NeedStr(s, "str.toLowerCase")));
}

Value Center(Interp& in, std::vector<Value>& a) {
  Value s = Normalize(Arg(a, 0), Value::String(""));
  double width = js::Truthy(Arg(a, 1)) ? js::ToNumber(Arg(a, 1)) : 80;
  double len = Len(in, s);
  if (len >= width) return s;
  if (width > 1e7) throw EngineError(ErrorKind::kLimit, "template limit exceeded: string too long");
  double spaces = width - len;
  // lib.repeat(' ', n) repeats while i < n, so fractional counts round up.
  auto rep = [](double n) { return std::string(n > 0 ? static_cast<std::size_t>(std::ceil(n)) : 0, ' '); };
  std::string pre = rep(spaces / 2 - std::fmod(spaces, 2));
  std::string post = rep(spaces / 2);
  return CopySafeness(s, pre + js::ToString(s) + post);
}

Value Default(Interp&, std::vector<Value>& a) {
  Value v = Arg(a, 0), d = Arg(a, 1);
  if (js::Truthy(Arg(a, 2))) return js::Truthy(v) ? v : d;
  return v.undefined() ? d : v;
}

Value Dictsort(Interp& in, std::vector<Value>& a) {
  Value v = Arg(a, 0);
  if (!v.is(Kind::kObject) && !v.is(Kind::kSafe)) throw EngineError(ErrorKind::kRuntime, "Template render error: dictsort filter: val must be an object");
  bool case_sensitive = js::Truthy(Arg(a, 1));
  Value by = Arg(a, 2);
  int si;
  if (by.undefined() || (IsStr(by) && by.str() == "key")) si = 0;
  else if (IsStr(by) && by.str() == "value") si = 1;
  else throw EngineError(ErrorKind::kRuntime, "Template render error: dictsort filter: You can only sort by either key or value");
  std::vector<std::pair<Value, Value>> rows;
  if (v.is(Kind::kObject)) {
    for (const auto& [k, val] : v.object()->entries()) rows.emplace_back(Value::String(k), val);
  } else {
    rows.emplace_back(Value::String("val"), Value::String(v.str()));
    rows.emplace_back(Value::String("length"), Value::Number(static_cast<double>(js::Length16(v.str()))));
  }
  auto key = [&](const std::pair<Value, Value>& r) {
    Value x = si == 0 ? r.first : r.second;
    if (!case_sensitive && IsStr(x)) x = Value::String(js::ToUpper(x.str()));
    return x;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const auto& l, const auto& r) {
    Value x = key(l), y = key(r);
    // comparator: a > b ? 1 : a === b ? 0 : -1
    if (js::Gt(x, y)) return false;
    if (js::StrictEquals(x, y)) return false;
    return true;
  });
  std::vector<Value> out;
  for (auto& r : rows) out.push_back(in.heap().NewArray({r.first, r.second}));
  return in.heap().NewArray(std::move(out));
}

Value Dump(Interp&, std::vector<Value>& a) {
  Value spaces = Arg(a, 1);
  std::string indent;
  if (spaces.is(Kind::kNumber)) {
    double n = std::min(10.0, std::floor(spaces.number()));
    if (n >= 1) indent.assign(static_cast<std::size_t>(n), ' ');
  } else if (spaces.is(Kind::kString)) {
    std::u16string u = js::ToU16(spaces.str());
    indent = js::FromU16(u.substr(0, 10));
  }
  auto s = js::Stringify(Arg(a, 0), indent);
  return s ? Value::String(*s) : Value();
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\\': out += "&#92;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

Value Escape(Interp&, std::vector<Value>& a) {
  Value s = Arg(a, 0);
  if (s.is(Kind::kSafe)) return s;
  return Value::Safe(HtmlEscape(s.nullish() ? std::string() : js::ToString(s)));
}

Value ForceEscape(Interp&, std::vector<Value>& a) {
  Value s = Arg(a, 0);
  return Value::Safe(HtmlEscape(s.nullish() ? std::string() : js::ToString(s)));
}

Value Safe(Interp&, std::vector<Value>& a) {
  Value s = Arg(a, 0);
  if (s.is(Kind::kSafe)) return s;
  return Value::Safe(s.nullish() ? std::string() : js::ToString(s));
}

Value NeedIndexable(const Value& v, const char* what) {
  if (v.nullish()) throw JsError("TypeError", "Cannot read properties of " + js::ToString(v) + " (reading '" + what + "')");
  return v;
}

Value First(Interp& in, std::vector<Value>& a) {
  return in.Member(NeedIndexable(Arg(a, 0), "0"), Value::Number(0));
}

Value Last(Interp& in, std::vector<Value>& a) {
  Value v = NeedIndexable(Arg(a, 0), "length");
  double n = Len(in, v);
  return in.Member(v, Value::Number(n - 1));
}

Value GroupBy(Interp& in, std::vector<Value>& a) {
  Value arr = Arg(a, 0), attr = Arg(a, 1);
  Value result = in.heap().NewObject();
  std::vector<std::string> path;
  if (IsStr(attr)) {
    std::string s = attr.str();
    std::size_t start = 0, pos;
    while ((pos = s.find('.', start)) != std::string::npos) {
      path.push_back(s.substr(start, pos - start));
      start = pos + 1;
    }
    path.push_back(s.substr(start));
  }
  for (const Value& item : MapItems(in, arr)) {
    Value key;
    if (attr.is(Kind::kFunction)) {
      std::vector<Value> args{item};
      key = in.Call(attr, args, "groupby");
    } else if (IsStr(attr)) {
      Value cur = item;
      for (const auto& p : path) {
        if (cur.nullish()) {
          cur = Value();
          break;
        }
        cur = in.Member(cur, Value::String(p));
      }
      key = cur;
    } else {
      key = in.Member(item, attr);
    }
    std::string k = js::PropertyKey(key);
    Value group = result.object()->Get(k);
    if (!group.is(Kind::kArray)) {
      group = in.heap().NewArray();
      result.object()->Set(k, group);
    }
    group.array()->items.push_back(item);
  }
  return result;
}

Value Indent(Interp& in, std::vector<Value>& a) {
  Value s = Normalize(Arg(a, 0), Value::String(""));
  if (IsStr(s) && s.str().empty()) return Value::String("");
  double width = js::Truthy(Arg(a, 1)) ? js::ToNumber(Arg(a, 1)) : 4;
  bool first = js::Truthy(Arg(a, 2));
  const std::string& str = NeedStr(s, "str.split");
  if (width > 1e4) throw EngineError(ErrorKind::kLimit, "template limit exceeded: indent too wide");
  std::string sp(width > 0 ? static_cast<std::size_t>(std::ceil(width)) : 0, ' ');
  std::string out;
  std::size_t start = 0, line = 0;
  for (;;) {
    in.Step();
    std::size_t pos = str.find('\n', start);
    std::string l = str.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
    if (line > 0) out += "\n";
    out += (line == 0 && !first) ? l : sp + l;
    ++line;
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return CopySafeness(s, out);
}

Value Join(Interp& in, std::vector<Value>& a) {
  Value arr = Arg(a, 0);
  Value del = Arg(a, 1);
  std::string sep = js::Truthy(del) ? js::ToString(del) : "";
  Value attr = Arg(a, 2);
  std::vector<Value> items;
  if (js::Truthy(attr)) {
    for (const Value& v : MapItems(in, arr)) {
      if (v.nullish()) throw JsError("TypeError", "Cannot read properties of " + js::ToString(v));
      items.push_back(in.Member(v, attr));
    }
  } else {
    if (!arr.is(Kind::kArray)) throw JsError("TypeError", "arr.join is not a function");
    items = arr.array()->items;
  }
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    if (!items[i].nullish()) out += js::ToString(items[i]);
    if (out.size() > in.env().limits.max_output_bytes) throw EngineError(ErrorKind::kLimit, "template limit exceeded: string too long");
  }
  return Value::String(out);
}

Value Length(Interp& in, std::vector<Value>& a) {
  Value v = Normalize(Arg(a, 0), Value::String(""));
  if (v.is(Kind::kObject)) return Value::Number(static_cast<double>(v.object()->entries().size()));
  return in.Member(v, Value::String("length"));
}

Value List(Interp& in, std::vector<Value>& a) {
  Value v = Arg(a, 0);
  if (IsStr(v)) {
    std::vector<Value> out;
    std::u16string u = js::ToU16(v.str());
    for (std::size_t i = 0; i < u.size(); ++i) out.push_back(Value::String(js::FromU16(u.substr(i, 1))));
    return in.heap().NewArray(std::move(out));
  }
  if (v.is(Kind::kObject) || v.is(Kind::kSafe)) {
    std::vector<Value> out;
    std::vector<std::pair<std::string, Value>> entries;
    if (v.is(Kind::kObject)) entries = v.object()->entries();
    else entries = {{"val", Value::String(v.str())}, {"length", Value::Number(static_cast<double>(js::Length16(v.str())))}};
    for (auto& [k, val] : entries) {
      Value o = in.heap().NewObject();
      o.object()->Set("key", Value::String(k));
      o.object()->Set("value", val);
      out.push_back(o);
    }
    return in.heap().NewArray(std::move(out));
  }
  if (v.is(Kind::kArray)) return v;
  throw EngineError(ErrorKind::kRuntime, "Template render error: list filter: type not iterable");
}

Value Lower(Interp&, std::vector<Value>& a) {
  Value s = Normalize(Arg(a, 0), Value::String(""));
  return Value::String(js::ToLower(NeedStr(s, "str.toLowerCase")));
}

Value Upper(Interp&, std::vector<Value>& a) {
  Value s = Normalize(Arg(a, 0), Value::String(""));
  return Value::String(js::ToUpper(NeedStr(s, "str.toUpperCase")));
}

Value Nl2br(Interp&, std::vector<Value>& a) {
  Value s = Arg(a, 0);
  if (s.nullish()) return Value::String("");
  const std::string& str = NeedStr(s, "str.replace");
  std::string out;
  for (std::size_t i = 0; i < str.size(); ++i) {
    if (str[i] == '\r' && i + 1 < str.size() && str[i + 1] == '\n') {
      out += "<br />\n";
      ++i;
    } else if (str[i] == '\n') {
      out += "<br />\n";
    } else {
      out.push_back(str[i]);
    }
  }
  return CopySafeness(s, out);
}

Value Random(Interp& in, std::vector<Value>& a) {
  Value arr = NeedIndexable(Arg(a, 0), "length");
  double n = Len(in, arr);
  std::random_device rd;
  double r = std::uniform_real_distribution<double>(0, 1)(rd);
  return in.Member(arr, Value::Number(std::floor(r * n)));
}

std::vector<Value> ToArray(Interp& in, const Value& v) {
  if (v.is(Kind::kArray)) return v.array()->items;
  if (IsStr(v)) {
    std::vector<Value> out;
    std::u16string u = js::ToU16(v.str());
    for (std::size_t i = 0; i < u.size(); ++i) out.push_back(Value::String(js::FromU16(u.substr(i, 1))));
    return out;
  }
  return MapItems(in, v);
}

Value SelectOrReject(Interp& in, std::vector<Value>& a, bool expected) {
  std::string test = Arg(a, 1).undefined() ? "truthy" : js::ToString(Arg(a, 1));
  std::vector<Value> out;
  for (const Value& item : ToArray(in, Arg(a, 0))) {
    std::vector<Value> args{item, Arg(a, 2)};
    if (in.RunTest(test, args) == expected) out.push_back(item);
  }
  return in.heap().NewArray(std::move(out));
}
Value Select(Interp& in, std::vector<Value>& a) { return SelectOrReject(in, a, true); }
Value Reject(Interp& in, std::vector<Value>& a) { return SelectOrReject(in, a, false); }

Value AttrFilter(Interp& in, std::vector<Value>& a, bool keep_truthy) {
  Value arr = Arg(a, 0);
  if (!arr.is(Kind::kArray)) throw JsError("TypeError", "arr.filter is not a function");
  std::vector<Value> out;
  for (const Value& item : arr.array()->items) {
    if (item.nullish()) throw JsError("TypeError", "Cannot read properties of " + js::ToString(item));
    if (js::Truthy(in.Member(item, Arg(a, 1))) == keep_truthy) out.push_back(item);
  }
  return in.heap().NewArray(std::move(out));
}
Value SelectAttr(Interp& in, std::vector<Value>& a) { return AttrFilter(in, a, true); }
Value RejectAttr(Interp& in, std::vector<Value>& a) { return AttrFilter(in, a, false); }

constexpr std::size_t kMaxRegexInput = 1000;
constexpr std::size_t kMaxFixedRegexInput = 10000;  // striptags/urlize's own simple patterns

std::regex MakeRegex(const RegexData& r) {
  auto flags = std::regex::ECMAScript;
  if (r.flags.find('i') != std::string::npos) flags |= std::regex::icase;
  if (r.flags.find('m') != std::string::npos) flags |= std::regex::multiline;
  try {
    return std::regex(r.body, flags);
  } catch (const std::regex_error&) {
    throw JsError("SyntaxError", "Invalid regular expression: /" + r.body + "/");
  }
}

Value Replace(Interp& in, std::vector<Value>& a) {
  Value str = Arg(a, 0), old = Arg(a, 1), repl = Arg(a, 2), max_count = Arg(a, 3);
  if (old.is(Kind::kRegex)) {
    const std::string& s = NeedStr(str, "str.replace");
    // std::regex matches by recursion, about a stack frame per character per
    // group: 20k characters overflow an 8 MiB stack with `(a|b)*c`. Template
    // regexes run over names and URLs, so the input is kept short. (Its
    // backtracking has no step bound: see the README's known gaps.)
    if (s.size() > kMaxRegexInput) {
      throw EngineError(ErrorKind::kLimit, "template limit exceeded: regex input longer than " +
                                               std::to_string(kMaxRegexInput) + " bytes");
    }
    std::regex re = MakeRegex(*old.regex());
    bool global = old.regex()->flags.find('g') != std::string::npos;
    std::string rep = js::ToString(repl);
    in.Step(s.size());
    try {
      return Value::String(std::regex_replace(s, re, rep, global ? std::regex_constants::format_default
                                                                 : std::regex_constants::format_first_only));
    } catch (const std::regex_error&) {
      throw EngineError(ErrorKind::kLimit, "template limit exceeded: regular expression too complex");
    }
  }
  double max = max_count.undefined() ? -1 : js::ToNumber(max_count);
  std::string olds;
  if (old.is(Kind::kNumber)) olds = js::NumberToString(old.number());
  else if (IsStr(old)) olds = old.str();
  else return str;
  Value orig = str;
  if (str.is(Kind::kNumber)) str = Value::String(js::NumberToString(str.number()));
  if (!IsStrLike(str)) return str;
  std::string news = js::ToString(repl);
  if (olds.empty()) {
    std::u16string u = js::ToU16(str.str());
    std::string res = news;
    for (std::size_t i = 0; i < u.size(); ++i) {
      in.Step();
      if (i) res += news;
      res += js::FromU16(u.substr(i, 1));
      in.CheckStringSize(res.size());
    }
    res += news;
    if (u.empty()) res = news + news;
    return CopySafeness(str, res);
  }
  if (olds.find('\xED') == std::string::npos) {
    // No lone surrogate in the pattern: UTF-8 is self-synchronising, so byte
    // matches are exactly the UTF-16 matches, without converting both ways.
    const std::string& text = str.str();
    std::size_t at = text.find(olds);
    if (max == 0 || at == std::string::npos) return str;
    std::string res;
    res.reserve(text.size());
    std::size_t pos = 0;
    double count = 0;
    while (at != std::string::npos && (max == -1 || count < max)) {
      in.Step();
      res.append(text, pos, at - pos);
      res += news;
      in.CheckStringSize(res.size());
      pos = at + olds.size();
      ++count;
      at = text.find(olds, pos);
    }
    res.append(text, pos, std::string::npos);
    return CopySafeness(orig, res);
  }
  std::u16string u = js::ToU16(str.str());
  std::u16string o = js::ToU16(olds);
  std::size_t next = u.find(o);
  if (max == 0 || next == std::u16string::npos) return str;
  std::u16string res;
  std::size_t pos = 0;
  double count = 0;
  std::u16string n16 = js::ToU16(news);
  while (next != std::u16string::npos && (max == -1 || count < max)) {
    in.Step();
    res += u.substr(pos, next - pos) + n16;
    in.CheckStringSize(res.size() * 3);  // UTF-16 units to UTF-8 bytes, at most
    pos = next + o.size();
    ++count;
    next = u.find(o, pos);
  }
  if (pos < u.size()) res += u.substr(pos);
  return CopySafeness(orig, js::FromU16(res));
}

Value Reverse(Interp& in, std::vector<Value>& a) {
  Value v = Arg(a, 0);
  if (IsStr(v)) {
    std::u16string u = js::ToU16(v.str());
    std::reverse(u.begin(), u.end());
    return Value::String(js::FromU16(u));
  }
  std::vector<Value> items = MapItems(in, v);
  std::reverse(items.begin(), items.end());
  return in.heap().NewArray(std::move(items));
}

double JsRound(double x) {
  // Math.round: round half up towards +Infinity.
  if (std::isnan(x) || std::isinf(x)) return x;
  double f = std::floor(x);
  return (x - f >= 0.5) ? f + 1 : f;
}

Value Round(Interp&, std::vector<Value>& a) {
  double val = js::ToNumber(Arg(a, 0));
  Value p = Arg(a, 1);
  double precision = js::Truthy(p) ? js::ToNumber(p) : 0;
  double factor = std::pow(10, precision);
  Value m = Arg(a, 2);
  std::string method = IsStr(m) ? m.str() : "";
  double x = val * factor;
  double r = method == "ceil" ? std::ceil(x) : method == "floor" ? std::floor(x) : JsRound(x);
  return Value::Number(r / factor);
}

Value Slice(Interp& in, std::vector<Value>& a) {
  Value arr = NeedIndexable(Arg(a, 0), "length");
  double slices = js::ToNumber(Arg(a, 1));
  Value fill = Arg(a, 2);
  double len = Len(in, arr);
  double slice_len = std::floor(len / slices);
  double extra = std::fmod(len, slices);
  if (!(slices < 1e6)) throw EngineError(ErrorKind::kLimit, "template limit exceeded: too many slices");
  std::vector<Value> res;
  double offset = 0;
  std::vector<Value> items = ToArray(in, arr);
  for (double i = 0; i < slices; ++i) {
    in.Step();
    double start = offset + i * slice_len;
    if (i < extra) ++offset;
    double end = offset + (i + 1) * slice_len;
    std::vector<Value> cur;
    for (double k = std::max(0.0, start); k < std::min(end, static_cast<double>(items.size())); ++k) {
      cur.push_back(items[static_cast<std::size_t>(k)]);
    }
    if (js::Truthy(fill) && i >= extra) cur.push_back(fill);
    res.push_back(in.heap().NewArray(std::move(cur)));
  }
  return in.heap().NewArray(std::move(res));
}

Value Sum(Interp& in, std::vector<Value>& a) {
  Value attr = Arg(a, 1);
  Value start = Arg(a, 2).undefined() ? Value::Number(0) : Arg(a, 2);
  std::vector<Value> items;
  if (js::Truthy(attr)) {
    for (const Value& v : MapItems(in, Arg(a, 0))) items.push_back(in.Member(v, attr));
  } else {
    if (!Arg(a, 0).is(Kind::kArray)) throw JsError("TypeError", "arr.reduce is not a function");
    items = Arg(a, 0).array()->items;
  }
  Value acc = Value::Number(0);
  for (const Value& v : items) acc = js::Add(acc, v);
  return js::Add(start, acc);
}

// makeMacro-style argument sorting for filters declared with named params.
std::vector<Value> MacroArgs(Interp&, std::vector<Value>& a, const std::vector<std::string>& names) {
  std::vector<Value> args = a;
  Value kw;
  if (!args.empty() && args.back().is(Kind::kObject) && args.back().object()->Has("__keywords")) {
    kw = args.back();
    args.pop_back();
  }
  if (args.size() < names.size()) {
    for (std::size_t i = args.size(); i < names.size(); ++i) args.push_back(kw.undefined() ? Value() : kw.object()->Get(names[i]));
  }
  args.resize(std::max(args.size(), names.size()));
  return args;
}

Value Sort(Interp& in, std::vector<Value>& raw) {
  std::vector<Value> a = MacroArgs(in, raw, {"value", "reverse", "case_sensitive", "attribute"});
  bool reversed = js::Truthy(a[1]);
  bool case_sens = js::Truthy(a[2]);
  Value attr = a[3];
  std::vector<Value> items = MapItems(in, a[0]);
  auto get = [&](const Value& v) -> Value {
    if (!js::Truthy(attr)) return v;
    // lib.getAttrGetter: dotted path
    std::string path = js::ToString(attr);
    Value cur = v;
    std::size_t start = 0;
    for (;;) {
      std::size_t pos = path.find('.', start);
      std::string part = path.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
      if (cur.nullish()) throw JsError("TypeError", "Cannot read properties of " + js::ToString(cur) + " (reading '" + part + "')");
      cur = in.Member(cur, Value::String(part));
      if (pos == std::string::npos) break;
      start = pos + 1;
    }
    return cur;
  };
  struct Keyed {
    Value key;
    Value lowered;  // key lower-cased once (string keys, case-insensitive sort)
    Value item;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(items.size());
  for (const Value& v : items) {
    Value key = get(v);
    Value lowered = !case_sens && IsStr(key) ? Value::String(js::ToLower(key.str())) : Value();
    keyed.push_back(Keyed{std::move(key), std::move(lowered), v});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [&](const Keyed& l, const Keyed& r) {
    in.Step();
    // Compared lower-cased only when both keys are strings, as nunjucks does.
    bool fold = !case_sens && IsStr(l.key) && IsStr(r.key);
    const Value& x = fold ? l.lowered : l.key;
    const Value& y = fold ? r.lowered : r.key;
    if (js::Lt(x, y)) return !reversed;
    if (js::Gt(x, y)) return reversed;
    return false;
  });
  std::vector<Value> out;
  out.reserve(keyed.size());
  for (auto& k : keyed) out.push_back(std::move(k.item));
  return in.heap().NewArray(std::move(out));
}

Value String_(Interp&, std::vector<Value>& a) {
  Value v = Arg(a, 0);
  if (v.is(Kind::kSafe)) return v;
  return Value::String(js::ToString(v));
}

std::string TrimStr(const std::string& s) { return js::Trim(s, true, true); }

Value Trim(Interp&, std::vector<Value>& a) {
  Value s = Arg(a, 0);
  return CopySafeness(s, TrimStr(NeedStr(s, "str.replace")));
}

Value Striptags(Interp& in, std::vector<Value>& a) {
  Value s = Normalize(Arg(a, 0), Value::String(""));
  const std::string& str = NeedStr(s, "input.replace");
  if (str.size() > kMaxFixedRegexInput) throw EngineError(ErrorKind::kLimit, "template limit exceeded: striptags input too long");
  in.Step(str.size());
  static const std::regex tags(R"(<\/?([a-z][a-z0-9]*)\b[^>]*>|<!--[\s\S]*?-->)", std::regex::ECMAScript | std::regex::icase);
  std::string trimmed = TrimStr(std::regex_replace(str, tags, ""));
  std::string res;
  if (js::Truthy(Arg(a, 1))) {
    static const std::regex edges("^ +| +$", std::regex::ECMAScript | std::regex::multiline);
    static const std::regex spaces(" +");
    static const std::regex crlf("\r\n");
    static const std::regex many("\n\n\n+");
    res = std::regex_replace(trimmed, edges, "");
    res = std::regex_replace(res, spaces, " ");
    res = std::regex_replace(res, crlf, "\n");
    res = std::regex_replace(res, many, "\n\n");
  } else {
    std::u16string u = js::ToU16(trimmed), out;
    for (std::size_t i = 0; i < u.size();) {
      if (js::IsWhite16(u[i])) {
        while (i < u.size() && js::IsWhite16(u[i])) ++i;
        out += u' ';
      } else {
        out += u[i++];
      }
    }
    res = js::FromU16(out);
  }
  return CopySafeness(s, res);
}

Value Title(Interp&, std::vector<Value>& a) {
  Value s = Normalize(Arg(a, 0), Value::String(""));
  const std::string& str = NeedStr(s, "str.split");
  std::string out;
  std::size_t start = 0;
  for (;;) {
    std::size_t pos = str.find(' ', start);
    std::string word = str.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
    out += CapitalizeStr(word);
    if (pos == std::string::npos) break;
    out += " ";
    start = pos + 1;
  }
  return CopySafeness(s, out);
}

Value Truncate(Interp& in, std::vector<Value>& a) {
  Value orig = Arg(a, 0);
  Value input = Normalize(orig, Value::String(""));
  double length = js::Truthy(Arg(a, 1)) ? js::ToNumber(Arg(a, 1)) : 255;
  if (!js::Lt(Value::Number(length), in.Member(input, Value::String("length")))) return input;
  const std::string& s = NeedStr(input, "input.substring");
  std::u16string u = js::ToU16(s);
  double cut;
  if (js::Truthy(Arg(a, 2))) {
    cut = length;
  } else {
    double from = std::isnan(length) ? 0 : std::clamp(std::trunc(length), 0.0, static_cast<double>(u.size()));
    std::size_t idx = u.rfind(u' ', static_cast<std::size_t>(from));
    cut = idx == std::u16string::npos ? length : static_cast<double>(idx);
  }
  cut = std::isnan(cut) ? 0 : std::clamp(std::trunc(cut), 0.0, static_cast<double>(u.size()));
  std::string res = js::FromU16(u.substr(0, static_cast<std::size_t>(cut)));
  Value end = Arg(a, 3);
  res += end.nullish() ? std::string("...") : js::ToString(end);
  return CopySafeness(orig, res);
}

std::string EncodeUriComponent(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  std::u16string u = js::ToU16(s);
  for (std::size_t i = 0; i < u.size(); ++i) {
    char16_t c = u[i];
    if (c >= 0xD800 && c <= 0xDFFF) {
      bool pair = c <= 0xDBFF && i + 1 < u.size() && u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF;
      if (!pair) throw JsError("URIError", "URI malformed");
    }
  }
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        std::string_view("-_.!~*'()").find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Value Urlencode(Interp& in, std::vector<Value>& a) {
  Value v = Arg(a, 0);
  if (IsStr(v)) return Value::String(EncodeUriComponent(v.str()));
  std::vector<std::pair<Value, Value>> kv;
  if (v.is(Kind::kArray)) {
    for (const Value& item : v.array()->items) {
      if (item.nullish()) throw JsError("TypeError", "undefined is not iterable");
      kv.emplace_back(in.Member(item, Value::Number(0)), in.Member(item, Value::Number(1)));
    }
  } else if (v.is(Kind::kObject)) {
    for (const auto& [k, val] : v.object()->entries()) kv.emplace_back(Value::String(k), val);
  } else if (v.nullish()) {
    throw JsError("TypeError", "Cannot convert undefined or null to object");
  }
  std::string out;
  for (std::size_t i = 0; i < kv.size(); ++i) {
    if (i) out += "&";
    out += EncodeUriComponent(js::ToString(kv[i].first)) + "=" + EncodeUriComponent(js::ToString(kv[i].second));
  }
  return Value::String(out);
}

Value Wordcount(Interp&, std::vector<Value>& a) {
  Value s = Normalize(Arg(a, 0), Value::String(""));
  if (!js::Truthy(s)) return Value::Null();
  const std::string& str = NeedStr(s, "str.match");
  double n = 0;
  bool in_word = false;
  for (char c : str) {
    bool w = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (w && !in_word) ++n;
    in_word = w;
  }
  return n > 0 ? Value::Number(n) : Value::Null();
}

Value Float(Interp&, std::vector<Value>& a) {
  double r = js::ParseFloat(js::ToString(Arg(a, 0)));
  return std::isnan(r) ? Arg(a, 1) : Value::Number(r);
}

Value Int(Interp& in, std::vector<Value>& raw) {
  std::vector<Value> a = MacroArgs(in, raw, {"value", "default", "base"});
  double base = a[2].undefined() ? 10 : js::ToNumber(a[2]);
  double b = std::isnan(base) ? 0 : std::trunc(base);
  double r = js::ParseInt(js::ToString(a[0]), static_cast<int>(std::clamp(b, -1.0, 100.0)));
  return std::isnan(r) ? a[1] : Value::Number(r);
}

Value Urlize(Interp& in, std::vector<Value>& a) {
  const std::string& str = NeedStr(Arg(a, 0), "str.split");
  if (str.size() > kMaxFixedRegexInput) throw EngineError(ErrorKind::kLimit, "template limit exceeded: urlize input too long");
  double length = js::ToNumber(Arg(a, 1));
  if (std::isnan(length)) length = 1e18;
  std::string nofollow = Arg(a, 2).is(Kind::kBool) && Arg(a, 2).boolean() ? " rel=\"nofollow\"" : "";
  static const std::regex punc(R"(^(?:\(|<|&lt;)?([\s\S]*?)(?:\.|,|\)|\n|&gt;)?$)");
  static const std::regex email(R"(^[\w.!#$%&'*+\-\/=?\^`{|}~]+@[a-z\d\-]+(\.[a-z\d\-]+)+$)", std::regex::ECMAScript | std::regex::icase);
  static const std::regex http(R"(^https?:\/\/.*$)");
  static const std::regex www(R"(^www\.)");
  static const std::regex tld(R"(\.(?:org|net|com)(?:\:|\/|$))");
  std::u16string u = js::ToU16(str);
  std::vector<std::string> words;
  for (std::size_t i = 0; i < u.size();) {
    std::size_t j = i;
    bool white = js::IsWhite16(u[i]);
    while (j < u.size() && js::IsWhite16(u[j]) == white) ++j;
    words.push_back(js::FromU16(u.substr(i, j - i)));
    i = j;
  }
  std::string out;
  for (const auto& word : words) {
    in.Step();
    std::smatch m;
    std::string possible = std::regex_match(word, m, punc) ? m[1].str() : word;
    std::u16string pu = js::ToU16(possible);
    std::string short_url = js::FromU16(pu.substr(0, static_cast<std::size_t>(std::max(0.0, std::min(length, 1e9)))));
    if (std::regex_search(possible, http)) out += "<a href=\"" + possible + "\"" + nofollow + ">" + short_url + "</a>";
    else if (std::regex_search(possible, www)) out += "<a href=\"http://" + possible + "\"" + nofollow + ">" + short_url + "</a>";
    else if (std::regex_search(possible, email)) out += "<a href=\"mailto:" + possible + "\">" + possible + "</a>";
    else if (std::regex_search(possible, tld)) out += "<a href=\"http://" + possible + "\"" + nofollow + ">" + short_url + "</a>";
    else out += word;
  }
  return Value::String(out);
}

// ---- tests ----------------------------------------------------------------
bool TCallable(Interp&, std::vector<Value>& a) { return Arg(a, 0).is(Kind::kFunction); }
bool TDefined(Interp&, std::vector<Value>& a) { return !Arg(a, 0).undefined(); }
bool TDivisible(Interp&, std::vector<Value>& a) {
  return std::fmod(js::ToNumber(Arg(a, 0)), js::ToNumber(Arg(a, 1))) == 0;
}
bool TEscaped(Interp&, std::vector<Value>& a) { return Arg(a, 0).is(Kind::kSafe); }
bool TEq(Interp&, std::vector<Value>& a) { return js::StrictEquals(Arg(a, 0), Arg(a, 1)); }
bool TNe(Interp&, std::vector<Value>& a) { return !js::StrictEquals(Arg(a, 0), Arg(a, 1)); }
bool TEven(Interp&, std::vector<Value>& a) { return std::fmod(js::ToNumber(Arg(a, 0)), 2) == 0; }
bool TOdd(Interp&, std::vector<Value>& a) { return std::fmod(js::ToNumber(Arg(a, 0)), 2) == 1; }
bool TFalsy(Interp&, std::vector<Value>& a) { return !js::Truthy(Arg(a, 0)); }
bool TTruthy(Interp&, std::vector<Value>& a) { return js::Truthy(Arg(a, 0)); }
bool TGe(Interp&, std::vector<Value>& a) { return js::Ge(Arg(a, 0), Arg(a, 1)); }
bool TGt(Interp&, std::vector<Value>& a) { return js::Gt(Arg(a, 0), Arg(a, 1)); }
bool TLe(Interp&, std::vector<Value>& a) { return js::Le(Arg(a, 0), Arg(a, 1)); }
bool TLt(Interp&, std::vector<Value>& a) { return js::Lt(Arg(a, 0), Arg(a, 1)); }
bool TLower(Interp&, std::vector<Value>& a) {
  const std::string& s = NeedStr(Arg(a, 0), "value.toLowerCase");
  return js::ToLower(s) == s && Arg(a, 0).is(Kind::kString);
}
bool TUpper(Interp&, std::vector<Value>& a) {
  const std::string& s = NeedStr(Arg(a, 0), "value.toUpperCase");
  return js::ToUpper(s) == s && Arg(a, 0).is(Kind::kString);
}
bool TNull(Interp&, std::vector<Value>& a) { return Arg(a, 0).is(Kind::kNull); }
bool TNumber(Interp&, std::vector<Value>& a) { return Arg(a, 0).is(Kind::kNumber); }
bool TString(Interp&, std::vector<Value>& a) { return Arg(a, 0).is(Kind::kString); }
bool TUndefined(Interp&, std::vector<Value>& a) { return Arg(a, 0).undefined(); }
bool TIterable(Interp&, std::vector<Value>& a) {
  Value v = Arg(a, 0);
  if (v.nullish()) throw JsError("TypeError", "Cannot read properties of " + js::ToString(v) + " (reading 'Symbol(Symbol.iterator)')");
  return v.is(Kind::kArray) || v.is(Kind::kString) || v.is(Kind::kSafe);
}
bool TMapping(Interp&, std::vector<Value>& a) {
  Value v = Arg(a, 0);
  return v.is(Kind::kObject) || v.is(Kind::kSafe) || v.is(Kind::kRegex);
}

}  // namespace

FilterFn FindBuiltinFilter(const std::string& name) {
  static const std::unordered_map<std::string, FilterFn> kFilters = {
      {"abs", Abs}, {"batch", Batch}, {"capitalize", Capitalize}, {"center", Center}, {"default", Default},
      {"d", Default}, {"dictsort", Dictsort}, {"dump", Dump}, {"escape", Escape}, {"e", Escape},
      {"safe", Safe}, {"first", First}, {"forceescape", ForceEscape}, {"groupby", GroupBy}, {"indent", Indent},
      {"join", Join}, {"last", Last}, {"length", Length}, {"list", List}, {"lower", Lower}, {"nl2br", Nl2br},
      {"random", Random}, {"reject", Reject}, {"rejectattr", RejectAttr}, {"select", Select},
      {"selectattr", SelectAttr}, {"replace", Replace}, {"reverse", Reverse}, {"round", Round}, {"slice", Slice},
      {"sum", Sum}, {"sort", Sort}, {"string", String_}, {"striptags", Striptags}, {"title", Title},
      {"trim", Trim}, {"truncate", Truncate}, {"upper", Upper}, {"urlencode", Urlencode}, {"urlize", Urlize},
      {"wordcount", Wordcount}, {"float", Float}, {"int", Int},
  };
  auto it = kFilters.find(name);
  return it == kFilters.end() ? nullptr : it->second;
}

TestFn FindTest(const std::string& name) {
  static const std::unordered_map<std::string, TestFn> kTests = {
      {"callable", TCallable}, {"defined", TDefined}, {"divisibleby", TDivisible}, {"escaped", TEscaped},
      {"equalto", TEq}, {"eq", TEq}, {"sameas", TEq}, {"even", TEven}, {"falsy", TFalsy}, {"ge", TGe},
      {"greaterthan", TGt}, {"gt", TGt}, {"le", TLe}, {"lessthan", TLt}, {"lt", TLt}, {"lower", TLower},
      {"ne", TNe}, {"null", TNull}, {"number", TNumber}, {"odd", TOdd}, {"string", TString},
      {"truthy", TTruthy}, {"undefined", TUndefined}, {"upper", TUpper}, {"iterable", TIterable},
      {"mapping", TMapping},
  };
  auto it = kTests.find(name);
  return it == kTests.end() ? nullptr : it->second;
}

}  // namespace idp::tmpl
