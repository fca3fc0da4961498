// The catalog facade: registered file and url locations -> processing (orchestrator
// + built-in processors) -> the SQLite store -> stitched entities, with the
// store's queries passed through (spec/catalog.md §1, §8, §9, §10).
//
// Threading contract:
//  - Writers (AddFileLocation, AddUrlLocation, RemoveLocation, Refresh) are serialised by a
//    mutex in the Catalog: one runs at a time, callers on other threads wait.
//  - Readers (Get*, Query, Facets, Ancestry, ListLocations, ListRefs, store())
//    are const and may run on any thread at any time, also while a writer
//    runs: they go to the store's read pool and see its last committed
//    transaction (a ":memory:" database serialises them with the writes).
//  - A Catalog is movable, not copyable; do not move it or destroy it while
//    another thread uses it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_rules.h"
#include "catalog/processor.h"
#include "catalog/url.h"
#include "core/json.h"
#include "core/status.h"
#include "store/query.h"
#include "store/store.h"
#include "yaml/yaml_stream.h"

namespace idp::catalog {

struct CatalogOptions {
  // An SQLite file (created when missing) or ":memory:".
  std::string db_path = "idp-catalog.db";
  // Absolute directories file locations may read from.
  std::vector<std::filesystem::path> allowed_roots;
  // Also allow the directory of every registered file location (what a
  // command line user means by "ingest this file").
  bool allow_location_dirs = false;
  // `url` locations: allowlist (empty: none may be read), timeouts, size.
  UrlOptions url;
  // Also allow the host (and port) of every registered url location.
  bool allow_location_hosts = false;
  // Which kinds a location may bring in; empty: every kind.
  CatalogRules rules;
  store::OrphanStrategy orphan_strategy = store::OrphanStrategy::kDelete;
  unsigned threads = 0;  // processing threads; 0: every core
  yaml::Limits limits;
  // Entities per write transaction during a refresh.
  std::size_t write_batch = 4096;
  // Called on the writer's thread at each durable step of a refresh:
  // "batch-written" (a write transaction committed), "orphans-deleted",
  // "stitched", "sources-saved". For progress reporting and for tests that
  // kill the process at a named point; must not call back into the Catalog.
  std::function<void(std::string_view step)> on_step;
};

struct RefreshReport {
  std::size_t processed = 0;  // entities run through the orchestrator
  std::size_t failed = 0;     // of those, failed processing
  std::size_t reused = 0;     // entities of files unchanged since the last refresh: not processed
  std::size_t written = 0;    // results that differed from the stored ones
  std::size_t stitched = 0;   // final entities whose served JSON changed
  std::vector<std::string> deleted;    // refs removed (orphans, pruned)
  std::vector<std::string> conflicts;  // §8.6, "ref from <key> (kept from <key>)"
  std::vector<std::string> changed_files;  // content differs from the previous refresh of this Catalog
  std::vector<store::StitchFailure> stitch_failures;
  // Wall time of each phase in milliseconds (figures for benchmarks, not
  // for decisions).
  struct Phases {
    double load = 0;     // locations, stitch queue and source records read
    double process = 0;  // reading, parsing, processing and writing results
    double orphans = 0;
    double stitch = 0;
    double save = 0;     // source records written
  } ms;
};

class Catalog {
 public:
  static Result<Catalog> Open(CatalogOptions options);

  Catalog(Catalog&&) noexcept;
  Catalog& operator=(Catalog&&) noexcept;
  ~Catalog();

  // ---- writers (serialised) ----
  // Registers `path` (made absolute) as a `file` location and stores its
  // generated Location entity (§8.1); Refresh() reads what it points at.
  // Registering the same file twice is kInvalid.
  Result<store::Location> AddFileLocation(std::string_view path);
  // Registers an http(s) URL as a `url` location (read through the URL
  // allowlist at the next Refresh). kInvalidArgument: not an http(s) URL.
  Result<store::Location> AddUrlLocation(std::string_view url);
  // Either of the above by type ("file": `target` absolute and normalised).
  Result<store::Location> AddLocation(std::string_view type, std::string_view target);
  // Adds a processor after the built-in ones for the following refreshes
  // (Backstage's addProcessor).
  void AddProcessor(std::unique_ptr<Processor> processor);
  // Removes a registered location (by id) with its generated entity and every
  // entity only it reached; related entities are re-stitched.
  Result<std::vector<std::string>> RemoveLocation(std::string_view id);
  // Processes every registered location in registration order down to the
  // last nested file, writes the results that changed, stitches what they
  // affect, then handles orphans per the orphan strategy.
  Result<RefreshReport> Refresh();
  // Removes one entity now (§8.9 DELETE by uid) and re-stitches what
  // referred to it; an unknown uid is not an error. Returns the deleted refs.
  Result<std::vector<std::string>> DeleteByUid(std::string_view uid);

  // ---- readers (thread-safe) ----
  Result<std::optional<Json>> GetByRef(std::string_view ref) const;
  Result<std::optional<Json>> GetByUid(std::string_view uid) const;
  Result<store::QueryResult> Query(const store::QueryRequest& request) const;
  Result<store::FacetsResult> Facets(const store::FacetsRequest& request) const;
  Result<store::Ancestry> GetAncestry(std::string_view ref) const;
  Result<std::vector<store::Location>> ListLocations() const;
  Result<std::optional<store::Location>> GetLocation(std::string_view id) const;
  Result<std::vector<std::string>> ListRefs() const;
  const store::Store& store() const;

  struct Impl;

 private:
  explicit Catalog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace idp::catalog
