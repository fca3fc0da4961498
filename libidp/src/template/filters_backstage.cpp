// Backstage's scaffolder filters: parseRepoUrl, projectSlug, parseEntityRef,
// pick. In Backstage they run on the host side of the sandbox, so arguments
// are deep-copied in and results come back through JSON (undefined members
// vanish, an undefined result becomes undefined); we do the same.
#include <algorithm>

#include "core/utf8.h"
#include "template/errors.h"
#include "template/interp.h"
#include "template/js.h"
#include "template/parser.h"

namespace idp::tmpl {

namespace {

Value Arg(const std::vector<Value>& a, std::size_t i) { return i < a.size() ? a[i] : Value(); }

EngineError InputError(const std::string& msg) { return EngineError(ErrorKind::kRuntime, "InputError: " + msg); }

// structuredClone across the boundary: SafeStrings arrive as plain objects,
// functions cannot be cloned.
Value CloneIn(Interp& in, const Value& v) {
  switch (v.kind()) {
    case Kind::kSafe: {
      Value o = in.heap().NewObject();
      o.object()->Set("val", Value::String(v.str()));
      o.object()->Set("length", Value::Number(static_cast<double>(js::Length16(v.str()))));
      return o;
    }
    case Kind::kFunction: throw EngineError(ErrorKind::kRuntime, "DataCloneError: function could not be cloned.");
    case Kind::kArray: {
      std::vector<Value> items;
      for (const auto& x : v.array()->items) items.push_back(CloneIn(in, x));
      return in.heap().NewArray(std::move(items));
    }
    case Kind::kObject: {
      Value o = in.heap().NewObject();
      for (const auto& [k, x] : v.object()->entries()) o.object()->Set(k, CloneIn(in, x));
      return o;
    }
    default: return v;
  }
}

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && HexVal(s[i + 1]) >= 0 && HexVal(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexVal(s[i + 1]) * 16 + HexVal(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  if (IsValidUtf8(out)) return out;
  return js::FromU16(js::ToU16(out));  // invalid UTF-8 becomes U+FFFD as in URLSearchParams
}

struct Url {
  std::string host;  // hostname[:port]
  std::string path;
  std::string query;  // raw, without '?'
  bool has_query = false;
  std::string fragment;
  bool has_fragment = false;
  std::vector<std::pair<std::string, std::string>> params;
  std::string Serialize() const {
    std::string s = "https://" + host + path;
    if (has_query) s += "?" + query;
    if (has_fragment) s += "#" + fragment;
    return s;
  }
  const std::string* Get(const std::string& name) const {
    for (const auto& [k, v] : params) {
      if (k == name) return &v;
    }
    return nullptr;
  }
};

// Just enough of the WHATWG URL parser for `https://<input>`.
bool ParseHttpsUrl(std::string input, Url& url) {
  // strip leading/trailing C0 controls and spaces, remove tabs and newlines
  auto is_c0 = [](char c) { return static_cast<unsigned char>(c) <= 0x20; };
  while (!input.empty() && is_c0(input.front())) input.erase(input.begin());
  while (!input.empty() && is_c0(input.back())) input.pop_back();
  input.erase(std::remove_if(input.begin(), input.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }),
              input.end());
  std::string_view s = input;
  s.remove_prefix(std::string_view("https:").size());
  while (!s.empty() && (s[0] == '/' || s[0] == '\\')) s.remove_prefix(1);
  std::size_t end = s.find_first_of("/\\?#");
  std::string_view authority = s.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? std::string_view() : s.substr(end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view hostpart = authority, port;
  if (auto colon = authority.rfind(':'); colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    hostpart = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (hostpart.empty()) return false;
  std::string host = PercentDecode(hostpart, false);
  for (char& c : host) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (std::string_view(" #%/:<>?@[\\]^|").find(c) != std::string_view::npos && c != '\0') return false;
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  std::string port_str;
  if (!port.empty()) {
    for (char c : port) {
      if (c < '0' || c > '9') return false;
    }
    std::size_t digits = port.find_first_not_of('0');
    std::string_view trimmed = digits == std::string_view::npos ? "0" : port.substr(digits);
    if (trimmed.size() > 5 || std::stoul(std::string(trimmed)) > 65535) return false;
    if (trimmed != "443") port_str = std::string(trimmed);
  }
  url.host = port_str.empty() ? host : host + ":" + port_str;
  std::size_t q = rest.find('?'), h = rest.find('#');
  if (h != std::string_view::npos && (q == std::string_view::npos || h < q)) q = std::string_view::npos;
  std::string_view path = rest.substr(0, std::min(q, h));
  url.path = path.empty() ? "/" : std::string(path);
  std::replace(url.path.begin(), url.path.end(), '\\', '/');
  if (q != std::string_view::npos) {
    url.has_query = true;
    std::string_view query = rest.substr(q + 1, h == std::string_view::npos ? std::string_view::npos : h - q - 1);
    for (char c : query) {
      switch (c) {
        case ' ': url.query += "%20"; break;
        case '"': url.query += "%22"; break;
        case '<': url.query += "%3C"; break;
        case '>': url.query += "%3E"; break;
        case '\'': url.query += "%27"; break;
        default: url.query.push_back(c);
      }
    }
    std::size_t start = 0;
    while (start <= query.size()) {
      std::size_t amp = query.find('&', start);
      std::string_view part = query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
      if (!part.empty()) {
        std::size_t eq = part.find('=');
        std::string name = PercentDecode(part.substr(0, eq), true);
        std::string value = eq == std::string_view::npos ? "" : PercentDecode(part.substr(eq + 1), true);
        url.params.emplace_back(name, value);
      }
      if (amp == std::string_view::npos) break;
      start = amp + 1;
    }
  }
  if (h != std::string_view::npos) {
    url.has_fragment = true;
    url.fragment = std::string(rest.substr(h + 1));
  }
  return true;
}

std::string TrimSlashes(std::string s) {
  std::size_t b = s.find_first_not_of('/');
  if (b == std::string::npos) return "";
  std::size_t e = s.find_last_not_of('/');
  return s.substr(b, e - b + 1);
}

Value ParseRepoUrlValue(Interp& in, const Value& input) {
  std::string raw = js::ToString(input);
  Url url;
  if (!ParseHttpsUrl("https://" + raw, url)) {
    throw InputError("Invalid repo URL passed to publisher, got " + raw + ", TypeError: Invalid URL");
  }
  std::string type;
  if (in.env().integrations) {
    for (const auto& integ : *in.env().integrations) {
      if (integ.host == url.host) {
        type = integ.type;
        break;
      }
    }
  }
  if (type.empty()) {
    throw InputError("No matching integration configuration for host " + url.host +
                     ", please check your integrations config");
  }
  auto require = [&](std::initializer_list<const char*> names) {
    for (const char* n : names) {
      const std::string* v = url.Get(n);
      if (!v || v->empty()) {
        throw InputError("Invalid repo URL passed to publisher: " + url.Serialize() + ", missing " + n);
      }
    }
  };
  const std::string* project = url.Get("project");
  if (type == "bitbucketCloud") require({"workspace", "project", "repo"});
  else if (type == "bitbucketServer" || type == "azure") require({"project", "repo"});
  else if (type == "gitlab") {
    if (!project || TrimSlashes(*project).empty()) require({"owner", "repo"});
  } else if (type == "gitea" || type == "gerrit") require({"repo"});
  else require({"repo", "owner"});
  Value out = in.heap().NewObject();
  out.object()->Set("host", Value::String(url.host));
  for (const char* key : {"owner", "repo", "organization", "workspace", "project"}) {
    if (const std::string* v = url.Get(key)) out.object()->Set(key, Value::String(TrimSlashes(*v)));
  }
  return out;
}

Value ParseRepoUrl(Interp& in, std::vector<Value>& a) { return ParseRepoUrlValue(in, CloneIn(in, Arg(a, 0))); }

Value ProjectSlug(Interp& in, std::vector<Value>& a) {
  Value r = ParseRepoUrlValue(in, CloneIn(in, Arg(a, 0)));
  return Value::String(js::ToString(r.object()->Get("owner")) + "/" + js::ToString(r.object()->Get("repo")));
}

Value Prop(Interp& in, const Value& obj, const std::string& key) {
  if (obj.nullish()) throw JsError("TypeError", "Cannot read properties of " + js::ToString(obj) + " (reading '" + key + "')");
  return in.Member(obj, Value::String(key));
}

Value ParseEntityRef(Interp& in, std::vector<Value>& a) {
  Value ref = CloneIn(in, Arg(a, 0));
  Value context = CloneIn(in, Arg(a, 1));
  if (!js::Truthy(ref)) throw EngineError(ErrorKind::kRuntime, "Error: Entity reference must not be empty");
  Value default_kind = context.nullish() ? Value() : in.Member(context, Value::String("defaultKind"));
  Value default_ns = context.nullish() ? Value() : in.Member(context, Value::String("defaultNamespace"));
  if (!js::Truthy(default_ns)) default_ns = Value::String("default");
  Value kind, ns, name;
  if (ref.is(Kind::kString)) {
    std::u16string u = js::ToU16(ref.str());
    std::size_t colon = u.find(u':'), slash = u.find(u'/');
    if (slash != std::u16string::npos && colon != std::u16string::npos && slash < colon) colon = std::u16string::npos;
    Value pk, pn;
    std::size_t name_start = 0;
    if (colon != std::u16string::npos) {
      pk = Value::String(js::FromU16(u.substr(0, colon)));
      name_start = colon + 1;
    }
    if (slash != std::u16string::npos) {
      std::size_t ns_start = colon == std::u16string::npos ? 0 : colon + 1;
      pn = Value::String(slash >= ns_start ? js::FromU16(u.substr(ns_start, slash - ns_start)) : "");
      name_start = std::max(name_start, slash + 1);
    }
    std::string pname = js::FromU16(u.substr(std::min(name_start, u.size())));
    if ((pk.is(Kind::kString) && pk.str().empty()) || (pn.is(Kind::kString) && pn.str().empty()) || pname.empty()) {
      throw EngineError(ErrorKind::kRuntime, "TypeError: Entity reference \"" + ref.str() +
                                                 "\" was not on the form [<kind>:][<namespace>/]<name>");
    }
    kind = pk.undefined() ? default_kind : pk;
    ns = pn.undefined() ? default_ns : pn;
    name = Value::String(pname);
  } else {
    kind = Prop(in, ref, "kind");
    if (kind.nullish()) kind = default_kind;
    ns = Prop(in, ref, "namespace");
    if (ns.nullish()) ns = default_ns;
    name = Prop(in, ref, "name");
  }
  auto textual = [&] { return js::Stringify(ref).value_or("undefined"); };
  if (!js::Truthy(kind)) {
    throw EngineError(ErrorKind::kRuntime, "Error: Entity reference " + textual() +
                                               " had missing or empty kind (e.g. did not start with \"component:\" or similar)");
  }
  if (!js::Truthy(ns)) throw EngineError(ErrorKind::kRuntime, "Error: Entity reference " + textual() + " had missing or empty namespace");
  if (!js::Truthy(name)) throw EngineError(ErrorKind::kRuntime, "Error: Entity reference " + textual() + " had missing or empty name");
  Value out = in.heap().NewObject();
  out.object()->Set("kind", kind);
  out.object()->Set("namespace", ns);
  out.object()->Set("name", name);
  return out;
}

// lodash stringToPath: `a.b[0]["c"]`.
std::vector<std::string> StringToPath(const std::string& s) {
  std::vector<std::string> out;
  if (!s.empty() && s[0] == '.') out.emplace_back();
  std::size_t i = 0;
  std::string cur;
  bool have = false;
  while (i < s.size()) {
    char c = s[i];
    if (c == '.') {
      if (have || (i > 0 && s[i - 1] != ']')) out.push_back(cur);
      cur.clear();
      have = false;
      ++i;
    } else if (c == '[') {
      if (have) out.push_back(cur);
      cur.clear();
      have = false;
      std::size_t close = s.find(']', i);
      if (close == std::string::npos) {
        cur = s.substr(i);
        have = true;
        break;
      }
      std::string inner = s.substr(i + 1, close - i - 1);
      if (inner.size() >= 2 && (inner[0] == '"' || inner[0] == '\'') && inner.back() == inner[0]) {
        std::string unq;
        for (std::size_t k = 1; k + 1 < inner.size(); ++k) {
          if (inner[k] == '\\' && k + 2 < inner.size()) ++k;
          unq.push_back(inner[k]);
        }
        out.push_back(unq);
      } else {
        out.push_back(inner);
      }
      i = close + 1;
    } else {
      cur.push_back(c);
      have = true;
      ++i;
    }
  }
  if (have || (!s.empty() && s.back() == '.')) out.push_back(cur);
  return out;
}

Value Pick(Interp& in, std::vector<Value>& a) {
  Value obj = CloneIn(in, Arg(a, 0));
  Value path = CloneIn(in, Arg(a, 1));
  if (obj.nullish()) return Value();
  std::vector<std::string> keys;
  if (path.is(Kind::kArray)) {
    for (const auto& k : path.array()->items) keys.push_back(js::PropertyKey(k));
  } else {
    std::string p = js::PropertyKey(path);
    bool direct = !path.is(Kind::kString) || p.find_first_of(".[") == std::string::npos ||
                  (obj.is(Kind::kObject) && obj.object()->Has(p));
    if (direct) keys.push_back(p);
    else keys = StringToPath(p);
  }
  Value cur = obj;
  for (const auto& k : keys) {
    if (cur.nullish()) return Value();
    if (IsReservedName(k)) return Value();
    cur = in.Member(cur, Value::String(k));
    if (cur.is(Kind::kFunction)) return Value();
  }
  return cur;
}

}  // namespace

FilterFn FindBackstageFilter(const std::string& name) {
  if (name == "parseRepoUrl") return ParseRepoUrl;
  if (name == "projectSlug") return ProjectSlug;
  if (name == "parseEntityRef") return ParseEntityRef;
  if (name == "pick") return Pick;
  return nullptr;
}

}  // namespace idp::tmpl
