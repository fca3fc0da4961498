// The hand-over between processing (read -> parse -> process) and storage
// (store -> stitch): what one processing run of one entity produced
// (spec/catalog.md §1, §8, §9).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/json.h"
#include "model/relation.h"

namespace idp::catalog {

// A processing error as Backstage serialises it into status.items[].error.
struct ProcessingError {
  std::string name;     // "InputError", "NotFoundError", ...
  std::string message;
  std::optional<std::string> cause_name;
  std::optional<std::string> cause_message;
};

// The outcome of processing one unprocessed entity (one refresh-state row).
struct ProcessedEntity {
  std::string ref;            // canonical lower-case kind:namespace/name
  std::string location_key;   // "<type>:<target>" of the file that produced it; the conflict key (§8.6)
  std::string parent_ref;     // the entity whose processing emitted it; "" for a registered root location
  bool ok = false;            // false: processing failed; `errors` says why, `entity` is not usable
  Json entity;                // ok: the processed entity (annotations, defaults, sorted arrays);
                              //     no uid, etag, relations or status yet
  std::vector<model::Relation> relations;   // emitted while processing this entity (both directions)
  std::vector<std::string> children;        // refs of the entities this one emitted (Locations)
  std::vector<ProcessingError> errors;
  std::string result_hash;    // hash of entity, relations, children, errors: equal hash -> nothing to do
};

// What reading one file produced, kept in the store so that a later refresh
// can skip parsing and processing a file whose content did not change: its
// entities are in the store already, only its nested Locations are processed
// again (their targets may have changed).
struct SourceRecord {
  std::string key;     // "file:/abs/path"
  std::string hash;    // sha1 of the content read
  std::string origin;  // origin location the entities were stamped with
  // The file's size and modification time (ns) when read; a later refresh
  // that finds both equal skips reading it. 0/0: not trusted (the file was
  // modified within the last seconds before reading: its clock tick may
  // still change unseen), hash it again.
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::vector<std::string> refs;       // refs of the entities it emitted, in order
  std::vector<std::string> locations;  // the emitted Location entities (unprocessed JSON), in order
};

// Records of the previous refresh, by key.
using SourceIndex = std::unordered_map<std::string, SourceRecord>;

}  // namespace idp::catalog
