// Backstage's health endpoints and Prometheus /metrics.
#include "http/json_io.h"
#include "http/service.h"

namespace idp::http {

Response Service::Health(const Request& /*req*/, bool readiness) {
  Response r;
  if (readiness && !ready_.load()) {
    r.status = 503;
    r.body = R"({"status":"error","message":"Backend is not ready"})";
  } else {
    r.body = R"({"status":"ok"})";
  }
  return r;
}

Response Service::MetricsText() {
  CatalogGauges g;
  store::QueryRequest count;
  count.limit = 0;
  count.include_total = true;
  if (Result<store::QueryResult> r = catalog_.Query(count); r.ok()) g.entities = r->total_items;
  if (Result<std::vector<store::Location>> l = catalog_.ListLocations(); l.ok()) g.locations = l->size();
  g.processing_errors = processing_errors_.load(std::memory_order_relaxed);
  g.refreshes = refreshes_.load(std::memory_order_relaxed);
  g.refresh_failures = refresh_failures_.load(std::memory_order_relaxed);
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics_.Render(g);
  return r;
}

}  // namespace idp::http
