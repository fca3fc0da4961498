// One file's verdict as the list of problems the human-facing formats (text,
// SARIF, JUnit, GitHub) print, so all of them say the same thing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/source_map.h"
#include "reporter.h"

namespace idp::cli {

struct Problem {
  static constexpr std::size_t kWholeFile = static_cast<std::size_t>(-1);

  std::string rule;      // stage name, "duplicate-entity" or "file-not-ingestible"
  Mark mark;             // unknown for file-level problems
  std::string message;   // e.g. "spec.owner: must be string"
  std::string subject;   // "[...]" suffix of text output: the ref or "document N"; may be empty
  std::size_t document = kWholeFile;  // position in FileVerdict::documents
  std::optional<Place> related;       // the other definition of a duplicate
};

// In document order: each document's errors then its duplicate error; the
// file-level note last.
std::vector<Problem> ListProblems(const FileReport& file);

// "the ref" or "document N" (1-based) for a document.
std::string DocumentName(const catalog::DocumentVerdict& doc);

// "file:line:col", "file:line" or "file".
std::string FormatPlace(const std::string& file, Mark mark);

struct RuleInfo {
  const char* id;
  const char* description;
};
// Every rule a Problem can carry, in a fixed order (SARIF's rule indexes).
const std::vector<RuleInfo>& AllRules();

}  // namespace idp::cli
