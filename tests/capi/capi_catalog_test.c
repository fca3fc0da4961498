/* The catalog ABI from C: open a file database in a temp dir, register a
 * file, refresh, read back, query, reopen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog_check.h"
#include "idp/idp.h"

int main(void) {
  char dir[] = "/tmp/idp-capi-catalog-XXXXXX";
  char file[256], db[256];
  const char *roots[1];
  idp_catalog_options opts = IDP_CATALOG_OPTIONS_INIT;
  idp_catalog *cat = NULL;
  char *json = NULL;
  if (catalog_fixture(dir, file, sizeof file, db, sizeof db, "a.yaml",
                      "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n"
                      "  type: service\n  lifecycle: production\n  owner: team-a\n---\n"
                      "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n"
                      "  type: team\n  children: []\n",
                      &opts, roots) != 0) {
    return 1;
  }

  idp_catalog_close(NULL);
  CHECK(idp_catalog_open(NULL, &opts) == IDP_EINVAL);
  opts.version = 99;
  CHECK(idp_catalog_open(&cat, &opts) == IDP_EINVAL && cat == NULL);
  opts.version = IDP_CATALOG_OPTIONS_VERSION;
  CHECK(idp_catalog_open(&cat, &opts) == IDP_OK && cat != NULL);
  CHECK(idp_catalog_add_location(cat, file) == IDP_OK);
  CHECK(idp_catalog_add_location(cat, file) == IDP_EINVALID);
  CHECK(idp_catalog_refresh(&json, cat) == IDP_OK);
  CHECK(json != NULL && strstr(json, "\"processed\":3") != NULL && strstr(json, "\"failed\":0") != NULL);
  idp_free(json);
  json = NULL;

  CHECK(idp_catalog_get_entity(&json, cat, "Component:default/A") == IDP_OK);
  CHECK(json != NULL && strstr(json, "{\"type\":\"ownedBy\",\"targetRef\":\"group:default/team-a\"}") != NULL);
  idp_free(json);
  json = NULL;
  CHECK(idp_catalog_get_entity(&json, cat, "component:default/missing") == IDP_ENOTFOUND && json == NULL);

  CHECK(idp_catalog_query(&json, cat, "{\"filter\":[\"kind=group\"],\"fields\":[\"metadata.name\"]}") == IDP_OK);
  CHECK(json != NULL && strcmp(json, "{\"items\":[{\"metadata\":{\"name\":\"team-a\"}}],\"totalItems\":1,"
                                     "\"pageInfo\":{}}") == 0);
  idp_free(json);
  json = NULL;
  CHECK(idp_catalog_query(&json, cat, NULL) == IDP_OK && json != NULL && strstr(json, "\"totalItems\":3") != NULL);
  idp_free(json);
  json = NULL;
  CHECK(idp_catalog_query(&json, cat, "{\"limit\":-1}") == IDP_EINVAL && json == NULL);
  CHECK(idp_catalog_query(&json, cat, "not json") == IDP_EPARSE);

  /* url locations: a malformed URL is refused at once; a URL off the
   * allowlist (none given) fails its refresh and loses nothing stored. */
  CHECK(idp_catalog_add_location(cat, "url:ftp://example.com/x.yaml") == IDP_EINVAL);
  CHECK(idp_catalog_add_location(cat, "https://127.0.0.1:1/catalog-info.yaml") == IDP_OK);
  CHECK(idp_catalog_refresh(&json, cat) == IDP_OK);
  HAS(json, "\"failed\":1");
  HAS(json, "\"deleted\":[]");
  idp_free(json);
  json = NULL;
  CHECK(idp_catalog_get_entity(&json, cat, "group:default/team-a") == IDP_OK);
  idp_free(json);
  json = NULL;
  idp_catalog_close(cat);

  /* Reopened: the data is in the file, also through a version 1 struct. */
  opts.version = 1;
  cat = NULL;
  CHECK(idp_catalog_open(&cat, &opts) == IDP_OK);
  CHECK(idp_catalog_get_entity(&json, cat, "group:default/team-a") == IDP_OK);
  idp_free(json);
  idp_catalog_close(cat);

  remove_fixture(dir, file, db);
  return finish();
}
