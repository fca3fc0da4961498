// The catalog C ABI over idp::catalog::Catalog (thread safety: see idp.h).
#include <memory>
#include <string>

#include "capi/capi_util.h"
#include "catalog/catalog.h"
#include "core/json.h"
#include "idp/idp.h"

struct idp_catalog {
  idp::catalog::Catalog catalog;
};

namespace {

using idp::Code;
using idp::Status;
using idp::capi::Fail;

int Out(char** out, const std::string& text) {
  *out = idp::capi::CopyOut(text);
  return *out ? IDP_OK : Fail({Code::kInternal, "out of memory"});
}

std::string Quote(std::string_view s) {
  idp::Json v;
  v.SetString(s.data(), static_cast<rapidjson::SizeType>(s.size()), v.GetAllocator());
  return idp::ToJsonString(v);
}

// Strings of an optional array member; false when it is not an array of strings.
bool Strings(const idp::JsonValue& request, std::string_view key, std::vector<std::string>& out) {
  const idp::JsonValue* v = idp::FindMember(request, key);
  if (!v) return true;
  if (!v->IsArray()) return false;
  for (const auto& item : v->GetArray()) {
    if (!item.IsString()) return false;
    out.emplace_back(idp::AsView(item));
  }
  return true;
}

idp::Result<idp::store::QueryRequest> ParseRequest(const char* json) {
  idp::store::QueryRequest r;
  if (json == nullptr) return r;
  idp::Json doc;
  doc.Parse(json);
  if (doc.HasParseError() || !doc.IsObject()) return Status(Code::kParse, "request_json is not a JSON object");
  std::vector<std::string> filters, order;
  if (!Strings(doc, "filter", filters) || !Strings(doc, "fields", r.fields) || !Strings(doc, "order", order)) {
    return Status(Code::kInvalidArgument, "filter, fields and order must be arrays of strings");
  }
  if (!filters.empty()) {
    idp::store::EntityFilter f;
    for (const std::string& text : filters) {
      auto set = idp::store::ParseFilterParam(text);
      if (!set.ok()) return set.status();
      f.any_of.push_back(std::move(set).value());
    }
    r.filter = std::move(f);
  }
  for (const std::string& o : order) {
    const bool desc = o.starts_with('-');
    r.order.push_back({desc ? o.substr(1) : o, desc});
  }
  if (const auto* t = idp::FindMember(doc, "fullText")) {
    if (!t->IsString()) return Status(Code::kInvalidArgument, "fullText must be a string");
    r.full_text = idp::store::FullTextFilter{std::string(idp::AsView(*t)), {}};
  }
  for (const char* key : {"offset", "limit"}) {
    if (const auto* n = idp::FindMember(doc, key)) {
      if (!n->IsUint64()) return Status(Code::kInvalidArgument, std::string(key) + " must be a non-negative integer");
      if (key[0] == 'o') r.offset = n->GetUint64();
      else r.limit = n->GetUint64();
    }
  }
  if (const auto* c = idp::FindMember(doc, "cursor")) {
    if (!c->IsString()) return Status(Code::kInvalidArgument, "cursor must be a string");
    r.cursor = idp::AsView(*c);
  }
  return r;
}

}  // namespace

IDP_API int idp_catalog_open(idp_catalog** out, const idp_catalog_options* options) {
  return idp::capi::Guard([&]() -> int {
    if (out == nullptr) return Fail({Code::kInvalidArgument, "out is NULL"});
    *out = nullptr;
    idp::catalog::CatalogOptions o;
    if (options != nullptr) {
      if (options->version != IDP_CATALOG_OPTIONS_VERSION) {
        return Fail({Code::kInvalidArgument, "unsupported idp_catalog_options version"});
      }
      if (options->db_path != nullptr) o.db_path = options->db_path;
      if (options->allowed_roots_count != 0 && options->allowed_roots == nullptr) {
        return Fail({Code::kInvalidArgument, "allowed_roots is NULL"});
      }
      for (size_t i = 0; i < options->allowed_roots_count; ++i) {
        if (options->allowed_roots[i] == nullptr) return Fail({Code::kInvalidArgument, "allowed root is NULL"});
        o.allowed_roots.emplace_back(options->allowed_roots[i]);
      }
      o.allow_location_dirs = options->allow_location_dirs != 0;
      if (options->keep_orphans != 0) o.orphan_strategy = idp::store::OrphanStrategy::kKeep;
      o.threads = options->threads;
    }
    auto c = idp::catalog::Catalog::Open(std::move(o));
    if (!c.ok()) return Fail(c.status());
    *out = std::make_unique<idp_catalog>(idp_catalog{std::move(c).value()}).release();  // caller owns it
    return IDP_OK;
  });
}

IDP_API void idp_catalog_close(idp_catalog* catalog) {
  std::unique_ptr<idp_catalog> owned(catalog);  // NULL is fine
}

IDP_API int idp_catalog_add_location(idp_catalog* catalog, const char* path) {
  return idp::capi::Guard([&]() -> int {
    if (catalog == nullptr || path == nullptr) return Fail({Code::kInvalidArgument, "NULL argument"});
    auto added = catalog->catalog.AddFileLocation(path);
    return added.ok() ? IDP_OK : Fail(added.status());
  });
}

IDP_API int idp_catalog_refresh(char** out_report_json, idp_catalog* catalog) {
  return idp::capi::Guard([&]() -> int {
    if (out_report_json) *out_report_json = nullptr;
    if (catalog == nullptr) return Fail({Code::kInvalidArgument, "catalog is NULL"});
    auto r = catalog->catalog.Refresh();
    if (!r.ok()) return Fail(r.status());
    if (out_report_json == nullptr) return IDP_OK;
    std::string json = "{\"processed\":" + std::to_string(r->processed) + ",\"failed\":" +
                       std::to_string(r->failed) + ",\"written\":" + std::to_string(r->written) +
                       ",\"stitched\":" + std::to_string(r->stitched) + ",\"deleted\":[";
    for (std::size_t i = 0; i < r->deleted.size(); ++i) json += (i ? "," : "") + Quote(r->deleted[i]);
    return Out(out_report_json, json + "]}");
  });
}

IDP_API int idp_catalog_get_entity(char** out_json, idp_catalog* catalog, const char* ref) {
  return idp::capi::Guard([&]() -> int {
    if (out_json == nullptr) return Fail({Code::kInvalidArgument, "out_json is NULL"});
    *out_json = nullptr;
    if (catalog == nullptr || ref == nullptr) return Fail({Code::kInvalidArgument, "NULL argument"});
    auto e = catalog->catalog.GetByRef(ref);
    if (!e.ok()) return Fail(e.status());
    if (!e->has_value()) return Fail({Code::kNotFound, std::string("No such entity ") + ref});
    return Out(out_json, idp::ToJsonString(**e));
  });
}

IDP_API int idp_catalog_query(char** out_json, idp_catalog* catalog, const char* request_json) {
  return idp::capi::Guard([&]() -> int {
    if (out_json == nullptr) return Fail({Code::kInvalidArgument, "out_json is NULL"});
    *out_json = nullptr;
    if (catalog == nullptr) return Fail({Code::kInvalidArgument, "catalog is NULL"});
    auto request = ParseRequest(request_json);
    if (!request.ok()) return Fail(request.status());
    auto r = catalog->catalog.Query(*request);
    if (!r.ok()) return Fail(r.status());
    std::string json = "{\"items\":[";
    for (std::size_t i = 0; i < r->items.size(); ++i) json += (i ? "," : "") + idp::ToJsonString(r->items[i]);
    json += "],\"totalItems\":" + std::to_string(r->total_items) + ",\"pageInfo\":{";
    if (!r->next_cursor.empty()) json += "\"nextCursor\":" + Quote(r->next_cursor);
    if (!r->prev_cursor.empty()) {
      json += std::string(r->next_cursor.empty() ? "" : ",") + "\"prevCursor\":" + Quote(r->prev_cursor);
    }
    return Out(out_json, json + "}}");
  });
}
