// Processing of one entity (Backstage's DefaultCatalogProcessingOrchestrator,
// spec/catalog.md §1 step 5): envelope, pre-processing, policies, kind
// validation, Location reading, post-processing, then the catalog rules over
// the children. Stateless and const: safe to call from many threads.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/catalog_rules.h"
#include "catalog/processed_entity.h"
#include "catalog/processor.h"
#include "core/json.h"

namespace idp::catalog {

// An entity waiting to be processed (a refresh-state row).
struct UnprocessedEntity {
  Json entity;               // carries both managed-by annotations
  std::string location_key;  // "<type>:<target>" of the file it came from
  std::string parent_ref;    // "" for a registered root
  // Location keys of the files from the root down to (and including) the
  // one this entity was read from: what a Location may not read again.
  std::vector<std::string> ancestry;
};

// An entity of a file unchanged since the last refresh: stored already, not
// processed again. Views into the Orchestrator config's previous_sources.
struct ReusedEntity {
  std::string_view ref;
  std::string_view location_key;
};

struct ProcessingOutput {
  ProcessedEntity processed;
  std::vector<UnprocessedEntity> children;  // to process next; empty when !processed.ok
  std::vector<std::pair<std::string, std::string>> sources;  // location ref -> sha1 of what was read
  std::vector<std::string> refresh_keys;
  // Files read that may be skipped next time while unchanged (none when
  // processing failed).
  std::vector<SourceRecord> records;
  std::vector<const SourceRecord*> kept_records;  // unchanged: into the config's previous_sources
  std::vector<ReusedEntity> reused;  // children not to process (in `processed.children` too)
};

class Orchestrator {
 public:
  Orchestrator(const ProcessorRegistry& processors, ProcessingConfig config, CatalogRules rules)
      : processors_(processors), config_(std::move(config)), rules_(std::move(rules)) {}

  ProcessingOutput Process(const UnprocessedEntity& input) const;
  const ProcessingConfig& config() const { return config_; }

 private:
  const ProcessorRegistry& processors_;
  ProcessingConfig config_;
  CatalogRules rules_;
};

// The generated Location entity of a registered location (§8.1), ready to
// process: its own location key, no parent.
UnprocessedEntity RegisteredLocation(const LocationSpec& location);

// sha1 over ok, entity, relations, children and errors: equal -> no change.
std::string ResultHash(const ProcessedEntity& processed);

}  // namespace idp::catalog
