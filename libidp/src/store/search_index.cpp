#include "store/search_index.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "model/entity_ref.h"
#include "model/js_object.h"
#include "model/js_string.h"
#include "store/stable_json.h"

namespace idp::store {

namespace {

constexpr std::size_t kMaxKeyLength = 200;
constexpr std::size_t kMaxValueLength = 200;

struct RawRow {
  std::string key;
  std::optional<std::string> value;  // String(v); nullopt for null
};

// JS toLowerCase, ASCII (nearly every key and value) without decoding.
std::string Lower(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return model::JsToLower(s);
  }
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  return out;
}

std::size_t Utf16Len(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return model::Utf16Length(s);
  }
  return s.size();
}

bool IsSpecial(std::string_view path) {
  return path == "attachments" || path == "relations" || path == "status" ||
         path == "metadata.name" || path == "metadata.namespace" || path == "metadata.uid" ||
         path == "metadata.etag";
}

class Traversal {
 public:
  std::vector<RawRow> rows;

  void Visit(const std::string& path, const JsonValue& v) {
    if (IsSpecial(path)) return;
    if (v.IsNull()) {
      rows.push_back({path, std::nullopt});
      return;
    }
    if (v.IsString() || v.IsNumber() || v.IsBool()) {
      rows.push_back({path, JsScalarString(v)});
      return;
    }
    if (v.IsArray()) {
      for (const auto& item : v.GetArray()) {
        Visit(path, item);
        if (item.IsString()) {
          std::string path_key = path + "." + std::string(AsView(item));
          // Only the first spelling of an item key is kept (no case clash from arrays).
          if (seen_path_keys_.insert(Lower(path_key)).second) {
            rows.push_back({std::move(path_key), std::string("true")});
          }
        }
      }
      return;
    }
    model::ForEachMemberJsOrder(v, [&](std::string_view key, const JsonValue& value) {
      Visit(path.empty() ? std::string(key) : path + "." + std::string(key), value);
    });
  }

 private:
  std::unordered_set<std::string> seen_path_keys_;
};

struct RowKey {
  std::string_view key;
  std::string_view value;
  bool has_value;
  bool operator==(const RowKey&) const = default;
};

struct RowKeyHash {
  std::size_t operator()(const RowKey& k) const {
    const std::size_t h = std::hash<std::string_view>()(k.key);
    return (h * 31 + std::hash<std::string_view>()(k.value)) * 2 + (k.has_value ? 1 : 0);
  }
};

// Backstage's error for keys that differ only in case, naming each lower-
// cased key once, in first-seen order (the rare path: no shortcuts).
Status CaseClash(const std::vector<RawRow>& rows) {
  std::vector<std::string> distinct;  // raw keys in first-seen order
  std::unordered_set<std::string> keys;
  std::unordered_set<std::string> lower_keys;
  for (const auto& r : rows) {
    if (keys.insert(r.key).second) distinct.push_back(r.key);
    lower_keys.insert(model::JsToLower(r.key));
  }
  std::string bad;
  for (const auto& k : distinct) {
    std::string lower = model::JsToLower(k);
    if (lower_keys.erase(lower) == 0) {
      bad += bad.empty() ? "'" : ", '";
      bad += lower + "'";
    }
  }
  return Status(Code::kInvalid, "Entity has duplicate keys that vary only in casing, " + bad);
}

std::optional<std::string> StringMember(const JsonValue* obj, std::string_view key) {
  if (obj == nullptr) return std::nullopt;
  const JsonValue* v = FindMember(*obj, key);
  if (v == nullptr || v->IsNull()) return std::nullopt;
  return JsScalarString(*v);
}

}  // namespace

Result<std::vector<SearchRow>> BuildSearchRows(const JsonValue& entity) {
  Traversal t;
  t.Visit("", entity);
  const JsonValue* metadata = FindMember(entity, "metadata");
  auto ns = StringMember(metadata, "namespace");
  t.rows.push_back({"metadata.name", StringMember(metadata, "name")});
  t.rows.push_back({"metadata.namespace", ns});
  t.rows.push_back({"metadata.uid", StringMember(metadata, "uid")});
  if (!ns || ns->empty()) t.rows.push_back({"metadata.namespace", std::string(model::kDefaultNamespace)});
  if (const JsonValue* relations = FindMember(entity, "relations"); relations && relations->IsArray()) {
    for (const auto& r : relations->GetArray()) {
      auto type = StringMember(&r, "type");
      t.rows.push_back({"relations." + type.value_or("undefined"), StringMember(&r, "targetRef")});
    }
  }

  // Every key lowered once (the index holds lower-cased keys); keys
  // differing only in case would collide there.
  std::vector<std::string> lower_keys;
  lower_keys.reserve(t.rows.size());
  std::unordered_map<std::string_view, std::string_view> raw_of_lower;
  bool clash = false;
  for (const auto& r : t.rows) {
    lower_keys.push_back(Lower(r.key));
    auto [it, fresh] = raw_of_lower.emplace(lower_keys.back(), r.key);
    clash = clash || (!fresh && it->second != r.key);
  }
  if (clash) return CaseClash(t.rows);

  std::vector<SearchRow> out;
  out.reserve(t.rows.size());
  // Distinct on (key, value): views into `out`, whose strings stay put once
  // moved in (reserved above, never reallocated).
  std::unordered_set<RowKey, RowKeyHash> seen;
  seen.reserve(t.rows.size());
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    RawRow& r = t.rows[i];
    if (Utf16Len(lower_keys[i]) > kMaxKeyLength) continue;
    SearchRow row;
    row.key = std::move(lower_keys[i]);
    if (r.value) {
      std::string lower = Lower(*r.value);
      if (Utf16Len(lower) <= kMaxValueLength) {
        row.original_value = std::move(r.value);
        row.value = std::move(lower);
      }
    }
    out.push_back(std::move(row));
    const SearchRow& added = out.back();
    if (!seen.insert({added.key, added.value ? std::string_view(*added.value) : std::string_view(), added.value.has_value()})
             .second) {
      out.pop_back();
    }
  }
  return out;
}

}  // namespace idp::store
