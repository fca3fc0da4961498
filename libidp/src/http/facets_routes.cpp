// GET/POST /entity-facets (spec/catalog.md §10.10).
#include "http/errors.h"
#include "http/json_io.h"
#include "http/service.h"

namespace idp::http {
namespace {

Response FacetsResponse(const store::FacetsResult& r) {
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  w.StartObject();
  w.Key("facets");
  w.StartObject();
  for (const auto& [facet, values] : r.facets) {
    w.Key(facet);
    w.StartArray();
    for (const store::FacetValue& v : values) {
      w.StartObject();
      w.Key("value");
      w.String(v.value);
      w.Key("count");
      w.Uint64(v.count);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  return JsonResponse(200, buf);
}

}  // namespace

Response Service::GetFacets(const Request& req, const QueryParams& q) {
  if (auto unknown = q.Unknown({"facet", "filter"})) {
    return ErrorResponse(req, 400, "Unknown query parameter '" + *unknown + "'");
  }
  store::FacetsRequest r;
  for (std::string_view f : q.All("facet")) r.facets.emplace_back(f);
  if (r.facets.empty()) return ErrorResponse(req, 400, "Missing facet parameter");
  const std::vector<std::string_view> filters = q.All("filter");
  if (!filters.empty()) {
    store::EntityFilter f;
    for (std::string_view p : filters) {
      Result<store::FilterSet> set = store::ParseFilterParam(p);
      if (!set.ok()) return StatusResponse(req, set.status());
      f.any_of.push_back(std::move(set).value());
    }
    r.filter = std::move(f);
  }
  Result<store::FacetsResult> result = catalog_.Facets(r);
  if (!result.ok()) return StatusResponse(req, result.status());
  return FacetsResponse(*result);
}

Response Service::PostFacets(const Request& req) {
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return std::move(*bad);
  if (!body.IsObject()) return ErrorResponse(req, 400, "Malformed request: the body must be a JSON object");
  store::FacetsRequest r;
  for (const auto& m : body.GetObject()) {
    const std::string_view key = AsView(m.name);
    if (key == "facets") {
      if (!m.value.IsArray()) return ErrorResponse(req, 400, "Malformed request: facets must be an array of strings");
      for (const auto& f : m.value.GetArray()) {
        if (!f.IsString()) return ErrorResponse(req, 400, "Malformed request: facets must be an array of strings");
        r.facets.emplace_back(AsView(f));
      }
    } else if (key == "query") {
      if (!m.value.IsObject()) return ErrorResponse(req, 400, "Malformed request: query must be an object");
      r.predicate = ToJsonString(m.value);
    } else {
      return ErrorResponse(req, 400, "Malformed request: unknown field '" + std::string(key) + "'");
    }
  }
  if (r.facets.empty()) return ErrorResponse(req, 400, "Missing facet parameter");
  Result<store::FacetsResult> result = catalog_.Facets(r);
  if (!result.ok()) return StatusResponse(req, result.status());
  return FacetsResponse(*result);
}

}  // namespace idp::http
