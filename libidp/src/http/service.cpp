#include "http/service.h"

#include <cstdio>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "catalog/allowed_roots.h"
#include "http/access_log.h"
#include "http/json_io.h"
#include "http/scaffolder_routes.h"
#include "validate/location_label.h"

namespace idp::http {

Service::Service(ServerConfig config, catalog::Catalog catalog)
    : config_(std::move(config)), catalog_(std::move(catalog)), cache_(config_.limits.max_cached_bytes) {}

Service::~Service() { Shutdown(); }

Result<std::unique_ptr<Service>> Service::Open(ServerConfig config) {
  std::error_code ec;
  // API-registered file locations must lie under these; by default the
  // folders of the locations given at start.
  std::vector<std::filesystem::path> roots;
  for (const std::filesystem::path& r : config.allowed_roots) {
    roots.push_back(std::filesystem::absolute(r, ec).lexically_normal());
  }
  if (config.allowed_roots.empty()) {
    for (const std::string& l : config.locations) {
      roots.push_back(std::filesystem::absolute(l, ec).lexically_normal().parent_path());
    }
  }
  catalog::CatalogOptions options;
  options.db_path = config.db_path;
  options.allowed_roots = roots;
  // The folders of the start locations are readable whatever the roots.
  for (const std::string& l : config.locations) {
    options.allowed_roots.push_back(std::filesystem::absolute(l, ec).lexically_normal().parent_path());
  }
  options.rules = config.rules;
  options.url.allowlist = UrlAllowlist(config);
  std::vector<std::filesystem::path> read_roots = options.allowed_roots;
  catalog::UrlOptions url_options = options.url;
  options.orphan_strategy = config.orphan_strategy;
  Result<catalog::Catalog> cat = catalog::Catalog::Open(std::move(options));
  if (!cat.ok()) return cat.status();

  std::unique_ptr<Service> s(new Service(std::move(config), std::move(cat).value()));
  s->allowed_roots_ = std::move(roots);
  s->read_roots_ = std::move(read_roots);
  s->url_options_ = std::move(url_options);
  // Start locations: registered once; a database from a previous run has them.
  Result<std::vector<store::Location>> existing = s->catalog_.ListLocations();
  if (!existing.ok()) return existing.status();
  for (const std::string& l : s->config_.locations) {
    const std::string target = catalog::NodePathNormalize(std::filesystem::absolute(l, ec).string());
    std::string id;
    for (const store::Location& e : *existing) {
      if (e.type == "file" && e.target == target) id = e.id;
    }
    if (id.empty()) {
      Result<store::Location> added = s->catalog_.AddFileLocation(target);
      if (!added.ok()) return Status(added.status().code(), l + ": " + added.status().message());
      id = added->id;
    }
    s->config_location_ids_.insert(id);
  }
  if (Status st = s->RefreshAll(); !st.ok()) return st;
  Service* self = s.get();
  s->writer_ = std::make_unique<WriteQueue>(s->config_.refresh_interval, [self] {
    if (Status st = self->RefreshAll(); !st.ok()) {
      WriteLogLine("error", "background refresh failed: " + st.message());
    }
  });
  s->queries_ = std::make_unique<QueryPool>(s->config_.query_threads);
  // catalog:register follows POST /locations' rules (readonly, roots, allowlist).
  auto check_location = [self](std::string_view kind, std::string_view target) {
    if (self->config_.readonly) return Status(Code::kNotAllowed, "This operation not allowed in readonly mode");
    return self->CheckNewLocation(kind, target);
  };
  auto scaffolder = ScaffolderApi::Open(s->config_.scaffolder, s->config_.db_path, s->catalog_, check_location,
                                       [self] { self->cache_.Invalidate(); });
  if (!scaffolder.ok()) return scaffolder.status();
  s->scaffolder_ = std::move(scaffolder).value();
  s->ready_ = true;
  return s;
}

void Service::Shutdown() {
  ready_ = false;
  if (queries_) queries_->Stop();
  if (scaffolder_) scaffolder_->Stop();
  if (writer_) writer_->Stop();
}

Status Service::RefreshAll() {
  Result<catalog::RefreshReport> r = catalog_.Refresh();
  refreshes_.fetch_add(1, std::memory_order_relaxed);
  if (!r.ok()) {
    refresh_failures_.fetch_add(1, std::memory_order_relaxed);
    cache_.Invalidate();
    return r.status();
  }
  processing_errors_.store(r->failed, std::memory_order_relaxed);
  if (r->written != 0 || r->stitched != 0 || !r->deleted.empty()) cache_.Invalidate();
#if defined(__GLIBC__)
  // A refresh of a large catalog frees hundreds of MB it used on the way; a
  // long-running server hands them back instead of keeping them mapped.
  malloc_trim(0);
#endif
  return Status::Ok();
}

Result<EntityCache::Body> Service::EntityBody(std::string_view cache_key, bool by_uid, std::string_view id) {
  if (EntityCache::Body hit = cache_.Find(cache_key)) return hit;
  const std::uint64_t generation = cache_.generation();
  Result<std::optional<Json>> e = by_uid ? catalog_.GetByUid(id) : catalog_.GetByRef(id);
  if (!e.ok()) return e.status();
  if (!e->has_value()) return EntityCache::Body();
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  (*e)->Accept(w);
  auto body = std::make_shared<const std::string>(buf.GetString(), buf.GetSize());
  cache_.Insert(cache_key, body, generation);
  return body;
}

std::vector<std::string> UrlAllowlist(const ServerConfig& config) {
  std::vector<std::string> list;
  for (const UrlAllow& a : config.url_allow) {
    if (a.paths.empty()) list.push_back(a.host);
    for (const std::string& p : a.paths) list.push_back(a.host + (p.starts_with('/') ? "" : "/") + p);
  }
  return list;
}

bool Service::PathAllowed(const std::filesystem::path& path) const {
  return catalog::ContainingRoot(path, allowed_roots_).has_value();
}

Status Service::CheckNewLocation(std::string_view kind, std::string_view target) const {
  if (kind == "file") {
    if (!PathAllowed(std::filesystem::path(target))) {
      return Status(Code::kNotAllowed, "file location " + std::string(target) + " is outside the allowed roots");
    }
    return Status::Ok();
  }
  Result<catalog::ParsedUrl> url = catalog::ParseUrl(target);
  if (!url.ok()) return url.status();
  if (!catalog::UrlAllowed(*url, url_options_.allowlist)) {
    return Status(Code::kNotAllowed, "url location " + std::string(target) + " is not admitted by backend.reading.allow");
  }
  return Status::Ok();
}

bool Service::IsConfigLocation(std::string_view id) const { return config_location_ids_.contains(id); }

}  // namespace idp::http
