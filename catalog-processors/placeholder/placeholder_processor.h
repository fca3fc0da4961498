// PlaceholderProcessor: $text / $json / $yaml (spec/catalog.md §8.5), with
// relative file paths resolved against the containing file and confined to
// the allowed roots (deliberate fix of Backstage issue 14372).
#pragma once

#include <memory>

#include "catalog/processor.h"

namespace idp::catalog {

std::unique_ptr<Processor> MakePlaceholderProcessor();

}  // namespace idp::catalog
