// A processor written in C (or any language with a C FFI): callbacks that
// receive entity JSON text and an emitter handle. The adapter turns them into
// a catalog::Processor. Meant to back the public C ABI (idp.h) later; the
// names are already C-style for that.
#pragma once

#include <memory>

#include "catalog/processor.h"

extern "C" {

// Valid only during the callback it was passed to.
typedef struct idp_emitter idp_emitter;

void idp_emit_entity(idp_emitter* emit, const char* location_type, const char* location_target,
                     const char* entity_json);
void idp_emit_location(idp_emitter* emit, const char* type, const char* target);
void idp_emit_relation(idp_emitter* emit, const char* source, const char* type,
                       const char* target);
void idp_emit_error(idp_emitter* emit, const char* name, const char* message);
// pre_process / post_process: replace the entity being processed.
void idp_emit_replace_entity(idp_emitter* emit, const char* entity_json);
// Any hook: "throw" (then return IDP_HOOK_THROWN).
void idp_emit_throw(idp_emitter* emit, const char* name, const char* message);

enum { IDP_HOOK_NO = 0, IDP_HOOK_YES = 1, IDP_HOOK_THROWN = -1 };

// Every callback may be null (hook absent). `user` is passed back as is.
typedef struct idp_processor_callbacks {
  const char* name;
  void* user;
  int (*pre_process)(void* user, const char* entity_json, const char* location_ref,
                     idp_emitter* emit);
  int (*validate_kind)(void* user, const char* entity_json, idp_emitter* emit);
  int (*read_location)(void* user, const char* type, const char* target, int optional,
                       idp_emitter* emit);
  int (*post_process)(void* user, const char* entity_json, const char* location_ref,
                      idp_emitter* emit);
} idp_processor_callbacks;

}  // extern "C"

namespace idp::catalog {

std::unique_ptr<Processor> MakeCProcessor(const idp_processor_callbacks& callbacks);

}  // namespace idp::catalog
