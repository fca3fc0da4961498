#include "store/store_json.h"

#include "core/json.h"

namespace idp::store {

std::string QuoteJson(std::string_view s) {
  Json v;
  v.SetString(s.data(), static_cast<rapidjson::SizeType>(s.size()), v.GetAllocator());
  return ToJsonString(v);
}

std::string StringsJson(const std::vector<std::string>& items) {
  std::string json = "[";
  for (std::size_t i = 0; i < items.size(); ++i) json += (i ? "," : "") + QuoteJson(items[i]);
  return json + "]";
}

std::string QueryResultJson(const QueryResult& r) {
  std::string json = "{\"items\":[";
  for (std::size_t i = 0; i < r.items.size(); ++i) json += (i ? "," : "") + ToJsonString(r.items[i]);
  json += "],\"totalItems\":" + std::to_string(r.total_items) + ",\"pageInfo\":{";
  if (!r.next_cursor.empty()) json += "\"nextCursor\":" + QuoteJson(r.next_cursor);
  if (!r.prev_cursor.empty()) {
    json += std::string(r.next_cursor.empty() ? "" : ",") + "\"prevCursor\":" + QuoteJson(r.prev_cursor);
  }
  return json + "}}";
}

std::string FacetsJson(const FacetsResult& r) {
  std::string json = "{\"facets\":{";
  for (std::size_t i = 0; i < r.facets.size(); ++i) {
    json += (i ? "," : "") + QuoteJson(r.facets[i].first) + ":[";
    const auto& values = r.facets[i].second;
    for (std::size_t k = 0; k < values.size(); ++k) {
      json += (k ? ",{\"value\":" : "{\"value\":") + QuoteJson(values[k].value) +
              ",\"count\":" + std::to_string(values[k].count) + "}";
    }
    json += "]";
  }
  return json + "}}";
}

std::string AncestryJson(const Ancestry& a) {
  std::string json = "{\"rootEntityRef\":" + QuoteJson(a.root_ref) + ",\"items\":[";
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    json += (i ? ",{\"entity\":" : "{\"entity\":") + ToJsonString(a.items[i].entity) +
            ",\"parentEntityRefs\":" + StringsJson(a.items[i].parent_refs) + "}";
  }
  return json + "]}";
}

Result<std::optional<EntityFilter>> ParseFilters(const std::vector<std::string>& params) {
  if (params.empty()) return std::optional<EntityFilter>();
  EntityFilter f;
  for (const std::string& text : params) {
    auto set = ParseFilterParam(text);
    if (!set.ok()) return set.status();
    f.any_of.push_back(std::move(set).value());
  }
  return std::optional<EntityFilter>(std::move(f));
}

}  // namespace idp::store
