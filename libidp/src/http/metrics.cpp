#include "http/metrics.h"

#include <cstdio>

namespace idp::http {

std::string_view RouteName(Route route) {
  switch (route) {
    case Route::kNone: return "none";
    case Route::kEntities: return "/api/catalog/entities";
    case Route::kEntitiesByQuery: return "/api/catalog/entities/by-query";
    case Route::kEntitiesByRefs: return "/api/catalog/entities/by-refs";
    case Route::kEntityByUid: return "/api/catalog/entities/by-uid/:uid";
    case Route::kEntityByName: return "/api/catalog/entities/by-name/:kind/:namespace/:name";
    case Route::kEntityAncestry: return "/api/catalog/entities/by-name/:kind/:namespace/:name/ancestry";
    case Route::kEntityFacets: return "/api/catalog/entity-facets";
    case Route::kLocations: return "/api/catalog/locations";
    case Route::kLocationsByQuery: return "/api/catalog/locations/by-query";
    case Route::kLocation: return "/api/catalog/locations/:id";
    case Route::kLocationByEntity: return "/api/catalog/locations/by-entity/:kind/:namespace/:name";
    case Route::kRefresh: return "/api/catalog/refresh";
    case Route::kValidateEntity: return "/api/catalog/validate-entity";
    case Route::kAnalyzeLocation: return "/api/catalog/analyze-location";
    case Route::kHealth: return "/.backstage/health/v1";
    case Route::kMetrics: return "/metrics";
    case Route::kCount: break;
  }
  return "none";
}

void Metrics::Record(Route route, int status, double seconds) {
  if (status >= kStatusMin && status < kStatusMin + kStatusSlots) {
    requests_[static_cast<std::size_t>(route)][static_cast<std::size_t>(status - kStatusMin)].fetch_add(
        1, std::memory_order_relaxed);
  }
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  buckets_[b].fetch_add(1, std::memory_order_relaxed);
  latency_sum_us_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
  latency_count_.fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::Render(const CatalogGauges& g) const {
  std::string out;
  out.reserve(4096);
  char line[256];
  out += "# HELP idp_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE idp_http_requests_total counter\n";
  for (std::size_t r = 0; r < requests_.size(); ++r) {
    for (int s = 0; s < kStatusSlots; ++s) {
      const std::uint64_t n = requests_[r][static_cast<std::size_t>(s)].load(std::memory_order_relaxed);
      if (n == 0) continue;
      std::snprintf(line, sizeof line, "idp_http_requests_total{route=\"%.*s\",status=\"%d\"} %llu\n",
                    static_cast<int>(RouteName(static_cast<Route>(r)).size()),
                    RouteName(static_cast<Route>(r)).data(), s + kStatusMin,
                    static_cast<unsigned long long>(n));
      out += line;
    }
  }
  out += "# HELP idp_http_request_duration_seconds Time from a complete request to its response.\n";
  out += "# TYPE idp_http_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    cumulative += buckets_[b].load(std::memory_order_relaxed);
    if (b < kBuckets.size()) {
      std::snprintf(line, sizeof line, "idp_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", kBuckets[b],
                    static_cast<unsigned long long>(cumulative));
    } else {
      std::snprintf(line, sizeof line, "idp_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                    static_cast<unsigned long long>(cumulative));
    }
    out += line;
  }
  std::snprintf(line, sizeof line, "idp_http_request_duration_seconds_sum %.6f\n",
                static_cast<double>(latency_sum_us_.load(std::memory_order_relaxed)) / 1e6);
  out += line;
  std::snprintf(line, sizeof line, "idp_http_request_duration_seconds_count %llu\n",
                static_cast<unsigned long long>(latency_count_.load(std::memory_order_relaxed)));
  out += line;
  const struct {
    const char* name;
    const char* type;
    const char* help;
    std::uint64_t value;
  } gauges[] = {
      {"idp_catalog_entities", "gauge", "Final (stitched) entities in the catalog.", g.entities},
      {"idp_catalog_locations", "gauge", "Registered locations.", g.locations},
      {"idp_catalog_processing_errors", "gauge", "Entities that failed processing in the last refresh.",
       g.processing_errors},
      {"idp_catalog_refreshes_total", "counter", "Completed refreshes of every location.", g.refreshes},
      {"idp_catalog_refresh_failures_total", "counter", "Refreshes that failed as a whole.", g.refresh_failures},
  };
  for (const auto& x : gauges) {
    std::snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", x.name, x.help, x.name, x.type,
                  x.name, static_cast<unsigned long long>(x.value));
    out += line;
  }
  return out;
}

}  // namespace idp::http
