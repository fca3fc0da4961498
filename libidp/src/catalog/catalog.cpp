#include "catalog/catalog.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>
#include <utility>

#include "annotate_location_processor.h"
#include "builtin_kinds_processor.h"
#include "catalog/allowed_roots.h"
#include "catalog/ingestion.h"
#include "catalog/orchestrator.h"
#include "location_processor.h"
#include "placeholder_processor.h"
#include "url_reader_processor.h"
#include "validate/location_label.h"

namespace idp::catalog {
namespace {

// Hands ingestion batches to the store and remembers what must be stitched.
class StoreSink final : public EntitySink {
 public:
  StoreSink(store::Store& store, const std::function<void(std::string_view)>& on_step)
      : store_(store), on_step_(on_step) {}

  Status Consume(std::span<ProcessedEntity> batch) override {
    Result<store::WriteSummary> w = store_.ApplyProcessed(batch);
    if (!w.ok()) return w.status();
    if (on_step_) on_step_("batch-written");
    to_stitch.insert(w->to_stitch.begin(), w->to_stitch.end());
    written += batch.size() - w->unchanged - w->conflicts.size();
    for (const store::Conflict& c : w->conflicts) {
      conflicts.push_back(c.ref + " from " + c.location_key + " (kept from " +
                          c.existing_location_key + ")");
    }
    return Status::Ok();
  }

  std::set<std::string> to_stitch;
  std::size_t written = 0;
  std::vector<std::string> conflicts;

 private:
  store::Store& store_;
  const std::function<void(std::string_view)>& on_step_;
};

ProcessorRegistry BuiltinProcessors() {
  ProcessorRegistry r;  // Backstage's order
  r.Add(MakePlaceholderProcessor());
  r.Add(MakeBuiltinKindsProcessor());
  r.Add(MakeFileReaderProcessor());
  r.Add(MakeUrlReaderProcessor());
  r.Add(MakeAnnotateLocationProcessor());
  return r;
}

}  // namespace

struct Catalog::Impl {
  CatalogOptions options;
  store::Store store;
  ProcessorRegistry processors = BuiltinProcessors();
  std::mutex write_mutex;
  IngestionState state;  // file hashes of the previous refresh (reporting only)

  Impl(CatalogOptions o, store::Store s) : options(std::move(o)), store(std::move(s)) {}

  ProcessingConfig Config(std::span<const store::Location> locations) const {
    ProcessingConfig config;
    config.allowed_roots = options.allowed_roots;
    config.yaml_limits = options.limits;
    config.url = options.url;
    config.real_dirs = std::make_shared<RealDirCache>();  // one per refresh
    if (options.allow_location_dirs) {
      for (const store::Location& l : locations) {
        if (l.type == "file") config.allowed_roots.push_back(std::filesystem::path(l.target).parent_path());
      }
    }
    if (options.allow_location_hosts) {
      for (const store::Location& l : locations) {
        if (l.type != "url") continue;
        if (Result<ParsedUrl> u = ParseUrl(l.target); u.ok()) config.url.allowlist.push_back(u->HostPort());
      }
    }
    return config;
  }

  // What the saved source records depend on besides the files themselves;
  // "" when files are never reused (catalog rules: a child's kind and type
  // decide, which the records do not keep).
  std::string SourceFingerprint() const {
    if (!options.rules.rules.empty()) return "";
    std::string f = "v1";
    for (const std::filesystem::path& r : options.allowed_roots) f += "|root:" + r.string();
    f += options.allow_location_dirs ? "|dirs" : "|no-dirs";
    f += options.allow_location_hosts ? "|hosts" : "|no-hosts";
    for (const std::string& u : options.url.allowlist) f += "|url:" + u;
    f += "|" + std::to_string(options.url.max_bytes);
    f += options.orphan_strategy == store::OrphanStrategy::kDelete ? "|orphans-deleted" : "|orphans-kept";
    const yaml::Limits& l = options.limits;
    for (std::size_t n : {l.max_depth, l.max_alias_count, l.max_document_bytes, l.max_file_bytes, l.max_nodes}) {
      f += "|" + std::to_string(n);
    }
    return f;
  }

  // Stitches `refs`, adding the outcome to `report`.
  Status StitchInto(std::span<const std::string> refs, RefreshReport& report) {
    if (refs.empty()) return Status::Ok();
    Result<store::StitchSummary> s = store.Stitch(refs);
    if (!s.ok()) return s.status();
    report.stitched += s->changed;
    report.stitch_failures.insert(report.stitch_failures.end(), s->failures.begin(), s->failures.end());
    return Status::Ok();
  }
};

Catalog::Catalog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Catalog::Catalog(Catalog&&) noexcept = default;
Catalog& Catalog::operator=(Catalog&&) noexcept = default;
Catalog::~Catalog() = default;

Result<Catalog> Catalog::Open(CatalogOptions options) {
  if (options.db_path.empty()) return Status(Code::kInvalidArgument, "catalog database path is empty");
  for (std::filesystem::path& root : options.allowed_roots) {
    if (!root.is_absolute()) return Status(Code::kInvalidArgument, "allowed root is not absolute: " + root.string());
  }
  store::StoreOptions so;
  so.orphan_strategy = options.orphan_strategy;
  Result<store::Store> s = store::Store::Open(options.db_path, so);
  if (!s.ok()) return s.status();
  return Catalog(std::make_unique<Impl>(std::move(options), std::move(s).value()));
}

Result<store::Location> Catalog::AddFileLocation(std::string_view path) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(std::filesystem::path(path), ec);
  if (ec || path.empty()) return Status(Code::kInvalidArgument, "bad location path: " + std::string(path));
  return AddLocation("file", NodePathNormalize(absolute.string()));
}

Result<store::Location> Catalog::AddUrlLocation(std::string_view url) {
  Result<ParsedUrl> parsed = ParseUrl(url);
  if (!parsed.ok()) return parsed.status();
  return AddLocation("url", std::string(url));
}

Result<store::Location> Catalog::AddLocation(std::string_view type, std::string_view target) {
  const LocationSpec spec{std::string(type), std::string(target)};
  std::lock_guard lock(impl_->write_mutex);
  Result<store::Location> added = impl_->store.AddLocation(spec.type, spec.target);
  if (!added.ok()) return added.status();
  // Store the generated Location entity now so that it is visible at once;
  // its children come with the next Refresh.
  const store::Location one[] = {*added};
  const Orchestrator orchestrator(impl_->processors, impl_->Config(one), impl_->options.rules);
  ProcessingOutput out = orchestrator.Process(RegisteredLocation(spec));
  Result<store::WriteSummary> w = impl_->store.ApplyProcessed(std::span(&out.processed, 1));
  if (!w.ok()) return w.status();
  RefreshReport ignored;
  if (Status s = impl_->StitchInto(w->to_stitch, ignored); !s.ok()) return s;
  return added;
}

void Catalog::AddProcessor(std::unique_ptr<Processor> processor) {
  std::lock_guard lock(impl_->write_mutex);
  impl_->processors.Add(std::move(processor));
}

Result<std::vector<std::string>> Catalog::RemoveLocation(std::string_view id) {
  std::lock_guard lock(impl_->write_mutex);
  Result<store::WriteSummary> w = impl_->store.RemoveLocation(id);
  if (!w.ok()) return w.status();
  RefreshReport ignored;
  if (Status s = impl_->StitchInto(w->to_stitch, ignored); !s.ok()) return s;
  return std::move(w->deleted);
}

Result<std::vector<std::string>> Catalog::DeleteByUid(std::string_view uid) {
  std::lock_guard lock(impl_->write_mutex);
  Result<store::WriteSummary> w = impl_->store.DeleteEntityByUid(uid);
  if (!w.ok()) return w.status();
  RefreshReport ignored;
  if (Status s = impl_->StitchInto(w->to_stitch, ignored); !s.ok()) return s;
  return std::move(w->deleted);
}

Result<std::optional<store::Location>> Catalog::GetLocation(std::string_view id) const {
  return impl_->store.GetLocation(id);
}

namespace {

// Milliseconds since `start`, and restarts it.
double Lap(std::chrono::steady_clock::time_point& start) {
  const auto now = std::chrono::steady_clock::now();
  const double ms = std::chrono::duration<double, std::milli>(now - start).count();
  start = now;
  return ms;
}

}  // namespace

Result<RefreshReport> Catalog::Refresh() {
  std::lock_guard lock(impl_->write_mutex);
  auto clock = std::chrono::steady_clock::now();
  RefreshReport::Phases ms;
  Result<std::vector<store::Location>> locations = impl_->store.ListLocations();
  if (!locations.ok()) return locations.status();
  std::vector<LocationSpec> roots;
  for (const store::Location& l : *locations) roots.push_back({l.type, l.target});

  // Refs a crash left written but unstitched.
  Result<std::vector<std::string>> pending = impl_->store.PendingStitches();
  if (!pending.ok()) return pending.status();
  const std::string fingerprint = impl_->SourceFingerprint();
  ProcessingConfig config = impl_->Config(*locations);
  bool incremental = false;
  if (!fingerprint.empty()) {
    Result<SourceIndex> previous = impl_->store.LoadSources(fingerprint);
    if (!previous.ok()) return previous.status();
    incremental = !previous->empty();
    config.previous_sources = std::make_shared<const SourceIndex>(std::move(previous).value());
  }
  ms.load = Lap(clock);
  const Orchestrator orchestrator(impl_->processors, std::move(config), impl_->options.rules);
  IngestionOptions io;
  io.threads = impl_->options.threads;
  io.batch_size = std::max<std::size_t>(1, impl_->options.write_batch);
  StoreSink sink(impl_->store, impl_->options.on_step);
  const auto step = [&](std::string_view name) {
    if (impl_->options.on_step) impl_->options.on_step(name);
  };
  Result<IngestionReport> ingested = Ingest(roots, orchestrator, io, impl_->state, sink);
  if (!ingested.ok()) return ingested.status();

  ms.process = Lap(clock);
  RefreshReport report;
  report.processed = ingested->processed;
  report.failed = ingested->failed;
  report.reused = ingested->reused;
  report.written = sink.written;
  report.changed_files = std::move(ingested->changed_files);
  report.conflicts = std::move(ingested->conflicts);
  report.conflicts.insert(report.conflicts.end(), sink.conflicts.begin(), sink.conflicts.end());

  sink.to_stitch.insert(pending->begin(), pending->end());
  // Orphans before the stitch: one stitch pass covers both, and a crash in
  // between leaves every affected ref in the store's stitch queue.
  if (impl_->options.orphan_strategy == store::OrphanStrategy::kDelete) {
    // After a complete refresh under the same configuration only refs that
    // lost a reference (all in to_stitch) can have become orphans.
    const std::vector<std::string> candidates(sink.to_stitch.begin(), sink.to_stitch.end());
    Result<store::WriteSummary> d = incremental ? impl_->store.DeleteOrphansAmong(candidates)
                                                : impl_->store.DeleteOrphans();
    if (!d.ok()) return d.status();
    report.deleted = std::move(d->deleted);
    sink.to_stitch.insert(d->to_stitch.begin(), d->to_stitch.end());
    step("orphans-deleted");
  }
  ms.orphans = Lap(clock);
  const std::vector<std::string> refs(sink.to_stitch.begin(), sink.to_stitch.end());
  if (Status s = impl_->StitchInto(refs, report); !s.ok()) return s;
  ms.stitch = Lap(clock);
  step("stitched");
  // Last: a crash before this point reads every file again next time.
  std::vector<const SourceRecord*> sources;
  if (!fingerprint.empty()) {
    sources = std::move(ingested->kept_sources);
    for (const SourceRecord& r : ingested->sources) sources.push_back(&r);
  }
  if (Status s = impl_->store.SaveSources(sources, fingerprint); !s.ok()) return s;
  ms.save = Lap(clock);
  step("sources-saved");
  report.ms = ms;
  return report;
}

Result<std::optional<Json>> Catalog::GetByRef(std::string_view ref) const { return impl_->store.GetByRef(ref); }
Result<std::optional<Json>> Catalog::GetByUid(std::string_view uid) const { return impl_->store.GetByUid(uid); }
Result<store::QueryResult> Catalog::Query(const store::QueryRequest& request) const {
  return impl_->store.Query(request);
}
Result<store::FacetsResult> Catalog::Facets(const store::FacetsRequest& request) const {
  return impl_->store.Facets(request);
}
Result<store::Ancestry> Catalog::GetAncestry(std::string_view ref) const { return impl_->store.GetAncestry(ref); }
Result<std::vector<store::Location>> Catalog::ListLocations() const { return impl_->store.ListLocations(); }
Result<std::vector<std::string>> Catalog::ListRefs() const { return impl_->store.ListRefs(); }
const store::Store& Catalog::store() const { return impl_->store; }

}  // namespace idp::catalog
