// The catalog API behind the HTTP server: routing, authentication and one
// member per endpoint (grouped in one file per endpoint group). Handlers only
// translate requests into the catalog facade's calls and its results into
// Backstage's response shapes.
//
// Threading: Handle() may be called from any number of io threads at once.
// Reads run on the calling thread; writes are queued to the one writer
// thread and answered from there through the Responder.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "core/json.h"
#include "core/status.h"
#include "http/config.h"
#include "http/entity_cache.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/query_params.h"
#include "http/query_pool.h"
#include "http/write_queue.h"

namespace idp::http {

class ScaffolderApi;

class Service {
 public:
  // Opens the catalog, registers the configured locations, runs the first
  // refresh (so everything is stitched) and starts the writer thread.
  static Result<std::unique_ptr<Service>> Open(ServerConfig config);
  ~Service();

  // Answers through `done` exactly once; returns the matched route.
  Route Handle(const Request& request, Responder done);

  // Finishes queued writes and stops the background refresh.
  void Shutdown();

  const ServerConfig& config() const { return config_; }
  Metrics& metrics() { return metrics_; }

 private:
  explicit Service(ServerConfig config, catalog::Catalog catalog);

  using Segments = std::vector<std::string>;

  // router.cpp
  Route Dispatch(const Request& req, const Segments& seg, Responder& done);
  void Serve(Route route, const Request& req, const QueryParams& q, const Segments& seg, Responder done);
  std::optional<Response> CheckAuth(const Request& req, bool write) const;

  // entities_routes.cpp
  Response GetEntities(const Request& req, const QueryParams& q);
  Response GetEntitiesByQuery(const Request& req, const QueryParams& q);
  Response PostEntitiesByQuery(const Request& req, const QueryParams& q);
  Response PostEntitiesByRefs(const Request& req, const QueryParams& q);
  Response GetEntityByUid(const Request& req, const std::string& uid);
  void DeleteEntityByUid(const Request& req, const std::string& uid, Responder done);
  Response GetEntityByName(const Request& req, const Segments& seg);
  Response GetAncestry(const Request& req, const Segments& seg);

  // facets_routes.cpp
  Response GetFacets(const Request& req, const QueryParams& q);
  Response PostFacets(const Request& req);

  // locations_routes.cpp
  Response GetLocations(const Request& req);
  void PostLocation(const Request& req, const QueryParams& q, Responder done);
  Response PostLocationsByQuery(const Request& req);
  Response GetLocation(const Request& req, const std::string& id);
  void DeleteLocation(const Request& req, const std::string& id, Responder done);
  Response GetLocationByEntity(const Request& req, const Segments& seg);

  // processing_routes.cpp
  void PostRefresh(const Request& req, Responder done);
  Response PostValidateEntity(const Request& req);
  Response PostAnalyzeLocation(const Request& req);

  // ops_routes.cpp
  Response Health(const Request& req, bool readiness);
  Response MetricsText();

  // service.cpp
  // Refreshes every location (writer thread only) and drops cached bodies.
  Status RefreshAll();
  // A served body of one entity, from the cache or the store.
  Result<EntityCache::Body> EntityBody(std::string_view cache_key, bool by_uid, std::string_view id);
  // Is `path` under an allowed root (API-registered file locations)?
  bool PathAllowed(const std::filesystem::path& path) const;
  // May a location of `kind` ("file", normalised absolute path; "url") be
  // added (POST /locations, catalog:register)? kNotAllowed: outside the
  // allowed roots or the reading allowlist.
  Status CheckNewLocation(std::string_view kind, std::string_view target) const;
  bool IsConfigLocation(std::string_view id) const;

  ServerConfig config_;
  catalog::Catalog catalog_;
  std::vector<std::filesystem::path> allowed_roots_;  // where API file locations may point
  std::vector<std::filesystem::path> read_roots_;     // what processing may read (the catalog's roots)
  catalog::UrlOptions url_options_;                   // what url locations may read
  std::set<std::string, std::less<>> config_location_ids_;  // hidden from GET /locations
  EntityCache cache_;
  Metrics metrics_;
  std::atomic<std::uint64_t> processing_errors_{0};
  std::atomic<std::uint64_t> refreshes_{0};
  std::atomic<std::uint64_t> refresh_failures_{0};
  std::atomic<bool> ready_{false};
  std::unique_ptr<WriteQueue> writer_;
  std::unique_ptr<ScaffolderApi> scaffolder_;  // /api/scaffolder (scaffolder_routes.h)
  std::unique_ptr<QueryPool> queries_;
};

}  // namespace idp::http
