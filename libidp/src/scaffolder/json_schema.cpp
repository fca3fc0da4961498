// The one translation unit that includes rapidjson/schema.h for the scaffolder.
#include "scaffolder/json_schema.h"

// GCC's -Wnull-dereference fires inside RapidJSON's validator once inlined
// (a false positive in the third-party header), so only this file mutes it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include <cmath>
#include <regex>
#include <variant>
#include <vector>

#include "core/js_number.h"
#include "core/utf8.h"
#include "scaffolder/js_string.h"

namespace idp::scaffolder {

struct CompiledSchema::Rapid {
  std::unique_ptr<rapidjson::SchemaDocument> doc;
};

namespace {

// True when `schema` uses no keyword newer than draft-04. RapidJSON ignores
// `const`, `if`, `contains`, `propertyNames` and numeric exclusive bounds, so
// under `oneOf`/`not` it would reject valid values (two oneOf branches that
// differ only by `const` both "match"): then the walker alone decides.
bool Draft04Only(const JsonValue& schema) {
  if (schema.IsArray()) {
    for (const auto& item : schema.GetArray()) {
      if (!Draft04Only(item)) return false;
    }
    return true;
  }
  if (!schema.IsObject()) return true;
  for (const auto& m : schema.GetObject()) {
    const std::string_view key = AsView(m.name);
    if (key == "const" || key == "if" || key == "contains" || key == "propertyNames") return false;
    if ((key == "exclusiveMinimum" || key == "exclusiveMaximum") && !m.value.IsBool()) return false;
    if (key == "enum" || key == "default" || key == "examples") continue;  // data, not subschemas
    if (!Draft04Only(m.value)) return false;
  }
  return true;
}

}  // namespace

CompiledSchema::CompiledSchema() = default;
CompiledSchema::~CompiledSchema() = default;

Result<std::shared_ptr<const CompiledSchema>> CompiledSchema::Compile(const JsonValue& schema) {
  if (!schema.IsObject() && !schema.IsBool()) return Status(Code::kInvalid, "a JSON Schema must be an object");
  std::shared_ptr<CompiledSchema> s(new CompiledSchema());
  s->schema_.CopyFrom(schema, s->schema_.GetAllocator());
  s->rapid_ = std::make_unique<Rapid>();
  if (schema.IsObject() && Draft04Only(schema)) s->rapid_->doc = std::make_unique<rapidjson::SchemaDocument>(s->schema_);
  return std::shared_ptr<const CompiledSchema>(std::move(s));
}

namespace {

using PathItem = std::variant<std::string, std::size_t>;

bool IsIdentifier(const std::string& s) {
  if (s.empty()) return false;
  auto start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
  if (!start(s[0])) return false;
  for (char c : s) {
    if (!start(c) && !std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string PropertyOf(const std::vector<PathItem>& path) {
  std::string out = "instance";
  for (const auto& p : path) {
    if (const auto* i = std::get_if<std::size_t>(&p)) {
      out += "[" + std::to_string(*i) + "]";
    } else {
      const auto& s = std::get<std::string>(p);
      if (IsIdentifier(s)) {
        out += "." + s;
      } else {
        Json q;
        q.SetString(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), q.GetAllocator());
        out += "[" + ToJsonString(q) + "]";
      }
    }
  }
  return out;
}

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool TypeMatches(const JsonValue* inst, std::string_view type) {
  if (type == "any") return true;
  if (!inst) return false;
  if (type == "string") return inst->IsString();
  if (type == "number") return inst->IsNumber() && std::isfinite(inst->GetDouble());
  if (type == "integer") return inst->IsNumber() && std::fmod(inst->GetDouble(), 1.0) == 0;
  if (type == "boolean") return inst->IsBool();
  if (type == "array") return inst->IsArray();
  if (type == "object") return inst->IsObject();
  if (type == "null") return inst->IsNull();
  return false;
}

bool JsonEqual(const JsonValue& a, const JsonValue& b) {
  if (a.IsNumber() && b.IsNumber()) return a.GetDouble() == b.GetDouble();
  return a == b;
}

const std::regex* CachedRegex(const std::string& pattern) {
  thread_local std::vector<std::pair<std::string, std::unique_ptr<std::regex>>> cache;
  for (auto& [p, r] : cache) {
    if (p == pattern) return r.get();
  }
  std::unique_ptr<std::regex> r;
  try {
    r = std::make_unique<std::regex>(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    r = nullptr;
  }
  if (cache.size() > 256) cache.clear();
  cache.emplace_back(pattern, std::move(r));
  return cache.back().second.get();
}

bool RegexSearch(const std::string& pattern, std::string_view text) {
  const std::regex* r = CachedRegex(pattern);
  if (!r) return true;  // a pattern we cannot compile does not reject
  return std::regex_search(text.begin(), text.end(), *r);
}

bool FormatOk(std::string_view format, std::string_view s) {
  static const std::pair<const char*, const char*> kFormats[] = {
      {"date-time",
       R"(^\d{4}-(?:0[0-9]{1}|1[0-2]{1})-(3[01]|0[1-9]|[12][0-9])[tT ](2[0-4]|[01][0-9]):([0-5][0-9]):(60|[0-5][0-9])(\.\d+)?([zZ]|[+-]([0-5][0-9]):(60|[0-5][0-9]))$)"},
      {"date", R"(^\d{4}-(?:0[0-9]{1}|1[0-2]{1})-(3[01]|0[1-9]|[12][0-9])$)"},
      {"time", R"(^(2[0-4]|[01][0-9]):([0-5][0-9]):(60|[0-5][0-9])$)"},
      {"email",
       R"(^(?:[\w\!\#\$\%\&\'\*\+\-\/\=\?\^\`\{\|\}\~]+\.)*[\w\!\#\$\%\&\'\*\+\-\/\=\?\^\`\{\|\}\~]+@(?:(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9\-](?!\.)){0,61}[a-zA-Z0-9]?\.)+[a-zA-Z0-9](?:[a-zA-Z0-9\-](?!$)){0,61}[a-zA-Z0-9]?)|(?:\[(?:(?:[01]?\d{1,2}|2[0-4]\d|25[0-5])\.){3}(?:[01]?\d{1,2}|2[0-4]\d|25[0-5])\]))$)"},
      {"uri", R"(^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$)"},
      {"hostname",
       R"(^(?=.{1,255}$)[0-9A-Za-z](?:(?:[0-9A-Za-z]|-){0,61}[0-9A-Za-z])?(?:\.[0-9A-Za-z](?:(?:[0-9A-Za-z]|-){0,61}[0-9A-Za-z])?)*\.?$)"},
  };
  for (const auto& [name, re] : kFormats) {
    if (format == name) return RegexSearch(re, s);
  }
  return true;  // unknown formats pass, as in jsonschema
}

class Walker {
 public:
  Walker(const JsonValue& root, Json& out) : root_(root), out_(out), a_(out.GetAllocator()) {}

  // Validates and appends errors to `into` (an array in out_'s allocator).
  void Validate(const JsonValue* inst, const JsonValue& schema, std::vector<PathItem>& path, JsonValue& into,
                int depth = 0) {
    if (depth > 64) return;  // schemas are data: a $ref cycle must not recurse forever
    if (schema.IsBool()) {
      if (!schema.GetBool() && inst) AddError(into, inst, schema, path, "not", "is not allowed", nullptr);
      return;
    }
    if (!schema.IsObject()) return;
    if (const JsonValue* ref = FindMember(schema, "$ref"); ref && ref->IsString()) {
      if (const JsonValue* target = Resolve(AsView(*ref))) Validate(inst, *target, path, into, depth + 1);
      return;
    }
    for (const auto& m : schema.GetObject()) {
      const std::string_view key = AsView(m.name);
      Keyword(key, m.value, inst, schema, path, into, depth);
    }
  }

  bool Valid(const JsonValue* inst, const JsonValue& schema, std::vector<PathItem>& path, int depth) {
    JsonValue scratch(rapidjson::kArrayType);
    Validate(inst, schema, path, scratch, depth + 1);
    return scratch.Empty();
  }

 private:
  const JsonValue* Resolve(std::string_view ref) {
    if (ref.empty() || ref[0] != '#') return nullptr;
    const JsonValue* cur = &root_;
    std::string_view rest = ref.substr(1);
    while (!rest.empty()) {
      if (rest[0] != '/') return nullptr;
      rest.remove_prefix(1);
      std::size_t slash = rest.find('/');
      std::string token(rest.substr(0, slash));
      rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
      for (std::size_t p; (p = token.find("~1")) != std::string::npos;) token.replace(p, 2, "/");
      for (std::size_t p; (p = token.find("~0")) != std::string::npos;) token.replace(p, 2, "~");
      if (cur->IsObject()) {
        cur = FindMember(*cur, token);
      } else if (cur->IsArray()) {
        char* end = nullptr;
        unsigned long i = std::strtoul(token.c_str(), &end, 10);
        cur = (*end == 0 && i < cur->Size()) ? &(*cur)[static_cast<rapidjson::SizeType>(i)] : nullptr;
      } else {
        cur = nullptr;
      }
      if (!cur) return nullptr;
    }
    return cur;
  }

  void AddError(JsonValue& into, const JsonValue* inst, const JsonValue& schema, const std::vector<PathItem>& path,
                std::string_view name, const std::string& message, const JsonValue* argument,
                const std::string* argument_text = nullptr) {
    JsonValue e(rapidjson::kObjectType);
    JsonValue p(rapidjson::kArrayType);
    for (const auto& item : path) {
      if (const auto* i = std::get_if<std::size_t>(&item)) p.PushBack(static_cast<uint64_t>(*i), a_);
      else p.PushBack(MakeString(std::get<std::string>(item), a_), a_);
    }
    const std::string property = PropertyOf(path);
    e.AddMember("path", p, a_);
    e.AddMember("property", MakeString(property, a_), a_);
    e.AddMember("message", MakeString(message, a_), a_);
    const JsonValue* id = schema.IsObject() ? FindMember(schema, "$id") : nullptr;
    if (!id && schema.IsObject()) id = FindMember(schema, "id");
    if (id && id->IsString()) e.AddMember("schema", JsonValue(*id, a_), a_);
    else e.AddMember("schema", JsonValue(schema, a_), a_);
    if (inst) e.AddMember("instance", JsonValue(*inst, a_), a_);
    e.AddMember("name", MakeString(name, a_), a_);
    if (argument) e.AddMember("argument", JsonValue(*argument, a_), a_);
    else if (argument_text) e.AddMember("argument", MakeString(*argument_text, a_), a_);
    e.AddMember("stack", MakeString(property + " " + message, a_), a_);
    into.PushBack(e, a_);
  }

  static std::string SubschemaList(const JsonValue& list, JsonValue& names, JsonAllocator& a, bool any_of) {
    std::string joined;
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      const JsonValue& s = list[i];
      std::string name;
      const JsonValue* id = s.IsObject() ? FindMember(s, "$id") : nullptr;
      if (!id && s.IsObject()) id = FindMember(s, "id");
      const JsonValue* title = s.IsObject() ? FindMember(s, "title") : nullptr;
      const JsonValue* ref = s.IsObject() ? FindMember(s, "$ref") : nullptr;
      if (id && id->IsString()) name = any_of ? "<" + std::string(AsView(*id)) + ">" : std::string(AsView(*id));
      else if (title && title->IsString() && title->GetStringLength() > 0) name = ToJsonString(*title);
      else if (ref && ref->IsString()) name = "<" + std::string(AsView(*ref)) + ">";
      else name = "[subschema " + std::to_string(i) + "]";
      if (i) joined += ",";
      joined += name;
      names.PushBack(MakeString(name, a), a);
    }
    return joined;
  }

  void Keyword(std::string_view key, const JsonValue& arg, const JsonValue* inst, const JsonValue& schema,
               std::vector<PathItem>& path, JsonValue& into, int depth) {
    if (key == "type") {
      if (!inst) return;
      bool ok = false;
      JsonValue list(rapidjson::kArrayType);
      std::string text;
      auto check = [&](const JsonValue& t) {
        std::string name = t.IsString() ? std::string(AsView(t)) : "";
        if (t.IsObject()) ok = ok || Valid(inst, t, path, depth);
        else ok = ok || TypeMatches(inst, name);
        if (!text.empty() || list.Size()) text += ",";
        text += name;
        list.PushBack(MakeString(name, a_), a_);
      };
      if (arg.IsArray()) {
        for (const auto& t : arg.GetArray()) check(t);
      } else {
        check(arg);
      }
      if (!ok) AddError(into, inst, schema, path, "type", "is not of a type(s) " + text, &list);
    } else if (key == "enum") {
      if (!inst || !arg.IsArray()) return;
      for (const auto& v : arg.GetArray()) {
        if (JsonEqual(v, *inst)) return;
      }
      std::string list;
      bool first = true;
      for (const auto& v : arg.GetArray()) {
        if (!first) list += ",";
        first = false;
        list += JsString(v);
      }
      AddError(into, inst, schema, path, "enum", "is not one of enum values: " + list, &arg);
    } else if (key == "const") {
      if (!inst || JsonEqual(arg, *inst)) return;
      AddError(into, inst, schema, path, "const", "does not exactly match expected constant: " + JsString(arg), &arg);
    } else if (key == "required") {
      if (!inst || !inst->IsObject() || !arg.IsArray()) return;
      for (const auto& n : arg.GetArray()) {
        if (!n.IsString() || FindMember(*inst, AsView(n))) continue;
        AddError(into, inst, schema, path, "required", "requires property " + ToJsonString(n), &n);
      }
    } else if (key == "properties") {
      if (!inst || !inst->IsObject() || !arg.IsObject()) return;
      for (const auto& m : arg.GetObject()) {
        const JsonValue* child = FindMember(*inst, AsView(m.name));
        path.emplace_back(std::string(AsView(m.name)));
        Validate(child, m.value, path, into, depth + 1);
        path.pop_back();
      }
    } else if (key == "additionalProperties") {
      if (!inst || !inst->IsObject()) return;
      const JsonValue* props = FindMember(schema, "properties");
      const JsonValue* pattern_props = FindMember(schema, "patternProperties");
      for (const auto& m : inst->GetObject()) {
        const std::string name(AsView(m.name));
        if (props && props->IsObject() && FindMember(*props, name)) continue;
        bool by_pattern = false;
        if (pattern_props && pattern_props->IsObject()) {
          for (const auto& pp : pattern_props->GetObject()) by_pattern = by_pattern || RegexSearch(std::string(AsView(pp.name)), name);
        }
        if (by_pattern) continue;
        if (arg.IsFalse()) {
          AddError(into, inst, schema, path, "additionalProperties",
                   "is not allowed to have the additional property " + ToJsonString(m.name), nullptr, &name);
        } else if (arg.IsObject()) {
          path.emplace_back(name);
          Validate(&m.value, arg, path, into, depth + 1);
          path.pop_back();
        }
      }
    } else if (key == "patternProperties") {
      if (!inst || !inst->IsObject() || !arg.IsObject()) return;
      for (const auto& pp : arg.GetObject()) {
        for (const auto& m : inst->GetObject()) {
          if (!RegexSearch(std::string(AsView(pp.name)), AsView(m.name))) continue;
          path.emplace_back(std::string(AsView(m.name)));
          Validate(&m.value, pp.value, path, into, depth + 1);
          path.pop_back();
        }
      }
    } else if (key == "items") {
      if (!inst || !inst->IsArray()) return;
      for (rapidjson::SizeType i = 0; i < inst->Size(); ++i) {
        const JsonValue* item_schema = arg.IsArray() ? (i < arg.Size() ? &arg[i] : nullptr) : &arg;
        if (!item_schema) continue;
        path.emplace_back(static_cast<std::size_t>(i));
        Validate(&(*inst)[i], *item_schema, path, into, depth + 1);
        path.pop_back();
      }
    } else if (key == "minItems" || key == "maxItems") {
      if (!inst || !inst->IsArray() || !arg.IsNumber()) return;
      const double n = arg.GetDouble();
      const bool min = key == "minItems";
      if (min ? inst->Size() < n : inst->Size() > n) {
        AddError(into, inst, schema, path, key,
                 std::string(min ? "does not meet minimum length of " : "does not meet maximum length of ") +
                     JsNumberToString(n),
                 &arg);
      }
    } else if (key == "uniqueItems") {
      if (!inst || !inst->IsArray() || !arg.IsTrue()) return;
      for (rapidjson::SizeType i = 0; i < inst->Size(); ++i) {
        for (rapidjson::SizeType j = i + 1; j < inst->Size(); ++j) {
          if (JsonEqual((*inst)[i], (*inst)[j])) {
            AddError(into, inst, schema, path, "uniqueItems", "contains duplicate item", nullptr);
            return;
          }
        }
      }
    } else if (key == "minLength" || key == "maxLength") {
      if (!inst || !inst->IsString() || !arg.IsNumber()) return;
      const double n = arg.GetDouble();
      const std::size_t len = CodePoints(AsView(*inst));
      const bool min = key == "minLength";
      if (min ? len < n : len > n) {
        AddError(into, inst, schema, path, key,
                 std::string(min ? "does not meet minimum length of " : "does not meet maximum length of ") +
                     JsNumberToString(n),
                 &arg);
      }
    } else if (key == "minimum" || key == "maximum") {
      if (!inst || !inst->IsNumber() || !arg.IsNumber()) return;
      const bool min = key == "minimum";
      const JsonValue* excl = FindMember(schema, min ? "exclusiveMinimum" : "exclusiveMaximum");
      const bool exclusive = excl && excl->IsTrue();
      const double v = inst->GetDouble(), n = arg.GetDouble();
      std::string msg;
      if (min) {
        if (exclusive ? !(v > n) : !(v >= n)) msg = exclusive ? "must be greater than " : "must be greater than or equal to ";
      } else {
        if (exclusive ? !(v < n) : !(v <= n)) msg = exclusive ? "must be less than " : "must be less than or equal to ";
      }
      if (!msg.empty()) AddError(into, inst, schema, path, key, msg + JsNumberToString(n), &arg);
    } else if (key == "exclusiveMinimum" || key == "exclusiveMaximum") {
      if (!inst || !inst->IsNumber() || !arg.IsNumber()) return;
      const bool min = key == "exclusiveMinimum";
      const double v = inst->GetDouble(), n = arg.GetDouble();
      if (min ? !(v > n) : !(v < n)) {
        AddError(into, inst, schema, path, key,
                 std::string(min ? "must be strictly greater than " : "must be strictly less than ") + JsNumberToString(n),
                 &arg);
      }
    } else if (key == "multipleOf") {
      if (!inst || !inst->IsNumber() || !arg.IsNumber() || arg.GetDouble() == 0) return;
      const double q = inst->GetDouble() / arg.GetDouble();
      if (std::fabs(q - std::round(q)) > 1e-9) {
        AddError(into, inst, schema, path, key, "is not a multiple of (divisible by) " + JsNumberToString(arg.GetDouble()), &arg);
      }
    } else if (key == "pattern") {
      if (!inst || !inst->IsString() || !arg.IsString()) return;
      if (!RegexSearch(std::string(AsView(arg)), AsView(*inst))) {
        AddError(into, inst, schema, path, "pattern", "does not match pattern " + ToJsonString(arg), &arg);
      }
    } else if (key == "format") {
      if (!inst || !inst->IsString() || !arg.IsString()) return;
      if (!FormatOk(AsView(arg), AsView(*inst))) {
        AddError(into, inst, schema, path, "format", "does not conform to the " + ToJsonString(arg) + " format", &arg);
      }
    } else if (key == "dependencies") {
      if (!inst || !inst->IsObject() || !arg.IsObject()) return;
      for (const auto& m : arg.GetObject()) {
        const std::string prop(AsView(m.name));
        if (!FindMember(*inst, prop)) continue;
        path.emplace_back(prop);
        const std::string child_path = PropertyOf(path);
        path.pop_back();
        if (m.value.IsString() || m.value.IsArray()) {
          auto need = [&](const JsonValue& n) {
            if (n.IsString() && !FindMember(*inst, AsView(n))) {
              AddError(into, inst, schema, path, "dependencies",
                       "property " + std::string(AsView(n)) + " not found, required by " + child_path, nullptr,
                       &child_path);
            }
          };
          if (m.value.IsString()) need(m.value);
          else for (const auto& n : m.value.GetArray()) need(n);
        } else {
          JsonValue nested(rapidjson::kArrayType);
          path.emplace_back(prop);
          Validate(inst, m.value, path, nested, depth + 1);
          path.pop_back();
          if (!nested.Empty()) {
            AddError(into, inst, schema, path, "dependencies", "does not meet dependency required by " + child_path,
                     nullptr, &child_path);
            for (auto& e : nested.GetArray()) into.PushBack(e, a_);
          }
        }
      }
    } else if (key == "oneOf" || key == "anyOf") {
      if (!inst || !arg.IsArray()) return;
      std::size_t count = 0;
      for (const auto& s : arg.GetArray()) count += Valid(inst, s, path, depth) ? 1 : 0;
      const bool one = key == "oneOf";
      if (one ? count != 1 : count == 0) {
        JsonValue names(rapidjson::kArrayType);
        const std::string list = SubschemaList(arg, names, a_, !one);
        AddError(into, inst, schema, path, key, std::string(one ? "is not exactly one from " : "is not any of ") + list,
                 &names);
      }
    } else if (key == "allOf") {
      if (!inst || !arg.IsArray()) return;
      for (rapidjson::SizeType i = 0; i < arg.Size(); ++i) {
        JsonValue nested(rapidjson::kArrayType);
        Validate(inst, arg[i], path, nested, depth + 1);
        if (nested.Empty()) continue;
        JsonValue names(rapidjson::kArrayType);
        JsonValue one(rapidjson::kArrayType);
        one.PushBack(JsonValue(arg[i], a_), a_);
        std::string name = SubschemaList(one, names, a_, false);
        if (name.rfind("[subschema", 0) == 0) name = "[subschema " + std::to_string(i) + "]";
        JsonValue argument(rapidjson::kObjectType);
        argument.AddMember("id", MakeString(name, a_), a_);
        argument.AddMember("length", static_cast<uint64_t>(nested.Size()), a_);
        argument.AddMember("valid", JsonValue(nested, a_), a_);
        AddError(into, inst, schema, path, "allOf",
                 "does not match allOf schema " + name + " with " + std::to_string(nested.Size()) + " error[s]:",
                 &argument);
        for (auto& e : nested.GetArray()) into.PushBack(e, a_);
      }
    } else if (key == "not") {
      if (!inst) return;
      if (Valid(inst, arg, path, depth)) {
        AddError(into, inst, schema, path, "not", "is of prohibited type " + ToJsonString(arg), &arg);
      }
    } else if (key == "if") {
      if (!inst) return;
      const JsonValue* branch = FindMember(schema, Valid(inst, arg, path, depth) ? "then" : "else");
      if (branch) Validate(inst, *branch, path, into, depth + 1);
    } else if (key == "contains") {
      if (!inst || !inst->IsArray()) return;
      for (rapidjson::SizeType i = 0; i < inst->Size(); ++i) {
        path.emplace_back(static_cast<std::size_t>(i));
        const bool ok = Valid(&(*inst)[i], arg, path, depth);
        path.pop_back();
        if (ok) return;
      }
      AddError(into, inst, schema, path, "contains", "must contain an item matching given schema", &arg);
    } else if (key == "minProperties" || key == "maxProperties") {
      if (!inst || !inst->IsObject() || !arg.IsNumber()) return;
      const bool min = key == "minProperties";
      const double n = arg.GetDouble();
      if (min ? inst->MemberCount() < n : inst->MemberCount() > n) {
        AddError(into, inst, schema, path, key,
                 std::string(min ? "does not meet minimum property length of " : "does not meet maximum property length of ") +
                     JsNumberToString(n),
                 &arg);
      }
    }
    // Every other keyword (ui:*, enumNames, title, default, ...) is ignored.
  }

  const JsonValue& root_;
  Json& out_;
  JsonAllocator& a_;
};

}  // namespace

Json CompiledSchema::Validate(const JsonValue* instance) const {
  Json errors(rapidjson::kArrayType);
  std::vector<PathItem> path;
  Walker walker(schema_, errors);
  walker.Validate(instance, schema_, path, errors);
  if (errors.Empty() && instance && rapid_->doc) {
    // RapidJSON (draft-04) is the validator of record for the keywords it
    // knows; an error only it sees is reported with its keyword and pointer.
    rapidjson::SchemaValidator validator(*rapid_->doc);
    if (!instance->Accept(validator)) {
      rapidjson::StringBuffer where;
      validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
      auto& a = errors.GetAllocator();
      JsonValue e(rapidjson::kObjectType);
      const std::string keyword = validator.GetInvalidSchemaKeyword();
      const std::string message = "does not satisfy the schema keyword " + keyword + " at " + where.GetString();
      e.AddMember("path", JsonValue(rapidjson::kArrayType), a);
      e.AddMember("property", "instance", a);
      e.AddMember("message", MakeString(message, a), a);
      e.AddMember("schema", JsonValue(schema_, a), a);
      e.AddMember("instance", JsonValue(*instance, a), a);
      e.AddMember("name", MakeString(keyword, a), a);
      e.AddMember("stack", MakeString("instance " + message, a), a);
      errors.PushBack(e, a);
    }
  }
  return errors;
}

std::string JoinErrorStacks(const JsonValue& errors) {
  std::string out;
  if (!errors.IsArray()) return out;
  for (const auto& e : errors.GetArray()) {
    const JsonValue* stack = FindMember(e, "stack");
    if (!out.empty()) out += ", ";
    if (stack && stack->IsString()) out += AsView(*stack);
  }
  return out;
}

}  // namespace idp::scaffolder

#pragma GCC diagnostic pop
