// One YAML document through Backstage's steps, in Backstage's order (spec
// §1): YAML, root type, envelope (file-fatal), then on a processed copy:
// location annotations, placeholders, pre-processing, policies, kind,
// Location checks, relations. Every problem of every step is kept; the
// verdict's stage is the first failing step.
#pragma once

#include <string_view>

#include "validate/location_label.h"
#include "validate/placeholders.h"
#include "validate/verdict.h"
#include "yaml/yaml_stream.h"

namespace idp::catalog {

// What every document of one file shares. Read-only while documents run.
struct FileContext {
  std::string_view text;  // the file's text, quoted in YAML error messages
  LocationLabel location;
  PlaceholderContext placeholders;
  bool keep_entity = true;  // ValidateOptions::keep_entity
};

// A valid document's entity is a processed copy of `doc.json`.
DocumentVerdict ValidateDocument(const yaml::Document& doc, const FileContext& file);

// A document the parser never delivered because parsing of the file stopped
// at or before it (undefined alias, alias limit, resource limit): Backstage's
// "could not be read" for the whole file. `raw` (may be null) gives the
// oracle's kind/name/ref columns; `mark` positions the diagnostic.
DocumentVerdict UnreadableDocument(const JsonValue* raw, std::size_t index, Mark start,
                                   const FileContext& file, std::string_view reason, Mark mark);

}  // namespace idp::catalog
