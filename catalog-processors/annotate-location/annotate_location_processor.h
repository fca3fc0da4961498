// AnnotateLocationEntityProcessor for file locations: the managed-by
// annotations are stamped by the collector; this gives them Backstage's key
// order (lodash.merge of {metadata: {annotations: {...}}} with the entity).
#pragma once

#include <memory>

#include "catalog/processor.h"

namespace idp::catalog {

std::unique_ptr<Processor> MakeAnnotateLocationProcessor();

}  // namespace idp::catalog
