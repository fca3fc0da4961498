#include "model/ajv_schema.h"

#include <map>
#include <optional>
#include <stdexcept>

#include "model/js_object.h"
#include "model/js_string.h"

namespace idp::model {

namespace {

enum TypeBit : unsigned {
  kNull = 1, kBoolean = 2, kInteger = 4, kNumber = 8, kString = 16, kArray = 32, kObject = 64,
};

struct Node {
  unsigned types = 0;          // 0: no "type" keyword
  int type_count = 0;
  std::string type_text;       // "string" or "string,boolean"
  int ref = -1;
  std::optional<Json> enum_values;  // an array
  std::string enum_text;
  std::vector<int> one_of;
  std::vector<int> all_of;
  int min_length = -1;
  bool pattern_word = false;   // "^\w+$"
  int items = -1;
  std::vector<std::string> required;
  std::vector<std::pair<std::string, int>> properties;
  bool has_additional = false;
  bool additional_false = false;
  int additional = -1;
  int pattern_any = -1;        // patternProperties "^.+$"

  bool StringRules() const { return min_length >= 0 || pattern_word; }
  bool ArrayRules() const { return items >= 0; }
  bool ObjectRules() const {
    return !required.empty() || !properties.empty() || has_additional || pattern_any >= 0;
  }
  bool RulesFor(unsigned type) const {
    switch (type) {
      case kString: return StringRules();
      case kArray: return ArrayRules();
      case kObject: return ObjectRules();
      default: return false;
    }
  }
};

unsigned TypeBitOf(std::string_view name) {
  if (name == "null") return kNull;
  if (name == "boolean") return kBoolean;
  if (name == "integer") return kInteger;
  if (name == "number") return kNumber;
  if (name == "string") return kString;
  if (name == "array") return kArray;
  if (name == "object") return kObject;
  throw std::invalid_argument("unsupported schema type " + std::string(name));
}

bool TypeMatches(unsigned types, const JsonValue& v) {
  if ((types & kNull) && v.IsNull()) return true;
  if ((types & kBoolean) && v.IsBool()) return true;
  if ((types & kNumber) && v.IsNumber()) return true;
  if ((types & kInteger) && v.IsNumber()) {
    if (v.IsInt64() || v.IsUint64()) return true;
    const double d = v.GetDouble();
    if (d == static_cast<double>(static_cast<long long>(d))) return true;
  }
  if ((types & kString) && v.IsString()) return true;
  if ((types & kArray) && v.IsArray()) return true;
  if ((types & kObject) && v.IsObject()) return true;
  return false;
}

// String(value) for scalars, as the params of ajv errors are printed.
std::string JsString(const JsonValue& v) {
  if (v.IsString()) return std::string(AsView(v));
  if (v.IsNull()) return "null";
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  return ToJsonString(v);
}

bool IsLineTerminator(char32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }

bool MatchesAnyLine(std::string_view key) {  // /^.+$/u
  if (key.empty()) return false;
  // U+2028/U+2029 start with byte E2; without it only \n and \r matter.
  // (A plain loop: find_first_of calls memchr once per character.)
  bool suspicious = false;
  for (const char c : key) suspicious |= c == '\n' || c == '\r' || c == '\xE2';
  if (!suspicious) return true;
  for (std::size_t i = 0; i < key.size();) {
    if (IsLineTerminator(DecodeUtf8(key, i))) return false;
  }
  return true;
}

bool MatchesWord(std::string_view s) {  // /^\w+$/u
  if (s.empty()) return false;
  for (char c : s) {
    const bool w = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!w) return false;
  }
  return true;
}

std::size_t CodePointLength(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    DecodeUtf8(s, i);
    ++n;
  }
  return n;
}

}  // namespace

std::string EscapeJsonPointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

std::string AjvError::WithParams() const {
  return (instance_path.empty() ? std::string("<root>") : instance_path) + " " + message + " - " + params;
}

std::string AjvError::WithoutParams() const {
  return (instance_path.empty() ? std::string("<root>") : instance_path) + " " + message;
}

struct AjvSchema::Impl {
  std::vector<Node> nodes;
  int root = -1;

  // --- compilation -----------------------------------------------------------
  struct Compiler {
    Impl& impl;
    const JsonValue& document;
    std::map<std::string, int> definitions;

    int Compile(const JsonValue& s) {
      if (!s.IsObject()) throw std::invalid_argument("schema must be an object");
      const int index = static_cast<int>(impl.nodes.size());
      impl.nodes.emplace_back();
      Node n;
      for (auto it = s.MemberBegin(); it != s.MemberEnd(); ++it) {
        const std::string_view key = AsView(it->name);
        const JsonValue& v = it->value;
        if (key == "type") {
          if (v.IsString()) {
            n.types = TypeBitOf(AsView(v)), n.type_count = 1, n.type_text = v.GetString();
          } else {
            for (const auto& t : v.GetArray()) {
              n.types |= TypeBitOf(AsView(t));
              if (n.type_count++ > 0) n.type_text += ",";
              n.type_text += t.GetString();
            }
          }
        } else if (key == "$ref") {
          const std::string_view ref = AsView(v);
          constexpr std::string_view kPrefix = "#/definitions/";
          if (ref.substr(0, kPrefix.size()) != kPrefix) throw std::invalid_argument("unsupported $ref");
          n.ref = Definition(std::string(ref.substr(kPrefix.size())));
        } else if (key == "enum") {
          Json values;
          values.CopyFrom(v, values.GetAllocator());
          for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
            if (i > 0) n.enum_text += ",";
            n.enum_text += JsString(v[i]);
          }
          n.enum_values = std::move(values);
        } else if (key == "oneOf" || key == "allOf") {
          auto& list = key == "oneOf" ? n.one_of : n.all_of;
          for (const auto& sub : v.GetArray()) list.push_back(Compile(sub));
        } else if (key == "minLength") {
          n.min_length = v.GetInt();
        } else if (key == "pattern") {
          if (AsView(v) != "^\\w+$") throw std::invalid_argument("unsupported pattern");
          n.pattern_word = true;
        } else if (key == "items") {
          n.items = Compile(v);
        } else if (key == "required") {
          for (const auto& r : v.GetArray()) n.required.emplace_back(r.GetString());
        } else if (key == "properties") {
          for (auto p = v.MemberBegin(); p != v.MemberEnd(); ++p) {
            n.properties.emplace_back(p->name.GetString(), Compile(p->value));
          }
        } else if (key == "additionalProperties") {
          n.has_additional = true;
          if (v.IsBool()) {
            n.additional_false = !v.GetBool();
            if (v.GetBool()) n.has_additional = false;
          } else {
            n.additional = Compile(v);
          }
        } else if (key == "patternProperties") {
          for (auto p = v.MemberBegin(); p != v.MemberEnd(); ++p) {
            if (AsView(p->name) != "^.+$") throw std::invalid_argument("unsupported patternProperties");
            n.pattern_any = Compile(p->value);
          }
        } else if (key == "$schema" || key == "$id" || key == "description" || key == "examples" ||
                   key == "default" || key == "definitions" || key == "deprecated" || key == "title") {
          // annotations only
        } else {
          throw std::invalid_argument("unsupported schema keyword " + std::string(key));
        }
      }
      impl.nodes[static_cast<std::size_t>(index)] = std::move(n);
      return index;
    }

    int Definition(const std::string& name) {
      if (auto it = definitions.find(name); it != definitions.end()) return it->second;
      const JsonValue* defs = FindMember(document, "definitions");
      const JsonValue* def = defs ? FindMember(*defs, name) : nullptr;
      if (!def) throw std::invalid_argument("unknown definition " + name);
      const int index = Compile(*def);
      definitions.emplace(name, index);
      return index;
    }
  };

  // --- validation --------------------------------------------------------------
  struct Run {
    const Impl& impl;
    std::vector<AjvError>& errors;
    // The current location as borrowed segments; the JsonPath and the JSON
    // pointer are only built when an error is reported (the valid path must
    // not allocate).
    struct Segment {
      std::string_view key;
      std::size_t index;
      bool is_index;
    };
    std::vector<Segment> stack;

    void Error(std::string message, std::string params) {
      AjvError e;
      for (const Segment& seg : stack) {
        e.instance_path += '/';
        if (seg.is_index) {
          e.instance_path += std::to_string(seg.index);
          e.path.emplace_back(seg.index);
        } else {
          e.instance_path += EscapeJsonPointerToken(seg.key);
          e.path.emplace_back(std::string(seg.key));
        }
      }
      e.message = std::move(message);
      e.params = std::move(params);
      errors.push_back(std::move(e));
    }
    void TypeError(const Node& n) { Error("must be " + n.type_text, "type: " + n.type_text); }

    template <typename F>
    void Child(std::string_view key, F&& f) {
      stack.push_back({key, 0, false});
      f();
      stack.pop_back();
    }
    template <typename F>
    void Child(std::size_t index, F&& f) {
      stack.push_back({{}, index, true});
      f();
      stack.pop_back();
    }

    bool Validate(int index, const JsonValue& data) {
      const Node& n = impl.nodes[static_cast<std::size_t>(index)];
      const std::size_t before = errors.size();
      const bool single_with_rules = n.type_count == 1 && n.RulesFor(n.types);
      if (n.type_count > 0 && !single_with_rules && !TypeMatches(n.types, data)) TypeError(n);

      // Type-independent keywords: $ref, enum, oneOf, allOf.
      if (n.ref >= 0) Validate(n.ref, data);
      if (n.enum_values) {
        bool found = false;
        for (const auto& e : n.enum_values->GetArray()) found = found || e == data;
        if (!found) Error("must be equal to one of the allowed values", "allowedValues: " + n.enum_text);
      }
      if (!n.one_of.empty()) {
        const std::size_t mark = errors.size();
        int passing = 0;
        std::string passing_text = "null";
        for (std::size_t i = 0; i < n.one_of.size(); ++i) {
          if (Validate(n.one_of[i], data)) {
            passing_text = passing++ == 0 ? std::to_string(i) : passing_text + "," + std::to_string(i);
          }
        }
        if (passing == 1) {
          errors.resize(mark);
        } else {
          Error("must match exactly one schema in oneOf", "passingSchemas: " + passing_text);
        }
      }
      for (int sub : n.all_of) Validate(sub, data);

      const bool group_type_error = single_with_rules;  // reported in the type's own group
      if (n.StringRules()) {
        if (data.IsString()) {
          const std::string_view s = AsView(data);
          // A code point takes at most 4 bytes: long strings need no counting.
          const auto min = static_cast<std::size_t>(n.min_length);
          if (n.min_length >= 0 && s.size() < min * 4 && CodePointLength(s) < min) {
            Error("must NOT have fewer than " + std::to_string(n.min_length) + " characters",
                  "limit: " + std::to_string(n.min_length));
          }
          if (n.pattern_word && !MatchesWord(s)) Error("must match pattern \"^\\w+$\"", "pattern: ^\\w+$");
        } else if (group_type_error && n.types == kString) {
          TypeError(n);
        }
      }
      if (n.ArrayRules()) {
        if (data.IsArray()) {
          for (rapidjson::SizeType i = 0; i < data.Size(); ++i) {
            Child(std::size_t{i}, [&] { Validate(n.items, data[i]); });
          }
        } else if (group_type_error && n.types == kArray) {
          TypeError(n);
        }
      }
      if (n.ObjectRules()) {
        if (data.IsObject()) {
          ValidateObject(n, data);
        } else if (group_type_error && n.types == kObject) {
          TypeError(n);
        }
      }
      return errors.size() == before;
    }

    void ValidateObject(const Node& n, const JsonValue& data) {
      for (const std::string& r : n.required) {
        if (!FindMember(data, r)) Error("must have required property '" + r + "'", "missingProperty: " + r);
      }
      if (n.has_additional) {
        ForEachMemberJsOrder(data, [&](std::string_view key, const JsonValue& value) {
          for (const auto& p : n.properties) {
            if (p.first == key) return;
          }
          if (n.pattern_any >= 0 && MatchesAnyLine(key)) return;
          if (n.additional_false) {
            Error("must NOT have additional properties", "additionalProperty: " + std::string(key));
          } else {
            Child(key, [&] { Validate(n.additional, value); });
          }
        });
      }
      for (const auto& p : n.properties) {
        if (const JsonValue* v = FindMember(data, p.first)) Child(std::string_view(p.first), [&] { Validate(p.second, *v); });
      }
      if (n.pattern_any >= 0) {
        ForEachMemberJsOrder(data, [&](std::string_view key, const JsonValue& value) {
          if (MatchesAnyLine(key)) Child(key, [&] { Validate(n.pattern_any, value); });
        });
      }
    }
  };
};

AjvSchema::AjvSchema(std::string_view schema_json) {
  Json doc;
  doc.Parse(schema_json.data(), schema_json.size());
  if (doc.HasParseError()) throw std::invalid_argument("schema is not valid JSON");
  auto impl = std::make_unique<Impl>();
  Impl::Compiler compiler{*impl, doc, {}};
  impl->root = compiler.Compile(doc);
  impl_ = std::move(impl);
}

AjvSchema::~AjvSchema() = default;
AjvSchema::AjvSchema(AjvSchema&&) noexcept = default;
AjvSchema& AjvSchema::operator=(AjvSchema&&) noexcept = default;

bool AjvSchema::Validate(const JsonValue& data, std::vector<AjvError>& errors) const {
  Impl::Run run{*impl_, errors, {}};
  run.stack.reserve(16);
  return run.Validate(impl_->root, data);
}

}  // namespace idp::model
