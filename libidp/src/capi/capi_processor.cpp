// The emitter of processors written in C (idp.h), over the adapter in
// libidp/src/catalog/c_processor_adapter.cpp.
#include "catalog/c_processor_adapter.h"
#include "idp/idp.h"

IDP_API void idp_emit_entity(idp_emitter* emit, const char* location_type, const char* location_target,
                             const char* entity_json) {
  idp::catalog::EmitEntity(emit, location_type, location_target, entity_json);
}
IDP_API void idp_emit_location(idp_emitter* emit, const char* type, const char* target) {
  idp::catalog::EmitLocation(emit, type, target);
}
IDP_API void idp_emit_relation(idp_emitter* emit, const char* source_ref, const char* type, const char* target_ref) {
  idp::catalog::EmitRelation(emit, source_ref, type, target_ref);
}
IDP_API void idp_emit_error(idp_emitter* emit, const char* name, const char* message) {
  idp::catalog::EmitError(emit, name, message);
}
IDP_API void idp_emit_replace_entity(idp_emitter* emit, const char* entity_json) {
  idp::catalog::EmitReplaceEntity(emit, entity_json);
}
IDP_API void idp_emit_throw(idp_emitter* emit, const char* name, const char* message) {
  idp::catalog::EmitThrow(emit, name, message);
}
