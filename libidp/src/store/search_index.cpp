#include "store/search_index.h"

#include <string_view>
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
          if (seen_path_keys_.insert(model::JsToLower(path_key)).second) {
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

  // Keys differing only in case would collide in the (lower-cased) index.
  {
    std::vector<std::string> distinct;  // raw keys in first-seen order
    std::unordered_set<std::string> keys;
    std::unordered_set<std::string> lower_keys;
    for (const auto& r : t.rows) {
      if (keys.insert(r.key).second) distinct.push_back(r.key);
      lower_keys.insert(model::JsToLower(r.key));
    }
    if (keys.size() != lower_keys.size()) {
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
  }

  std::vector<SearchRow> out;
  out.reserve(t.rows.size());
  std::unordered_set<std::string> seen;
  for (auto& r : t.rows) {
    SearchRow row;
    row.key = model::JsToLower(r.key);
    if (model::Utf16Length(row.key) > kMaxKeyLength) continue;
    if (r.value) {
      std::string lower = model::JsToLower(*r.value);
      if (model::Utf16Length(lower) <= kMaxValueLength) {
        row.original_value = std::move(r.value);
        row.value = std::move(lower);
      }
    }
    // Distinct on (key, value); NUL cannot occur in a key, so it separates safely.
    std::string dedup = row.key + '\0' + (row.value ? "v" + *row.value : std::string("n"));
    if (!seen.insert(std::move(dedup)).second) continue;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace idp::store
