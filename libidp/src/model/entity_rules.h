// Backstage's entity rules as pure functions over entity JSON, in the order
// the catalog applies them (spec/catalog.md §3, §4, §7). Each returns every
// problem it finds, not only the first; an empty list means "passes".
#pragma once

#include <string_view>
#include <vector>

#include "core/json.h"
#include "model/json_path.h"
#include "model/relation.h"

namespace idp::model {

// §3.1 envelope: apiVersion, kind, metadata.name, metadata.namespace and the
// metadata.annotations object rule. Failing it is file-fatal. Messages are
// the thrown error's text without its class ("/metadata must have required
// property 'name' - missingProperty: name"; Backstage prints "TypeError: ").
std::vector<Problem> CheckEnvelope(const JsonValue& entity);

// §3.2-3.4 the default policies, in order: entity schema, default namespace
// (not a problem: applied by PrepareEntity), root-field whitelist, field formats.
// Messages are the policy's own error text ("Malformed envelope, ...",
// "Unknown field ...", "\"metadata.name\" is not valid; ..."); Backstage wraps
// the first as "Policy check failed for <ref>; caused by Error: <message>".
// A value of the wrong type is reported once (by the schema), not again by
// the format checks.
std::vector<Problem> CheckPolicies(const JsonValue& entity);

// §4 kinds. kNotRecognised: no validator claims kind+apiVersion.
enum class KindStatus { kValid, kInvalid, kNotRecognised };
struct KindCheck {
  KindStatus status = KindStatus::kNotRecognised;
  std::vector<Problem> problems;  // kInvalid: the spec schema errors; kNotRecognised: one problem
  // kValid / kInvalid: the Backstage processor whose validator claimed the
  // entity ("BuiltinKindsEntityProcessor" or "ScaffolderEntitiesProcessor").
  // Backstage wraps a kInvalid message as "Processor <processor> threw an
  // error while validating the entity <ref>; caused by TypeError: <message>".
  std::string_view processor;
};
KindCheck CheckKind(const JsonValue& entity);

// Pre-processing effects Backstage applies before storing: default
// namespace, sorted spec string arrays (§7.3). Mutates `entity`.
void PrepareEntity(JsonValue& entity, JsonAllocator& allocator);

// §7.1 relations in both directions, de-duplicated and sorted by (source,
// type, target) in JavaScript (UTF-16) string order; problems for refs that
// cannot be parsed, with Backstage's full message ("Processor
// BuiltinKindsEntityProcessor threw an error while postprocessing; caused by
// Error: ..."). When there are problems, `relations` is empty: Backstage
// rejects the whole entity.
struct RelationsResult {
  std::vector<Relation> relations;
  std::vector<Problem> problems;
};
RelationsResult EmitRelations(const JsonValue& entity);

}  // namespace idp::model
