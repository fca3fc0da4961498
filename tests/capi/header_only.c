/* Compile check: <idp/idp.h> alone, as C11 with every warning an error. */
#include <idp/idp.h>

int idp_header_check_c(void);

int idp_header_check_c(void) {
  idp_validate_options opts = IDP_VALIDATE_OPTIONS_INIT;
  idp_entity_ref *ref = NULL;
  int (*parse)(idp_entity_ref **, const char *, const char *, const char *) = idp_entity_ref_parse;
  (void)parse;
  (void)ref;
  return (int)opts.version + IDP_VERSION_NUMBER + IDP_ABI_VERSION + IDP_OK;
}
