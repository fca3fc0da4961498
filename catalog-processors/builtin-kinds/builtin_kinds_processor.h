// BuiltinKindsEntityProcessor: sorted spec arrays (pre-process), the kind
// schemas (validateEntityKind) and the spec-ref relations (post-process).
#pragma once

#include <memory>

#include "catalog/processor.h"

namespace idp::catalog {

std::unique_ptr<Processor> MakeBuiltinKindsProcessor();

}  // namespace idp::catalog
