// What a location reader does with the text it read: every YAML document an
// entity, every problem an error on the file or URL (spec/catalog.md §1, §2).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "catalog/processor.h"
#include "yaml/yaml_stream.h"

namespace idp::catalog {

// Emits the documents of `text`, read from `source`, then its refresh key.
// true (and an error on `location`) when `key` is a file or URL an ancestor
// Location is reading already: reading it again would be a cycle.
bool ReportCycle(const LocationSpec& location, const std::string& key, std::span<const std::string> ancestry,
                 Emitter& emit);

void EmitDocuments(const LocationSpec& source, std::string_view text, const yaml::Limits& limits, Emitter& emit);

}  // namespace idp::catalog
