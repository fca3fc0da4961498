// Backstage's entity rules as pure functions over entity JSON, in the order
// the catalog applies them (spec/catalog.md §3, §4, §7). Each returns every
// problem it finds, not only the first; an empty list means "passes".
#pragma once

#include <vector>

#include "core/json.h"
#include "model/json_path.h"
#include "model/relation.h"

namespace idp::model {

// §3.1 envelope: apiVersion, kind, metadata.name, metadata.namespace and the
// metadata.annotations object rule. Failing it is file-fatal.
std::vector<Problem> CheckEnvelope(const JsonValue& entity);

// §3.2-3.4 the default policies, in order: entity schema, default namespace
// (not a problem: applied by PrepareEntity), root-field whitelist, field formats.
std::vector<Problem> CheckPolicies(const JsonValue& entity);

// §4 kinds. kNotRecognised: no validator claims kind+apiVersion.
enum class KindStatus { kValid, kInvalid, kNotRecognised };
struct KindCheck {
  KindStatus status = KindStatus::kNotRecognised;
  std::vector<Problem> problems;  // kInvalid: the spec schema errors; kNotRecognised: one problem
};
KindCheck CheckKind(const JsonValue& entity);

// Pre-processing effects Backstage applies before storing: default
// namespace, sorted spec string arrays (§7.3). Mutates `entity`.
void PrepareEntity(JsonValue& entity, JsonAllocator& allocator);

// §7.1 relations in both directions, de-duplicated and sorted by (source,
// type, target); problems for refs that cannot be parsed.
struct RelationsResult {
  std::vector<Relation> relations;
  std::vector<Problem> problems;
};
RelationsResult EmitRelations(const JsonValue& entity);

}  // namespace idp::model
