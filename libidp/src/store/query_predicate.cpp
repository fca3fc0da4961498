// §10.5 predicate queries -> SQL over the search index, with the error
// messages of Backstage's applyPredicateEntityFilterToQuery.
#include "model/entity_ref.h"
#include "store/stable_json.h"
#include "store/store_impl.h"

namespace idp::store {

namespace {

bool IsPrimitive(const JsonValue& v) { return v.IsString() || v.IsNumber() || v.IsBool(); }

std::string Lower(const JsonValue& v) { return model::JsToLower(JsScalarString(v)); }

Status Input(std::string message) { return Status(Code::kInvalidArgument, std::move(message)); }

std::string Placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

Status Relation(const JsonValue& target, SqlFragment& out) {
  std::optional<std::string> type;
  std::optional<std::vector<std::string>> refs;
  for (auto it = target.MemberBegin(); it != target.MemberEnd(); ++it) {
    const std::string raw(AsView(it->name));
    const std::string key = model::JsToLower(raw);
    const JsonValue& v = it->value;
    if (key == "type") {
      if (type) return Input("Duplicate key \"" + raw + "\" in $contains for \"relations\"");
      if (!v.IsString()) return Input("The $contains operator for \"relations\" requires a \"type\" string property");
      type = std::string(AsView(v));
    } else if (key == "targetref") {
      if (refs) return Input("Duplicate key \"" + raw + "\" in $contains for \"relations\"");
      std::vector<std::string> list;
      if (v.IsString()) {
        list.push_back(model::JsToLower(AsView(v)));
      } else {
        const JsonValue* in = v.IsObject() && v.MemberCount() == 1 ? FindMember(v, "$in") : nullptr;
        bool all_strings = in != nullptr && in->IsArray();
        if (all_strings) {
          for (const auto& x : in->GetArray()) all_strings = all_strings && x.IsString();
        }
        if (!all_strings) {
          return Input("Unsupported value in $contains for \"relations\": expected a string or { \"$in\": [strings] }, "
                       "but got " + ToJsonString(v));
        }
        if (in->Empty()) return Input("Empty \"$in\" array for $contains on \"relations\" is not allowed");
        for (const auto& x : in->GetArray()) list.push_back(model::JsToLower(AsView(x)));
      }
      refs = std::move(list);
    } else {
      return Input("Unsupported key \"" + raw +
                   "\" in $contains for \"relations\". Only \"type\" and \"targetRef\" are supported");
    }
  }
  if (!type || type->empty()) {
    return Input("The $contains operator for \"relations\" requires a \"type\" string property");
  }
  out.sql += "EXISTS (SELECT 1 FROM search s WHERE s.entity_id = f.id AND s.key = ?";
  out.params.push_back("relations." + model::JsToLower(*type));
  if (refs) {
    out.sql += " AND s.value IN (" + Placeholders(refs->size()) + ")";
    out.params.insert(out.params.end(), refs->begin(), refs->end());
  }
  out.sql += ")";
  return Status::Ok();
}

Status Field(const std::string& key, const JsonValue& value, SqlFragment& out) {
  if (IsPrimitive(value)) {
    out.sql += "EXISTS (SELECT 1 FROM search s WHERE s.entity_id = f.id AND s.key = ? AND s.value = ?)";
    out.params.push_back(key);
    out.params.push_back(Lower(value));
    return Status::Ok();
  }
  if (value.IsObject()) {
    if (const JsonValue* ex = FindMember(value, "$exists")) {
      // JavaScript truthiness decides.
      const bool want = !(ex->IsNull() || ex->IsFalse() || (ex->IsNumber() && ex->GetDouble() == 0) ||
                          (ex->IsString() && ex->GetStringLength() == 0));
      out.sql += want ? "" : "NOT ";
      out.sql += "EXISTS (SELECT 1 FROM search s WHERE s.entity_id = f.id AND s.key = ?)";
      out.params.push_back(key);
      return Status::Ok();
    }
    if (const JsonValue* in = FindMember(value, "$in")) {
      if (!in->IsArray()) return Input("Invalid \"$in\" value for field \"" + key + "\": expected an array");
      if (in->Empty()) {
        out.sql += "0";
        return Status::Ok();
      }
      out.sql += "EXISTS (SELECT 1 FROM search s WHERE s.entity_id = f.id AND s.key = ? AND s.value IN (" +
                 Placeholders(in->Size()) + "))";
      out.params.push_back(key);
      for (const auto& x : in->GetArray()) out.params.push_back(Lower(x));
      return Status::Ok();
    }
    if (const JsonValue* prefix = FindMember(value, "$hasPrefix")) {
      if (!prefix->IsString()) return Input("Invalid \"$hasPrefix\" value for field \"" + key + "\": expected a string");
      std::string escaped;
      for (char ch : model::JsToLower(AsView(*prefix))) {
        if (ch == '%' || ch == '_' || ch == '\\') escaped.push_back('\\');
        escaped.push_back(ch);
      }
      out.sql += "EXISTS (SELECT 1 FROM search s WHERE s.entity_id = f.id AND s.key = ? AND s.value LIKE ? "
                 "ESCAPE '\\')";
      out.params.push_back(key);
      out.params.push_back(escaped + "%");
      return Status::Ok();
    }
    if (const JsonValue* target = FindMember(value, "$contains")) {
      if (IsPrimitive(*target)) return Field(key, *target, out);
      if (target->IsObject()) {
        if (key == "relations") return Relation(*target, out);
        return Input("Object form of $contains is not supported for field \"" + key + "\"");
      }
      return Input("Unsupported $contains target for field \"" + key + "\": " + ToJsonString(*target));
    }
  }
  return Input("Invalid filter predicate value for field \"" + key +
               "\": expected a primitive value, $exists, $in, $hasPrefix, or $contains operator, but got " +
               ToJsonString(value));
}

Status Predicate(const JsonValue& p, SqlFragment& out) {
  if (!p.IsObject()) {
    return Input("Invalid filter predicate: top-level primitive values are not supported. Wrap the value in a "
                 "field expression, e.g. { \"kind\": " + ToJsonString(p) + " }");
  }
  if (const JsonValue* n = FindMember(p, "$not")) {
    out.sql += "NOT (";
    if (auto st = Predicate(*n, out); !st.ok()) return st;
    out.sql += ")";
    return Status::Ok();
  }
  for (const char* op : {"$all", "$any"}) {
    const JsonValue* list = FindMember(p, op);
    if (list == nullptr) continue;
    const bool all = op[1] == 'a' && op[2] == 'l';
    if (!list->IsArray()) return Input(std::string("Invalid filter predicate: ") + op + " expects an array");
    if (list->Empty()) {
      out.sql += all ? "1" : "0";
      return Status::Ok();
    }
    out.sql += "(";
    bool first = true;
    for (const auto& sub : list->GetArray()) {
      if (!first) out.sql += all ? " AND " : " OR ";
      first = false;
      out.sql += "(";
      if (auto st = Predicate(sub, out); !st.ok()) return st;
      out.sql += ")";
    }
    out.sql += ")";
    return Status::Ok();
  }
  if (p.MemberCount() == 0) {
    out.sql += "1";
    return Status::Ok();
  }
  out.sql += "(";
  bool first = true;
  for (auto it = p.MemberBegin(); it != p.MemberEnd(); ++it) {
    if (!first) out.sql += " AND ";
    first = false;
    if (auto st = Field(model::JsToLower(AsView(it->name)), it->value, out); !st.ok()) return st;
  }
  out.sql += ")";
  return Status::Ok();
}

}  // namespace

Result<SqlFragment> PredicateToSql(std::string_view predicate_json) {
  Json doc;
  doc.Parse(predicate_json.data(), predicate_json.size());
  if (doc.HasParseError()) return Input("Invalid filter predicate: not valid JSON");
  SqlFragment out;
  if (auto st = Predicate(doc, out); !st.ok()) return st;
  return out;
}

}  // namespace idp::store
