// Compile check: <idp/idp.h> alone, as C++ with every warning an error.
#include <idp/idp.h>

int idp_header_check_cxx();

int idp_header_check_cxx() {
  idp_validate_options opts = IDP_VALIDATE_OPTIONS_INIT;
  idp_entity_ref* ref = nullptr;
  int (*parse)(idp_entity_ref**, const char*, const char*, const char*) = &idp_entity_ref_parse;
  static_cast<void>(parse);
  static_cast<void>(ref);
  return static_cast<int>(opts.version) + IDP_VERSION_NUMBER + IDP_ABI_VERSION + IDP_OK;
}
