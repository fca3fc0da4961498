// Prometheus counters kept by the server: requests by route and status, one
// latency histogram, catalog gauges filled in at scrape time. Lock-free.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace idp::http {

enum class Route : std::uint8_t {
  kNone,  // no route matched
  kEntities,
  kEntitiesByQuery,
  kEntitiesByRefs,
  kEntityByUid,
  kEntityByName,
  kEntityAncestry,
  kEntityFacets,
  kLocations,
  kLocationsByQuery,
  kLocation,
  kLocationByEntity,
  kRefresh,
  kValidateEntity,
  kAnalyzeLocation,
  kHealth,
  kMetrics,
  kCount,
};
std::string_view RouteName(Route route);  // the route's path pattern

struct CatalogGauges {
  std::uint64_t entities = 0;
  std::uint64_t locations = 0;
  std::uint64_t processing_errors = 0;  // entities that failed the last refresh
  std::uint64_t refreshes = 0;
  std::uint64_t refresh_failures = 0;   // refreshes that returned an error
};

class Metrics {
 public:
  void Record(Route route, int status, double seconds);
  std::string Render(const CatalogGauges& gauges) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   1.0,    10.0};
  static constexpr int kStatusMin = 100;
  static constexpr int kStatusSlots = 500;  // 100..599
  std::array<std::array<std::atomic<std::uint64_t>, kStatusSlots>, static_cast<std::size_t>(Route::kCount)> requests_{};
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets_{};  // last: +Inf
  std::atomic<std::uint64_t> latency_sum_us_{0};
  std::atomic<std::uint64_t> latency_count_{0};
};

}  // namespace idp::http
