// Request -> endpoint: Backstage's paths under /api/catalog, the health
// endpoints and /metrics. Authentication is decided here, once.
#include <cstring>

#include "http/errors.h"
#include "http/path_match.h"
#include "http/scaffolder_routes.h"
#include "http/service.h"

namespace idp::http {
namespace {

constexpr std::string_view kPrefix = "/api/catalog";

// Constant time over the token's length: no early exit on the first difference.
bool SameToken(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::optional<Response> Service::CheckAuth(const Request& req, bool write) const {
  if (!write && !config_.reads_require_token) return std::nullopt;
  std::string_view auth = req.authorization;
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.empty()) return ErrorResponse(req, 401, "Missing credentials");
  if (auth.size() <= kBearer.size() || strncasecmp(auth.data(), kBearer.data(), kBearer.size()) != 0) {
    return ErrorResponse(req, 401, "Illegal token");
  }
  auth.remove_prefix(kBearer.size());
  for (const StaticToken& t : config_.tokens) {
    if (SameToken(auth, t.token)) return std::nullopt;
  }
  return ErrorResponse(req, 401, "Illegal token");
}

Route Service::Handle(const Request& req, Responder done) {
  const std::string_view path = req.path;
  if (path == "/metrics") {
    if (req.method != "GET") {
      done(BareNotFound());
      return Route::kNone;
    }
    done(MetricsText());
    return Route::kMetrics;
  }
  if (path == "/.backstage/health/v1/readiness" || path == "/.backstage/health/v1/liveness") {
    if (req.method != "GET") {
      done(BareNotFound());
      return Route::kNone;
    }
    done(Health(req, path.ends_with("readiness")));
    return Route::kHealth;
  }
  if (path.starts_with("/api/scaffolder/") && scaffolder_) {
    if (std::optional<Response> denied = CheckAuth(req, req.method != "GET")) done(std::move(*denied));
    else scaffolder_->Handle(req, std::move(done));
    return Route::kNone;
  }
  if (!path.starts_with(kPrefix) || path.size() == kPrefix.size() || path[kPrefix.size()] != '/') {
    done(BareNotFound());
    return Route::kNone;
  }
  // Segments, each percent-decoded: "%2F" inside a name stays inside it.
  Segments seg;
  std::string_view rest = path.substr(kPrefix.size() + 1);
  while (true) {
    const std::size_t slash = rest.find('/');
    std::optional<std::string> s = PercentDecode(rest.substr(0, slash), false);
    if (!s) {
      done(ErrorResponse(req, 400, "Malformed percent-encoding in the path"));
      return Route::kNone;
    }
    seg.push_back(std::move(*s));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  // Express ignores one trailing slash.
  if (seg.size() > 1 && seg.back().empty()) seg.pop_back();
  return Dispatch(req, seg, done);
}

Route Service::Dispatch(const Request& req, const Segments& seg, Responder& done) {
  const std::string_view m = req.method;
  const bool get = m == "GET", post = m == "POST", del = m == "DELETE", put = m == "PUT";

  // Which route, and does it write? Unknown method/path pairs: bare 404.
  Route route = Route::kNone;
  bool write = false;
  if (Is(seg, {"entities"}) && get) route = Route::kEntities;
  else if (Is(seg, {"entities", "by-query"}) && (get || post)) route = Route::kEntitiesByQuery;
  else if (Is(seg, {"entities", "by-refs"}) && post) route = Route::kEntitiesByRefs;
  else if (Is(seg, {"entities", "by-uid", ""}) && (get || del)) route = Route::kEntityByUid, write = del;
  else if (Is(seg, {"entities", "by-name", "", "", ""}) && get) route = Route::kEntityByName;
  else if (Is(seg, {"entities", "by-name", "", "", "", "ancestry"}) && get) route = Route::kEntityAncestry;
  else if (Is(seg, {"entity-facets"}) && (get || post)) route = Route::kEntityFacets;
  else if (Is(seg, {"locations"}) && (get || post)) route = Route::kLocations, write = post;
  else if (Is(seg, {"locations", "by-query"}) && post) route = Route::kLocationsByQuery;
  else if (Is(seg, {"locations", "by-entity", "", "", ""}) && get) route = Route::kLocationByEntity;
  else if (Is(seg, {"locations", ""}) && (get || del || put)) route = Route::kLocation, write = !get;
  else if (Is(seg, {"refresh"}) && post) route = Route::kRefresh, write = true;
  else if (Is(seg, {"validate-entity"}) && post) route = Route::kValidateEntity;
  else if (Is(seg, {"analyze-location"}) && post) route = Route::kAnalyzeLocation;
  if (route == Route::kNone) {
    done(BareNotFound());
    return route;
  }

  QueryParams q;
  if (!q.Parse(req.query)) {
    done(ErrorResponse(req, 400, "Malformed percent-encoding in the query string"));
    return route;
  }
  // A dry run stores nothing: a read.
  if (route == Route::kLocations && post) {
    const std::string* dry = q.First("dryRun");
    if (dry && (*dry == "true" || *dry == "yes" || *dry == "1" || *dry == "on")) write = false;
  }
  if (std::optional<Response> denied = CheckAuth(req, write)) {
    done(std::move(*denied));
    return route;
  }
  // Every route but these few takes no query parameters at all.
  const bool takes_params = route == Route::kEntities || route == Route::kEntitiesByQuery ||
                            route == Route::kEntitiesByRefs || route == Route::kEntityFacets ||
                            (route == Route::kLocations && post);
  if (!takes_params) {
    if (std::optional<std::string> unknown = q.Unknown({})) {
      done(ErrorResponse(req, 400, "Unknown query parameter '" + *unknown + "'"));
      return route;
    }
  }

  // Reads that may take long go to the query pool: the io thread (and the
  // acceptor on the first one) stays free for the other connections. The
  // request's views point into the session, which waits for this answer.
  const bool slow = route == Route::kEntities || route == Route::kEntitiesByQuery ||
                    route == Route::kEntitiesByRefs || route == Route::kEntityFacets ||
                    route == Route::kEntityAncestry || route == Route::kLocationsByQuery ||
                    route == Route::kValidateEntity || route == Route::kAnalyzeLocation;
  if (slow && queries_) {
    queries_->Post([this, route, req, q = std::move(q), seg, done = std::move(done)]() mutable {
      Serve(route, req, q, seg, std::move(done));
    });
    return route;
  }
  Serve(route, req, q, seg, std::move(done));
  return route;
}

void Service::Serve(Route route, const Request& req, const QueryParams& q, const Segments& seg, Responder done) {
  const std::string_view m = req.method;
  const bool get = m == "GET", del = m == "DELETE";
  switch (route) {
    case Route::kEntities: done(GetEntities(req, q)); break;
    case Route::kEntitiesByQuery: done(get ? GetEntitiesByQuery(req, q) : PostEntitiesByQuery(req, q)); break;
    case Route::kEntitiesByRefs: done(PostEntitiesByRefs(req, q)); break;
    case Route::kEntityByUid:
      if (get) done(GetEntityByUid(req, seg[2]));
      else DeleteEntityByUid(req, seg[2], std::move(done));
      break;
    case Route::kEntityByName: done(GetEntityByName(req, seg)); break;
    case Route::kEntityAncestry: done(GetAncestry(req, seg)); break;
    case Route::kEntityFacets: done(get ? GetFacets(req, q) : PostFacets(req)); break;
    case Route::kLocations:
      if (get) done(GetLocations(req));
      else PostLocation(req, q, std::move(done));
      break;
    case Route::kLocationsByQuery: done(PostLocationsByQuery(req)); break;
    case Route::kLocationByEntity: done(GetLocationByEntity(req, seg)); break;
    case Route::kLocation:
      if (get) done(GetLocation(req, seg[1]));
      else if (config_.readonly) done(ReadonlyResponse(req));
      else if (del) DeleteLocation(req, seg[1], std::move(done));
      else done(ErrorResponse(req, 501, "Updating a location is not supported by this server"));
      break;
    case Route::kRefresh: PostRefresh(req, std::move(done)); break;
    case Route::kValidateEntity: done(PostValidateEntity(req)); break;
    case Route::kAnalyzeLocation: done(PostAnalyzeLocation(req)); break;
    default: done(BareNotFound()); break;
  }
}

}  // namespace idp::http
