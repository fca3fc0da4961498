// Validation of catalog files: YAML -> documents -> Backstage's processing
// steps (envelope, placeholders, policies, kinds, relations), every error kept.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "validate/verdict.h"
#include "yaml/yaml_stream.h"

namespace idp::catalog {

struct ValidateOptions {
  yaml::Limits yaml_limits;
  // Location type/target stamped as backstage.io/managed-by-location; the
  // target defaults to the file label.
  std::string location_type = "file";
  // Placeholders ($text/$json/$yaml) with relative paths resolve against the
  // file's directory and must stay below this root; empty = no file access
  // (placeholders then fail as they do in Backstage for file locations).
  std::filesystem::path placeholder_root;
  // Keep each valid document's processed entity in DocumentVerdict::entity.
  // Callers that never look at it (no `entity` in their output) should turn
  // it off: each kept entity holds its own 64 KiB RapidJSON memory pool,
  // which makes large files several times slower to validate.
  bool keep_entity = true;
};

// Validates the text of one file. `file_label` appears in the verdict and in
// messages as given (the oracle prints paths as given on the command line).
// `file_path` locates relative placeholders; may be empty.
FileVerdict ValidateText(std::string_view file_label, std::string_view text,
                         const ValidateOptions& options = {},
                         const std::filesystem::path& file_path = {});

// Reads and validates a file; an unreadable or oversized file yields one
// `io` document verdict with file_ok = false.
FileVerdict ValidateFile(const std::string& file_label, const std::filesystem::path& path,
                         const ValidateOptions& options = {});

// The oracle's JSON line for one document (file, index, line, kind, name, ref,
// valid, fileOk, fileFatal, stage, error, errors[], relations[]).
std::string DocumentVerdictJson(const FileVerdict& file, const DocumentVerdict& doc,
                                bool include_entity = false);

}  // namespace idp::catalog
