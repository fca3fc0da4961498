// AnnotateLocationEntityProcessor: the managed-by annotations are stamped by
// the collector; this gives them Backstage's key order (lodash.merge of
// {metadata: {annotations: {...}}} with the entity) and, for `url` locations,
// adds view-url, and for github.com URLs edit-url and source-location, unless
// the entity sets them (spec/catalog.md §6, §8.4).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "catalog/processor.h"

namespace idp::catalog {

std::unique_ptr<Processor> MakeAnnotateLocationProcessor();

struct UrlAnnotations {
  std::string view_url;
  std::optional<std::string> edit_url;
  std::optional<std::string> source_location;
};
// What Backstage's SCM integrations give the file at `url` (github.com known;
// other hosts get view-url only).
UrlAnnotations UrlAnnotationsFor(std::string_view url);

}  // namespace idp::catalog
