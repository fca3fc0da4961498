// The catalog C ABI over idp::catalog::Catalog (thread safety: see idp.h).
#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capi/capi_catalog_handle.h"
#include "capi/capi_util.h"
#include "catalog/c_processor_adapter.h"
#include "catalog/catalog.h"
#include "core/json.h"
#include "store/store_json.h"
#include "graph/graph_format.h"
#include "graph/relation_graph.h"
#include "idp/idp.h"

namespace {

using idp::Code;
using idp::Status;
using idp::capi::Fail;

int Out(char** out, const std::string& text) {
  *out = idp::capi::CopyOut(text);
  return *out ? IDP_OK : Fail({Code::kInternal, "out of memory"});
}

// A reader's common frame: clears *out_json, refuses NULL arguments, and
// copies out what `answer` (Result<std::string>) produces.
template <typename F>
int Answer(char** out_json, const idp_catalog* catalog, std::initializer_list<const void*> args, F&& answer) {
  return idp::capi::Guard([&]() -> int {
    if (out_json == nullptr) return Fail({Code::kInvalidArgument, "out_json is NULL"});
    *out_json = nullptr;
    if (catalog == nullptr) return Fail({Code::kInvalidArgument, "catalog is NULL"});
    for (const void* arg : args) {
      if (arg == nullptr) return Fail({Code::kInvalidArgument, "NULL argument"});
    }
    idp::Result<std::string> json = answer();
    return json.ok() ? Out(out_json, *json) : Fail(json.status());
  });
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
  auto filter = idp::store::ParseFilters(filters);
  if (!filter.ok()) return filter.status();
  r.filter = std::move(filter).value();
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
      if (options->version != 1 && options->version != IDP_CATALOG_OPTIONS_VERSION) {
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
      // Version 1 structs end before the url fields: read them only from 2 on.
      if (options->version >= 2) {
        if (options->url_allowlist_count != 0 && options->url_allowlist == nullptr) {
          return Fail({Code::kInvalidArgument, "url_allowlist is NULL"});
        }
        for (size_t i = 0; i < options->url_allowlist_count; ++i) {
          if (options->url_allowlist[i] == nullptr) return Fail({Code::kInvalidArgument, "url allowlist entry is NULL"});
          o.url.allowlist.emplace_back(options->url_allowlist[i]);
        }
        o.allow_location_hosts = options->allow_location_hosts != 0;
        if (options->url_timeout_ms != 0) o.url.read_timeout = std::chrono::milliseconds(options->url_timeout_ms);
        if (options->url_connect_timeout_ms != 0) {
          o.url.connect_timeout = std::chrono::milliseconds(options->url_connect_timeout_ms);
        }
        o.url.max_bytes = options->url_max_bytes;
      }
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
    const std::string_view p(path);
    const std::string_view url = p.starts_with("url:") ? p.substr(4) : p;
    const bool is_url = p.starts_with("url:") || p.starts_with("http://") || p.starts_with("https://");
    auto added = is_url ? catalog->catalog.AddUrlLocation(url) : catalog->catalog.AddFileLocation(p);
    return added.ok() ? IDP_OK : Fail(added.status());
  });
}

IDP_API int idp_catalog_add_processor(idp_catalog* catalog, const idp_processor_callbacks* callbacks) {
  return idp::capi::Guard([&]() -> int {
    if (catalog == nullptr || callbacks == nullptr) return Fail({Code::kInvalidArgument, "NULL argument"});
    if (callbacks->name == nullptr) return Fail({Code::kInvalidArgument, "the processor has no name"});
    catalog->catalog.AddProcessor(idp::catalog::MakeCProcessor(*callbacks));
    return IDP_OK;
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
                       ",\"stitched\":" + std::to_string(r->stitched) + ",\"deleted\":";
    return Out(out_report_json, json + idp::store::StringsJson(r->deleted) + "}");
  });
}

IDP_API int idp_catalog_get_entity(char** out_json, idp_catalog* catalog, const char* ref) {
  return Answer(out_json, catalog, {ref}, [&]() -> idp::Result<std::string> {
    auto e = catalog->catalog.GetByRef(ref);
    if (!e.ok()) return e.status();
    if (!e->has_value()) return Status(Code::kNotFound, std::string("No such entity ") + ref);
    return idp::ToJsonString(**e);
  });
}

IDP_API int idp_catalog_query(char** out_json, idp_catalog* catalog, const char* request_json) {
  return Answer(out_json, catalog, {}, [&]() -> idp::Result<std::string> {
    auto request = ParseRequest(request_json);
    if (!request.ok()) return request.status();
    auto r = catalog->catalog.Query(*request);
    if (!r.ok()) return r.status();
    return idp::store::QueryResultJson(*r);
  });
}

// ---- facets, ancestry, graph ----------------------------------------------

namespace {

idp::Result<idp::store::FacetsRequest> ParseFacets(const char* json) {
  idp::store::FacetsRequest r;
  if (json == nullptr) return Status(Code::kInvalidArgument, "request_json is NULL");
  idp::Json doc;
  doc.Parse(json);
  if (doc.HasParseError() || !doc.IsObject()) return Status(Code::kParse, "request_json is not a JSON object");
  std::vector<std::string> filters;
  if (!Strings(doc, "facets", r.facets) || !Strings(doc, "filter", filters)) {
    return Status(Code::kInvalidArgument, "facets and filter must be arrays of strings");
  }
  if (r.facets.empty()) return Status(Code::kInvalidArgument, "facets must name at least one field");
  auto filter = idp::store::ParseFilters(filters);
  if (!filter.ok()) return filter.status();
  r.filter = std::move(filter).value();
  return r;
}

idp::Result<idp::graph::TraverseOptions> GraphOptions(const idp_graph_options* options) {
  idp::graph::TraverseOptions o;
  if (options == nullptr) return o;
  if (options->version != IDP_GRAPH_OPTIONS_VERSION) {
    return Status(Code::kInvalidArgument, "unsupported idp_graph_options version");
  }
  if (options->relation_types_count != 0 && options->relation_types == nullptr) {
    return Status(Code::kInvalidArgument, "relation_types is NULL");
  }
  for (size_t i = 0; i < options->relation_types_count; ++i) {
    if (options->relation_types[i] == nullptr) return Status(Code::kInvalidArgument, "relation type is NULL");
    o.relation_types.emplace_back(options->relation_types[i]);
  }
  switch (options->direction) {
    case IDP_GRAPH_OUT: o.direction = idp::graph::Direction::kOut; break;
    case IDP_GRAPH_IN: o.direction = idp::graph::Direction::kIn; break;
    case IDP_GRAPH_BOTH: o.direction = idp::graph::Direction::kBoth; break;
    default: return Status(Code::kInvalidArgument, "direction must be IDP_GRAPH_OUT, IDP_GRAPH_IN or IDP_GRAPH_BOTH");
  }
  if (options->max_depth >= 0) o.max_depth = static_cast<std::size_t>(options->max_depth);
  return o;
}

}  // namespace

IDP_API int idp_catalog_facets(char** out_json, idp_catalog* catalog, const char* request_json) {
  return Answer(out_json, catalog, {}, [&]() -> idp::Result<std::string> {
    auto request = ParseFacets(request_json);
    if (!request.ok()) return request.status();
    auto r = catalog->catalog.Facets(*request);
    if (!r.ok()) return r.status();
    return idp::store::FacetsJson(*r);
  });
}

IDP_API int idp_catalog_ancestry(char** out_json, idp_catalog* catalog, const char* ref) {
  return Answer(out_json, catalog, {ref}, [&]() -> idp::Result<std::string> {
    auto a = catalog->catalog.GetAncestry(ref);
    if (!a.ok()) return a.status();
    return idp::store::AncestryJson(*a);
  });
}

namespace {

// The graph functions' frame: options checked, the relations read once.
template <typename F>
int GraphAnswer(char** out_json, idp_catalog* catalog, std::initializer_list<const void*> args,
                const idp_graph_options* options, F&& answer) {
  return Answer(out_json, catalog, args, [&]() -> idp::Result<std::string> {
    auto o = GraphOptions(options);
    if (!o.ok()) return o.status();
    auto g = idp::graph::RelationGraph::Load(catalog->catalog.store());
    if (!g.ok()) return g.status();
    return answer(*g, *o);
  });
}

}  // namespace

IDP_API int idp_catalog_graph_traverse(char** out_json, idp_catalog* catalog, const char* ref,
                                       const idp_graph_options* options) {
  return Answer(out_json, catalog, {ref}, [&]() -> idp::Result<std::string> {
    auto o = GraphOptions(options);
    if (!o.ok()) return o.status();
    // Only the neighbourhood is read (the store's indices), not the whole graph.
    auto g = idp::graph::RelationGraph::LoadAround(catalog->catalog.store(), ref, *o);
    if (!g.ok()) return g.status();
    auto t = g->Traverse(ref, *o);
    if (!t.ok()) return t.status();
    return idp::graph::TraversalJson(*t);
  });
}

IDP_API int idp_catalog_graph_path(char** out_json, idp_catalog* catalog, const char* from, const char* to,
                                   const idp_graph_options* options) {
  return GraphAnswer(out_json, catalog, {from, to}, options,
                     [&](const idp::graph::RelationGraph& g, const idp::graph::TraverseOptions& o)
                         -> idp::Result<std::string> {
                       auto p = g.ShortestPath(from, to, o);
                       if (!p.ok()) return p.status();
                       return idp::graph::PathJson(*p);
                     });
}

IDP_API int idp_catalog_graph_cycles(char** out_json, idp_catalog* catalog, const idp_graph_options* options) {
  return GraphAnswer(out_json, catalog, {}, options,
                     [&](const idp::graph::RelationGraph& g, const idp::graph::TraverseOptions& o)
                         -> idp::Result<std::string> {
                       return idp::graph::CyclesJson(g.Cycles(o.relation_types));
                     });
}

IDP_API int idp_catalog_graph_dangling(char** out_json, idp_catalog* catalog) {
  return GraphAnswer(out_json, catalog, {}, nullptr,
                     [&](const idp::graph::RelationGraph& g, const idp::graph::TraverseOptions&)
                         -> idp::Result<std::string> {
                       return "{\"relations\":" + idp::graph::RelationsJson(g.Dangling()) + "}";
                     });
}
