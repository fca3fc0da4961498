/* A consumer of the installed libidp: the run-time version must be the one it
 * was compiled against, and validating a catalog file must work. Exit 0 on
 * success. */
#include <idp/idp.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  static const char text[] =
      "apiVersion: backstage.io/v1alpha1\n"
      "kind: Component\n"
      "metadata:\n"
      "  name: consumer\n"
      "spec:\n"
      "  type: service\n"
      "  lifecycle: production\n"
      "  owner: team-a\n";
  idp_validate_options opts = IDP_VALIDATE_OPTIONS_INIT;
  char *jsonl = NULL;
  int valid = 0;
  int rc;
  if (strcmp(idp_version(), IDP_VERSION_STRING) != 0 || idp_abi_version() != IDP_ABI_VERSION) {
    fprintf(stderr, "consumer: compiled against %s, running %s\n", IDP_VERSION_STRING, idp_version());
    return 1;
  }
  opts.file_label = "consumer.yaml";
  rc = idp_validate_text(&jsonl, &valid, text, strlen(text), &opts);
  if (rc != IDP_OK) {
    fprintf(stderr, "consumer: idp_validate_text failed (%d): %s\n", rc, idp_last_error());
    return 1;
  }
  printf("idp %s: %s\n", idp_version(), jsonl);
  if (!valid || strstr(jsonl, "\"ref\":\"component:default/consumer\"") == NULL) {
    fprintf(stderr, "consumer: unexpected verdict\n");
    idp_free(jsonl);
    return 1;
  }
  idp_free(jsonl);
  return 0;
}
