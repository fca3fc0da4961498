/* A catalog processor written in C, registered through the C ABI and run by
 * real refreshes into an SQLite file: a custom kind (validate_kind), an
 * emitted relation and child entity (post_process), a rewrite
 * (pre_process), a processing error and a throw. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog_check.h"
#include "idp/idp.h"

static atomic_int calls;

static int is_named(const char *entity_json, const char *name) {
  char needle[64];
  snprintf(needle, sizeof needle, "\"name\":\"%s\"", name);
  return strstr(entity_json, needle) != NULL;
}

/* Rewrites the description of `web`; `boom` throws. */
static int pre(void *user, const char *entity_json, const char *location_ref, idp_emitter *emit) {
  (void)user;
  atomic_fetch_add(&calls, 1);
  if (strncmp(location_ref, "file:", 5) != 0) return IDP_HOOK_NO;
  if (is_named(entity_json, "boom")) {
    idp_emit_throw(emit, "RangeError", "boom is not welcome");
    return IDP_HOOK_THROWN;
  }
  if (is_named(entity_json, "web")) {
    idp_emit_replace_entity(emit,
                            "{\"apiVersion\":\"backstage.io/v1alpha1\",\"kind\":\"Component\",\"metadata\":{"
                            "\"name\":\"web\",\"description\":\"rewritten in C\"},\"spec\":{\"type\":\"website\","
                            "\"lifecycle\":\"production\",\"owner\":\"team-a\"}}");
  }
  return IDP_HOOK_NO;
}

/* acme.example/v1 Widget is a kind this processor knows. */
static int validate(void *user, const char *entity_json, idp_emitter *emit) {
  (void)user, (void)emit;
  return strstr(entity_json, "\"apiVersion\":\"acme.example/v1\"") && strstr(entity_json, "\"kind\":\"Widget\"")
             ? IDP_HOOK_YES
             : IDP_HOOK_NO;
}

/* web: partOf a system, and a database child; bad: an error. */
static int post(void *user, const char *entity_json, const char *location_ref, idp_emitter *emit) {
  const char *file = location_ref + 5; /* "file:<path>" */
  (void)user;
  if (is_named(entity_json, "bad")) {
    idp_emit_error(emit, "InputError", "bad is rejected by the C processor");
    return IDP_HOOK_NO;
  }
  if (is_named(entity_json, "web") && strstr(entity_json, "\"kind\":\"Component\"")) {
    idp_emit_relation(emit, "component:default/web", "partOf", "system:default/shop");
    idp_emit_entity(emit, "file", file,
                    "{\"apiVersion\":\"backstage.io/v1alpha1\",\"kind\":\"Resource\",\"metadata\":{\"name\":"
                    "\"web-db\"},\"spec\":{\"type\":\"database\",\"owner\":\"team-a\"}}");
  }
  return IDP_HOOK_NO;
}

static const char *kCatalog =
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\nspec:\n"
    "  type: website\n  lifecycle: production\n  owner: team-a\n"
    "---\napiVersion: acme.example/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  colour: blue\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bad\nspec:\n"
    "  type: service\n  lifecycle: production\n  owner: team-a\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: boom\nspec:\n"
    "  type: service\n  lifecycle: production\n  owner: team-a\n";

int main(void) {
  char dir[] = "/tmp/idp-capi-processor-XXXXXX";
  char file[256], db[256];
  const char *roots[1];
  idp_catalog_options opts = IDP_CATALOG_OPTIONS_INIT;
  idp_processor_callbacks cb;
  idp_catalog *cat = NULL;
  char *json = NULL;
  if (catalog_fixture(dir, file, sizeof file, db, sizeof db, "catalog-info.yaml", kCatalog, &opts, roots) != 0) {
    return 1;
  }
  memset(&cb, 0, sizeof cb);
  cb.name = "AcmeProcessor";
  cb.pre_process = pre;
  cb.validate_kind = validate;
  cb.post_process = post;

  CHECK(idp_catalog_open(&cat, &opts) == IDP_OK);
  CHECK(idp_catalog_add_processor(NULL, &cb) == IDP_EINVAL);
  CHECK(idp_catalog_add_processor(cat, NULL) == IDP_EINVAL);
  cb.name = NULL;
  CHECK(idp_catalog_add_processor(cat, &cb) == IDP_EINVAL);
  cb.name = "AcmeProcessor";
  CHECK(idp_catalog_add_processor(cat, &cb) == IDP_OK);
  CHECK(idp_catalog_add_location(cat, file) == IDP_OK);
  CHECK(idp_catalog_refresh(&json, cat) == IDP_OK);
  HAS(json, "\"failed\":2"); /* bad and boom */
  idp_free(json);
  json = NULL;
  CHECK(atomic_load(&calls) >= 5);

  CHECK(idp_catalog_get_entity(&json, cat, "widget:default/w1") == IDP_OK);
  HAS(json, "\"colour\":\"blue\"");
  idp_free(json);
  json = NULL;
  CHECK(idp_catalog_get_entity(&json, cat, "component:default/web") == IDP_OK);
  HAS(json, "\"description\":\"rewritten in C\"");
  HAS(json, "{\"type\":\"partOf\",\"targetRef\":\"system:default/shop\"}");
  idp_free(json);
  json = NULL;
  CHECK(idp_catalog_get_entity(&json, cat, "resource:default/web-db") == IDP_OK);
  HAS(json, "\"backstage.io/managed-by-location\":\"file:");
  idp_free(json);
  json = NULL;
  /* Never processed successfully: not served. */
  CHECK(idp_catalog_get_entity(&json, cat, "component:default/bad") == IDP_ENOTFOUND);
  CHECK(idp_catalog_get_entity(&json, cat, "component:default/boom") == IDP_ENOTFOUND);
  idp_catalog_close(cat);

  /* Without the processor the custom kind is not accepted. */
  cat = NULL;
  remove_db(db);
  CHECK(idp_catalog_open(&cat, &opts) == IDP_OK);
  CHECK(idp_catalog_add_location(cat, file) == IDP_OK);
  CHECK(idp_catalog_refresh(NULL, cat) == IDP_OK);
  CHECK(idp_catalog_get_entity(&json, cat, "widget:default/w1") == IDP_ENOTFOUND);
  CHECK(idp_catalog_get_entity(&json, cat, "component:default/boom") == IDP_OK);
  idp_free(json);
  idp_catalog_close(cat);

  remove_fixture(dir, file, db);
  return finish();
}
