// What the validator says about each YAML document of a catalog file. Field
// meanings follow shared/oracle/README.md so verdicts compare 1:1 with the
// real Backstage code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/source_map.h"
#include "model/relation.h"

namespace idp::catalog {

// Where the first error arose; names as the oracle's `stage`.
enum class Stage {
  kNone,           // valid
  kIgnored,        // empty document, silently dropped
  kYaml,           // YAML error / parse aborted (file-fatal)
  kRootNotObject,  // (file-fatal)
  kEnvelope,       // (file-fatal)
  kPreprocess,     // placeholders
  kPolicy,         // entity schema, root fields, field formats
  kSchema,
  kKind,           // kind/apiVersion not recognised, or kind spec schema
  kLocation,
  kPostprocess,    // relation emission (unparseable refs)
  kIo,             // unreadable file (file-fatal)
};
const char* StageName(Stage s);
bool IsFileFatal(Stage s);

struct Diagnostic {
  std::string path;     // JSON path of the field: "spec.dependsOn[0]", "metadata.annotations['a/b']"; "" = document
  std::string message;  // Backstage's wording where it has one
  Mark mark;            // line:column of the field (or of the document)
  Stage stage = Stage::kNone;
};

using Relation = model::Relation;

struct DocumentVerdict {
  std::size_t index = 0;
  Mark start;
  std::optional<std::string> kind;  // raw kind / metadata.name when strings
  std::optional<std::string> name;
  std::optional<std::string> ref;   // canonical, lower-case
  bool valid = false;
  bool file_fatal = false;
  Stage stage = Stage::kNone;       // stage of the first error
  // The error as Backstage words it (the oracle's `error`): the first
  // failing step's error, wrapped the way the processing engine wraps it.
  std::optional<std::string> error;
  std::vector<Diagnostic> errors;   // every problem, not only the first
  std::vector<Relation> relations;  // valid entities: both directions, deduplicated, sorted
  Json entity;                      // valid entities: processed entity (defaults, annotations, sorted arrays)
};

struct FileVerdict {
  std::string file;                 // as given by the caller
  bool file_ok = true;              // would Backstage ingest this file at all?
  std::vector<DocumentVerdict> documents;
};

}  // namespace idp::catalog
