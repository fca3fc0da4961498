// A processor written in C (or any language with a C FFI): callbacks that
// receive entity JSON text and an emitter handle. The adapter turns them into
// a catalog::Processor: idp_catalog_add_processor in the public C ABI.
#pragma once

#include <memory>

#include "catalog/processor.h"

#include "idp/idp.h"  // idp_processor_callbacks, idp_emitter

namespace idp::catalog {

std::unique_ptr<Processor> MakeCProcessor(const idp_processor_callbacks& callbacks);

// What the C ABI's idp_emit_* do (libidp/src/capi/capi_processor.cpp exports
// them: symbols of the internal static libraries are not exported).
void EmitEntity(idp_emitter* e, const char* type, const char* target, const char* json);
void EmitLocation(idp_emitter* e, const char* type, const char* target);
void EmitRelation(idp_emitter* e, const char* source, const char* type, const char* target);
void EmitError(idp_emitter* e, const char* name, const char* message);
void EmitReplaceEntity(idp_emitter* e, const char* json);
void EmitThrow(idp_emitter* e, const char* name, const char* message);

}  // namespace idp::catalog
