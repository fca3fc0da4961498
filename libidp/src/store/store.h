// The catalog's persistent state (spec/catalog.md §7.2, §8.6, §8.8, §8.9, §9,
// §10.2-§10.10) in one SQLite database.
//
// Threading contract:
//  - Writes (ApplyProcessed, Stitch, DeleteEntity, DeleteOrphans, locations)
//    are serialised on one write connection by an internal mutex; each call is
//    one transaction. Call them from any thread.
//  - Reads (Get*, Query, Facets, Ancestry, ListLocations) are const and
//    thread-safe: each borrows a read connection from a small pool, so with a
//    file database (WAL) they run concurrently with each other and with a
//    write batch and see the last committed state. A ":memory:" database has
//    no second connection: reads then share the write connection and wait
//    for a running write.
//  - A Store is movable, not copyable; it must outlive no thread using it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/processed_entity.h"
#include "core/json.h"
#include "core/status.h"
#include "model/relation.h"
#include "store/query.h"

namespace idp::store {

enum class OrphanStrategy { kKeep, kDelete };

struct StoreOptions {
  OrphanStrategy orphan_strategy = OrphanStrategy::kDelete;
  int busy_timeout_ms = 5000;
  int read_connections = 4;  // pool size cap for file databases
};

// A §8.6 conflict: `ref` came from `location_key` but is owned by `existing_location_key`.
struct Conflict {
  std::string ref;
  std::string location_key;
  std::string existing_location_key;
};

struct WriteSummary {
  std::vector<std::string> to_stitch;    // sorted, unique
  std::vector<std::string> to_reprocess; // parents to schedule (after a delete)
  std::vector<std::string> deleted;      // refs whose state was removed
  std::vector<Conflict> conflicts;
  std::size_t unchanged = 0;             // records skipped because result_hash was equal
};

struct StitchFailure {
  std::string ref;
  std::string message;
};

struct StitchSummary {
  std::size_t changed = 0;
  std::size_t unchanged = 0;
  std::size_t removed = 0;   // final rows dropped (entity gone)
  std::vector<StitchFailure> failures;
};

struct Location {
  std::string id;      // uuid v4
  std::string type;
  std::string target;
  std::string entity_ref;  // location:default/generated-<sha1("type:target")>
};

struct AncestryItem {
  Json entity;
  std::vector<std::string> parent_refs;
};
struct Ancestry {
  std::string root_ref;
  std::vector<AncestryItem> items;
};

// `location:default/generated-<sha1hex("<type>:<target>")>` (§8.1).
std::string GeneratedLocationRef(std::string_view type, std::string_view target);

class Store {
 public:
  // path: a file (created if missing) or ":memory:".
  static Result<Store> Open(const std::string& path, StoreOptions options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  int SchemaVersion() const;
  static int LatestSchemaVersion();

  // ---- writes (one transaction each) ----
  Result<WriteSummary> ApplyProcessed(std::span<const catalog::ProcessedEntity> batch);
  // Removes the entity's state now (§8.9 DELETE by uid); unknown ref is not an error.
  Result<WriteSummary> DeleteEntity(std::string_view ref);
  Result<WriteSummary> DeleteEntityByUid(std::string_view uid);
  // Deletes every entity with no incoming reference, repeatedly (children of
  // deleted orphans become orphans too). Only meaningful for kDelete, but runs
  // regardless of the strategy when called.
  Result<WriteSummary> DeleteOrphans();
  // DeleteOrphans limited to `candidates` and, transitively, the children of
  // what it deletes: enough when the candidates are every ref that lost an
  // incoming reference since the last full DeleteOrphans (a write's
  // to_stitch holds those).
  Result<WriteSummary> DeleteOrphansAmong(std::span<const std::string> candidates);
  // Builds and writes the final entities + search rows of `refs` (§9).
  Result<StitchSummary> Stitch(std::span<const std::string> refs);

  Result<Location> AddLocation(std::string_view type, std::string_view target);
  // Removes the location, its generated Location entity and every descendant
  // not reachable from another root (eager pruning).
  Result<WriteSummary> RemoveLocation(std::string_view id);

  // ---- incremental refresh ----
  // The source records the last complete refresh saved under `fingerprint`
  // (none when it ran with another configuration). A record is saved only
  // when every entity of its file is stored as coming from that file, and
  // dropped when one of them is deleted or another file claims it: such a
  // file must be read again.
  Result<catalog::SourceIndex> LoadSources(std::string_view fingerprint) const;
  // Replaces the saved records by `records` (one transaction); call it once
  // the refresh that produced them is stitched.
  Status SaveSources(std::span<const catalog::SourceRecord* const> records, std::string_view fingerprint);
  // Refs written but not stitched yet: left by a crash between a write and
  // its stitch. Every write queues what it affects in its own transaction;
  // Stitch takes the refs it stitched off the queue in its transaction.
  Result<std::vector<std::string>> PendingStitches() const;

  // ---- reads (thread-safe) ----
  Result<std::vector<Location>> ListLocations() const;
  Result<std::optional<Location>> GetLocation(std::string_view id) const;
  // Case-insensitive ref (any case of kind:namespace/name).
  Result<std::optional<Json>> GetByRef(std::string_view ref) const;
  Result<std::optional<Json>> GetByUid(std::string_view uid) const;
  Result<QueryResult> Query(const QueryRequest& request) const;
  // SQLite's plan for the page query of `request` (EXPLAIN QUERY PLAN's
  // detail lines): for diagnosing slow filters, and tests that pin index use.
  Result<std::vector<std::string>> ExplainQuery(const QueryRequest& request) const;
  Result<FacetsResult> Facets(const FacetsRequest& request) const;
  Result<Ancestry> GetAncestry(std::string_view ref) const;
  // Refs of all final entities (testing, refresh scheduling).
  Result<std::vector<std::string>> ListRefs() const;
  // Every relation of every final entity (the source is a final entity; the
  // target may not be), de-duplicated, sorted by source, type, target: the
  // graph in one read.
  Result<std::vector<model::Relation>> ListRelations() const;
  // The relations of final entities with `ref` as their source (outgoing)
  // and/or their target (incoming), distinct: one step of a traversal.
  Result<std::vector<model::Relation>> RelationsAt(std::string_view ref, bool outgoing, bool incoming) const;
  // Which of `refs` are final entities.
  Result<std::vector<std::string>> ExistingRefs(std::span<const std::string> refs) const;

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace idp::store
