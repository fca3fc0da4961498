// YAML text -> one JSON document per YAML document, the way Backstage's
// catalog parser (eemeli `yaml` 2.x, parseAllDocuments, merge keys off, YAML
// 1.2 core schema, unique keys, maxAliasCount 100) sees it. Built on
// libyaml's event parser; scalar typing is ours (yaml/scalar.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/source_map.h"

namespace idp::yaml {

struct Limits {
  std::size_t max_depth = 512;              // nesting of collections
  std::size_t max_alias_count = 100;        // Backstage's yaml maxAliasCount
  std::size_t max_document_bytes = 16u << 20;
  std::size_t max_file_bytes = 64u << 20;   // checked by the callers that read files
  std::size_t max_nodes = 2'000'000;        // per document, after alias expansion
};

enum class DocStatus {
  kOk,         // json holds the document (any JSON type)
  kEmpty,      // null document (empty, `~`, comments only): Backstage skips it
  kError,      // YAML error in this document: file-fatal
};

struct Document {
  std::size_t index = 0;      // 0-based, in file order
  Mark start;                 // first line of the document's content
  DocStatus status = DocStatus::kEmpty;
  std::string error;          // for kError: what is wrong
  Mark error_mark;            // for kError: where
  Json json;                  // for kOk
  SourceMap marks;            // node -> position, for kOk
};

struct Stream {
  std::vector<Document> documents;
  // Parsing stopped for the whole rest of the file (undefined alias, alias
  // count over the limit, a resource limit): Backstage's "could not be read".
  bool aborted = false;
  std::string abort_reason;
  Mark abort_mark;
};

// Notes on the result:
//  * documents holds every document before an abort; the aborting document
//    itself is not included (abort_reason/abort_mark name it);
//  * every node of a kOk document has a mark, the root's keyed by &doc.json:
//    valid while the Document is not moved (child nodes live in the json's
//    allocator and keep their addresses);
//  * .inf/-.inf/.nan are stored as double infinities/NaN (a JS Number);
//    JSON.stringify would write null for them.
// kAuto: FastScanner for texts in its subset, libyaml otherwise; kLibyaml:
// always libyaml (the reference the fast path is tested against).
enum class Scanner { kAuto, kLibyaml };
Stream ParseStream(std::string_view text, const Limits& limits = {},
                   Scanner scanner = Scanner::kAuto);

}  // namespace idp::yaml
