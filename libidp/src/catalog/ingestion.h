// The ingestion driver: registered root locations -> the whole tree,
// breadth-first (Location -> files -> entities -> nested Locations ...),
// each level's entities processed in parallel, results in a deterministic
// order, handed to a sink (the store implements it) in batches.
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "catalog/orchestrator.h"
#include "catalog/processed_entity.h"
#include "core/status.h"

namespace idp::catalog {

class EntitySink {
 public:
  virtual ~EntitySink() = default;
  // A failing sink stops the ingestion with its status.
  virtual Status Consume(std::span<ProcessedEntity> batch) = 0;
};

// Carried from one run to the next (the store will persist it).
struct IngestionState {
  std::map<std::string, std::string> file_hashes;    // absolute path -> sha1 of its content
  std::map<std::string, std::string> result_hashes;  // entity ref -> ProcessedEntity::result_hash
};

struct IngestionOptions {
  unsigned threads = 0;          // 0: every core
  // Entities per sink call: one store transaction each; large batches write
  // each index page once per batch instead of once per few entities.
  std::size_t batch_size = 4096;
  // Hand the sink only entities whose result_hash differs from the state's.
  bool only_changed = false;
  std::size_t max_levels = 256;  // depth guard on top of cycle detection
};

struct IngestionReport {
  std::size_t processed = 0;
  std::size_t failed = 0;
  std::size_t unchanged = 0;          // same result_hash as in the state
  std::size_t reused = 0;             // from unchanged files: stored already, not processed
  // What each file read produced (reused ones included): the next run's
  // Orchestrator config previous_sources, once this run is stored.
  std::vector<SourceRecord> sources;
  std::vector<const SourceRecord*> kept_sources;  // unchanged ones, into the orchestrator's config
  std::vector<std::string> changed_files;   // content differs from the state (or new)
  std::vector<std::string> removed_files;   // in the state, not read this run
  // "ref from <key> (kept from <key>)": the same ref from another file; the
  // first one processed wins (spec §8.6).
  std::vector<std::string> conflicts;
};

// The canonical ref of an entity that passed the envelope check.
std::string EntityRef(const JsonValue& entity);

// `file` root targets that are relative are made absolute against the
// working directory (Backstage's rule for config locations).
Result<IngestionReport> Ingest(std::span<const LocationSpec> roots, const Orchestrator& orchestrator,
                               const IngestionOptions& options, IngestionState& state,
                               EntitySink& sink);

}  // namespace idp::catalog
