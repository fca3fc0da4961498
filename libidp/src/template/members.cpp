// JS member functions a template may call on data: `'a-b'.split('-')`,
// `name.startsWith('x')`, `list.join(', ')`, `(3.14159).toFixed(2)`. Only these
// approved intrinsics exist; there is no path to constructors or prototypes.
#include <algorithm>
#include <cmath>

#include "template/errors.h"
#include "template/interp.h"
#include "template/js.h"

namespace idp::tmpl {

namespace {

Value Arg(const std::vector<Value>& a, std::size_t i) { return i < a.size() ? a[i] : Value(); }

// ToIntegerOrInfinity, clamped into [0, len] with negative values counted from the end.
double RelIndex(const Value& v, double len, double dflt) {
  if (v.undefined()) return dflt;
  double d = js::ToNumber(v);
  if (std::isnan(d)) d = 0;
  d = std::trunc(d);
  if (d < 0) return std::max(0.0, len + d);
  return std::min(d, len);
}

double ClampIndex(const Value& v, double len, double dflt) {
  if (v.undefined()) return dflt;
  double d = js::ToNumber(v);
  if (std::isnan(d)) d = 0;
  return std::clamp(std::trunc(d), 0.0, len);
}

std::size_t Find16(const std::u16string& s, const std::u16string& needle, std::size_t from) {
  if (from > s.size()) return std::u16string::npos;
  return s.find(needle, from);
}

std::string Sub16(const std::u16string& s, double a, double b) {
  if (b <= a) return "";
  return js::FromU16(std::u16string_view(s).substr(static_cast<std::size_t>(a), static_cast<std::size_t>(b - a)));
}

// GetSubstitution for string patterns: $$, $&, $`, $'.
std::string Substitute(const std::u16string& str, std::size_t pos, const std::u16string& matched,
                       const std::string& replacement) {
  std::u16string rep = js::ToU16(replacement), out;
  for (std::size_t i = 0; i < rep.size(); ++i) {
    if (rep[i] == u'$' && i + 1 < rep.size()) {
      char16_t c = rep[i + 1];
      if (c == u'$') { out += u'$'; ++i; continue; }
      if (c == u'&') { out += matched; ++i; continue; }
      if (c == u'`') { out += str.substr(0, pos); ++i; continue; }
      if (c == u'\'') { out += str.substr(std::min(str.size(), pos + matched.size())); ++i; continue; }
    }
    out += rep[i];
  }
  return js::FromU16(out);
}

Value StringMethod(Interp& in, const std::string& self, const std::string& name) {
  Heap& h = in.heap();
  auto make = [&](auto fn) { return h.NewFunction(name, [self, fn](Interp& i, std::vector<Value>& a) { return fn(i, self, a); }); };
  if (name == "toUpperCase" || name == "toLocaleUpperCase")
    return make([](Interp&, const std::string& s, std::vector<Value>&) { return Value::String(js::ToUpper(s)); });
  if (name == "toLowerCase" || name == "toLocaleLowerCase")
    return make([](Interp&, const std::string& s, std::vector<Value>&) { return Value::String(js::ToLower(s)); });
  if (name == "trim") return make([](Interp&, const std::string& s, std::vector<Value>&) { return Value::String(js::Trim(s, true, true)); });
  if (name == "trimStart" || name == "trimLeft")
    return make([](Interp&, const std::string& s, std::vector<Value>&) { return Value::String(js::Trim(s, true, false)); });
  if (name == "trimEnd" || name == "trimRight")
    return make([](Interp&, const std::string& s, std::vector<Value>&) { return Value::String(js::Trim(s, false, true)); });
  if (name == "toString" || name == "valueOf")
    return make([](Interp&, const std::string& s, std::vector<Value>&) { return Value::String(s); });
  if (name == "split") {
    return make([](Interp& i, const std::string& s, std::vector<Value>& a) {
      Value sep = Arg(a, 0);
      double limit = Arg(a, 1).undefined() ? 4294967295.0 : js::ToNumber(Arg(a, 1));
      std::vector<Value> out;
      auto push = [&](std::string piece) {
        if (static_cast<double>(out.size()) < limit) out.push_back(Value::String(std::move(piece)));
      };
      if (limit == 0) return i.heap().NewArray();
      if (sep.undefined()) {
        push(s);
        return i.heap().NewArray(std::move(out));
      }
      std::u16string u = js::ToU16(s), d = js::ToU16(js::ToString(sep));
      if (d.empty()) {
        for (std::size_t k = 0; k < u.size(); ++k) {
          i.Step();
          push(js::FromU16(std::u16string_view(u).substr(k, 1)));
        }
        return i.heap().NewArray(std::move(out));
      }
      std::size_t start = 0, pos;
      while ((pos = u.find(d, start)) != std::u16string::npos) {
        i.Step();
        push(js::FromU16(std::u16string_view(u).substr(start, pos - start)));
        start = pos + d.size();
      }
      push(js::FromU16(std::u16string_view(u).substr(start)));
      return i.heap().NewArray(std::move(out));
    });
  }
  if (name == "startsWith" || name == "endsWith" || name == "includes" || name == "indexOf" || name == "lastIndexOf") {
    return h.NewFunction(name, [self, name](Interp&, std::vector<Value>& a) -> Value {
      std::u16string u = js::ToU16(self), n = js::ToU16(js::ToString(Arg(a, 0)));
      double len = static_cast<double>(u.size());
      if (name == "startsWith") {
        double p = ClampIndex(Arg(a, 1), len, 0);
        return Value::Bool(u.compare(static_cast<std::size_t>(p), n.size(), n) == 0 && p + static_cast<double>(n.size()) <= len);
      }
      if (name == "endsWith") {
        double e = ClampIndex(Arg(a, 1), len, len);
        double st = e - static_cast<double>(n.size());
        if (st < 0) return Value::Bool(false);
        return Value::Bool(u.compare(static_cast<std::size_t>(st), n.size(), n) == 0);
      }
      if (name == "lastIndexOf") {
        double p = Arg(a, 1).undefined() ? len : ClampIndex(Arg(a, 1), len, len);
        std::size_t r = u.rfind(n, static_cast<std::size_t>(p));
        return Value::Number(r == std::u16string::npos ? -1 : static_cast<double>(r));
      }
      double p = ClampIndex(Arg(a, 1), len, 0);
      std::size_t r = Find16(u, n, static_cast<std::size_t>(p));
      if (name == "includes") return Value::Bool(r != std::u16string::npos);
      return Value::Number(r == std::u16string::npos ? -1 : static_cast<double>(r));
    });
  }
  if (name == "slice" || name == "substring" || name == "substr" || name == "charAt" || name == "at" ||
      name == "charCodeAt") {
    return h.NewFunction(name, [self, name](Interp&, std::vector<Value>& a) -> Value {
      std::u16string u = js::ToU16(self);
      double len = static_cast<double>(u.size());
      if (name == "slice") return Value::String(Sub16(u, RelIndex(Arg(a, 0), len, 0), RelIndex(Arg(a, 1), len, len)));
      if (name == "substring") {
        double x = ClampIndex(Arg(a, 0), len, 0), y = ClampIndex(Arg(a, 1), len, len);
        return Value::String(Sub16(u, std::min(x, y), std::max(x, y)));
      }
      if (name == "substr") {
        double st = RelIndex(Arg(a, 0), len, 0);
        double l = Arg(a, 1).undefined() ? len : std::trunc(js::ToNumber(Arg(a, 1)));
        if (std::isnan(l)) l = 0;
        double e = std::min(st + std::max(l, 0.0), len);
        return Value::String(Sub16(u, st, e));
      }
      double i = Arg(a, 0).undefined() ? 0 : std::trunc(js::ToNumber(Arg(a, 0)));
      if (std::isnan(i)) i = 0;
      if (name == "at" && i < 0) i += len;
      if (i < 0 || i >= len) {
        if (name == "charCodeAt") return Value::Number(std::nan(""));
        return name == "at" ? Value() : Value::String("");
      }
      if (name == "charCodeAt") return Value::Number(u[static_cast<std::size_t>(i)]);
      return Value::String(Sub16(u, i, i + 1));
    });
  }
  if (name == "padStart" || name == "padEnd") {
    return h.NewFunction(name, [self, name](Interp& in2, std::vector<Value>& a) -> Value {
      std::u16string u = js::ToU16(self);
      double target = js::ToNumber(Arg(a, 0));
      if (std::isnan(target) || target <= static_cast<double>(u.size())) return Value::String(self);
      if (target > 1e7) throw EngineError(ErrorKind::kLimit, "template limit exceeded: string too long");
      std::u16string fill = Arg(a, 1).undefined() ? u" " : js::ToU16(js::ToString(Arg(a, 1)));
      if (fill.empty()) return Value::String(self);
      in2.Step(static_cast<std::uint64_t>(target) / 64);
      std::u16string pad;
      auto need = static_cast<std::size_t>(target) - u.size();
      while (pad.size() < need) pad += fill;
      pad.resize(need);
      return Value::String(js::FromU16(name == "padStart" ? pad + u : u + pad));
    });
  }
  if (name == "repeat") {
    return h.NewFunction(name, [self](Interp& in2, std::vector<Value>& a) -> Value {
      double n = js::ToNumber(Arg(a, 0));
      if (std::isnan(n)) n = 0;
      if (n < 0 || std::isinf(n)) throw JsError("RangeError", "Invalid count value: " + js::NumberToString(n));
      if (n * static_cast<double>(self.size()) > static_cast<double>(in2.env().limits.max_output_bytes)) {
        throw EngineError(ErrorKind::kLimit, "template limit exceeded: string too long");
      }
      std::string out;
      for (double k = 0; k < std::trunc(n); ++k) out += self;
      return Value::String(out);
    });
  }
  if (name == "concat") {
    return h.NewFunction(name, [self](Interp&, std::vector<Value>& a) -> Value {
      std::string out = self;
      for (const auto& v : a) out += js::ToString(v);
      return Value::String(out);
    });
  }
  if (name == "replace" || name == "replaceAll") {
    return h.NewFunction(name, [self, name](Interp& in2, std::vector<Value>& a) -> Value {
      if (Arg(a, 0).is(Kind::kRegex)) {
        throw EngineError(ErrorKind::kRefused, "regular expressions are not supported in member calls");
      }
      std::u16string u = js::ToU16(self), pat = js::ToU16(js::ToString(Arg(a, 0)));
      Value rep = Arg(a, 1);
      std::u16string out;
      std::size_t start = 0;
      bool all = name == "replaceAll";
      std::size_t pos = u.find(pat, 0);
      while (pos != std::u16string::npos) {
        in2.Step();
        out += u.substr(start, pos - start);
        std::string r;
        if (rep.is(Kind::kFunction)) {
          std::vector<Value> args{Value::String(js::FromU16(pat)), Value::Number(static_cast<double>(pos)), Value::String(self)};
          r = js::ToString(in2.Call(rep, args, "replacer"));
        } else {
          r = Substitute(u, pos, pat, js::ToString(rep));
        }
        out += js::ToU16(r);
        start = pos + pat.size();
        if (!all) break;
        pos = u.find(pat, pat.empty() ? start + 1 : start);
        if (pat.empty() && start >= u.size()) {
          if (start == u.size() && pos == std::u16string::npos) break;
        }
      }
      out += u.substr(std::min(start, u.size()));
      return Value::String(js::FromU16(out));
    });
  }
  return Value();
}

Value ArrayMethod(Interp& in, ArrayData* arr, const std::string& name) {
  Heap& h = in.heap();
  Value self = Value::Array(arr);
  if (name == "join" || name == "toString") {
    return h.NewFunction(name, [arr, name](Interp&, std::vector<Value>& a) -> Value {
      std::string sep = (name == "join" && !Arg(a, 0).undefined()) ? js::ToString(Arg(a, 0)) : ",";
      std::string out;
      for (std::size_t i = 0; i < arr->items.size(); ++i) {
        if (i) out += sep;
        if (!arr->items[i].nullish()) out += js::ToString(arr->items[i]);
      }
      return Value::String(out);
    });
  }
  if (name == "slice") {
    return h.NewFunction(name, [arr](Interp& i, std::vector<Value>& a) -> Value {
      double len = static_cast<double>(arr->items.size());
      double s = RelIndex(Arg(a, 0), len, 0), e = RelIndex(Arg(a, 1), len, len);
      std::vector<Value> out;
      for (double k = s; k < e; ++k) out.push_back(arr->items[static_cast<std::size_t>(k)]);
      return i.heap().NewArray(std::move(out));
    });
  }
  if (name == "concat") {
    return h.NewFunction(name, [arr](Interp& i, std::vector<Value>& a) -> Value {
      std::vector<Value> out = arr->items;
      for (const auto& v : a) {
        if (v.is(Kind::kArray)) out.insert(out.end(), v.array()->items.begin(), v.array()->items.end());
        else out.push_back(v);
      }
      return i.heap().NewArray(std::move(out));
    });
  }
  if (name == "indexOf" || name == "includes" || name == "lastIndexOf") {
    return h.NewFunction(name, [arr, name](Interp&, std::vector<Value>& a) -> Value {
      Value x = Arg(a, 0);
      const auto& items = arr->items;
      if (name == "lastIndexOf") {
        for (std::size_t k = items.size(); k-- > 0;) {
          if (js::StrictEquals(items[k], x)) return Value::Number(static_cast<double>(k));
        }
        return Value::Number(-1);
      }
      double len = static_cast<double>(items.size());
      for (double k = RelIndex(Arg(a, 1), len, 0); k < len; ++k) {
        const Value& it = items[static_cast<std::size_t>(k)];
        bool eq = js::StrictEquals(it, x) ||
                  (name == "includes" && it.is(Kind::kNumber) && x.is(Kind::kNumber) && std::isnan(it.number()) &&
                   std::isnan(x.number()));
        if (eq) return name == "includes" ? Value::Bool(true) : Value::Number(k);
      }
      return name == "includes" ? Value::Bool(false) : Value::Number(-1);
    });
  }
  if (name == "push" || name == "unshift") {
    return h.NewFunction(name, [arr, name](Interp& i, std::vector<Value>& a) -> Value {
      i.Step(a.size());
      if (name == "push") arr->items.insert(arr->items.end(), a.begin(), a.end());
      else arr->items.insert(arr->items.begin(), a.begin(), a.end());
      return Value::Number(static_cast<double>(arr->items.size()));
    });
  }
  if (name == "pop" || name == "shift") {
    return h.NewFunction(name, [arr, name](Interp&, std::vector<Value>&) -> Value {
      if (arr->items.empty()) return Value();
      Value v;
      if (name == "pop") {
        v = arr->items.back();
        arr->items.pop_back();
      } else {
        v = arr->items.front();
        arr->items.erase(arr->items.begin());
      }
      return v;
    });
  }
  if (name == "reverse") {
    return h.NewFunction(name, [arr, self](Interp&, std::vector<Value>&) -> Value {
      std::reverse(arr->items.begin(), arr->items.end());
      return self;
    });
  }
  if (name == "at") {
    return h.NewFunction(name, [arr](Interp&, std::vector<Value>& a) -> Value {
      double len = static_cast<double>(arr->items.size());
      double k = std::trunc(js::ToNumber(Arg(a, 0)));
      if (std::isnan(k)) k = 0;
      if (k < 0) k += len;
      if (k < 0 || k >= len) return Value();
      return arr->items[static_cast<std::size_t>(k)];
    });
  }
  return Value();
}

}  // namespace

Value BuiltinMethod(Interp& in, const Value& obj, const std::string& name) {
  switch (obj.kind()) {
    case Kind::kString:
    case Kind::kSafe: return StringMethod(in, obj.str(), name);
    case Kind::kArray: return ArrayMethod(in, obj.array(), name);
    case Kind::kNumber: {
      double d = obj.number();
      if (name == "toFixed") {
        return in.heap().NewFunction(name, [d](Interp&, std::vector<Value>& a) -> Value {
          double f = Arg(a, 0).undefined() ? 0 : std::trunc(js::ToNumber(Arg(a, 0)));
          if (std::isnan(f)) f = 0;
          if (f < 0 || f > 100) throw JsError("RangeError", "toFixed() digits argument must be between 0 and 100");
          return Value::String(js::ToFixed(d, static_cast<int>(f)));
        });
      }
      if (name == "toString") {
        return in.heap().NewFunction(name, [d](Interp&, std::vector<Value>& a) -> Value {
          double r = Arg(a, 0).undefined() ? 10 : js::ToNumber(Arg(a, 0));
          if (!(r >= 2 && r <= 36)) throw JsError("RangeError", "toString() radix must be between 2 and 36");
          return Value::String(js::NumberToRadixString(d, static_cast<int>(r)));
        });
      }
      if (name == "valueOf") {
        return in.heap().NewFunction(name, [d](Interp&, std::vector<Value>&) { return Value::Number(d); });
      }
      return Value();
    }
    case Kind::kBool:
      if (name == "toString") {
        bool b = obj.boolean();
        return in.heap().NewFunction(name, [b](Interp&, std::vector<Value>&) { return Value::String(b ? "true" : "false"); });
      }
      return Value();
    case Kind::kRegex:
      if (name == "source") return Value::String(obj.regex()->body);
      if (name == "flags") return Value::String(obj.regex()->flags);
      return Value();
    default: return Value();
  }
}

}  // namespace idp::tmpl
