/* The catalog's facets, ancestry and graph ABI from C, over a real catalog
 * ingested into an SQLite file: a dependsOn chain with a cycle, a dangling
 * ref, a group tree; every function's NULL, unknown-ref and bad-input paths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog_check.h"
#include "idp/idp.h"

static const char *kCatalog =
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\nspec:\n"
    "  type: website\n  lifecycle: production\n  owner: team-a\n  dependsOn: [component:api]\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: api\nspec:\n"
    "  type: service\n  lifecycle: production\n  owner: team-b\n"
    "  dependsOn: [resource:db, component:worker]\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: worker\nspec:\n"
    "  type: service\n  lifecycle: experimental\n  owner: team-b\n  dependsOn: [component:api]\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: db\nspec:\n"
    "  type: database\n  owner: team-b\n  dependsOn: [resource:missing-bucket]\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n"
    "  type: team\n  children: [team-b]\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-b\nspec:\n"
    "  type: team\n  parent: team-a\n  children: []\n";

int main(void) {
  char dir[] = "/tmp/idp-capi-graph-XXXXXX";
  char file[256], db[256];
  const char *roots[1];
  const char *depends[1] = {"dependsOn"};
  const char *null_type[1] = {NULL};
  idp_catalog_options opts = IDP_CATALOG_OPTIONS_INIT;
  idp_graph_options g = IDP_GRAPH_OPTIONS_INIT;
  idp_catalog *cat = NULL;
  char *json = NULL;
  if (catalog_fixture(dir, file, sizeof file, db, sizeof db, "catalog-info.yaml", kCatalog, &opts, roots) != 0) {
    return 1;
  }
  CHECK(idp_catalog_open(&cat, &opts) == IDP_OK);
  CHECK(idp_catalog_add_location(cat, file) == IDP_OK);
  CHECK(idp_catalog_refresh(NULL, cat) == IDP_OK);
  idp_catalog_close(cat);
  /* Everything below reads the catalog back from the file. */
  cat = NULL;
  CHECK(idp_catalog_open(&cat, &opts) == IDP_OK && cat != NULL);

  /* ---- facets ---- */
  CHECK(idp_catalog_facets(&json, cat, "{\"facets\":[\"kind\",\"spec.type\"]}") == IDP_OK);
  HAS(json, "\"kind\":[{\"value\":\"Component\",\"count\":3},{\"value\":\"Group\",\"count\":2},"
            "{\"value\":\"Location\",\"count\":1},{\"value\":\"Resource\",\"count\":1}]");
  HAS(json, "{\"value\":\"service\",\"count\":2}");
  idp_free(json);
  json = NULL;
  CHECK(idp_catalog_facets(&json, cat,
                           "{\"facets\":[\"spec.lifecycle\"],\"filter\":[\"kind=component,spec.type=service\"]}") ==
        IDP_OK);
  CHECK(json != NULL && strcmp(json, "{\"facets\":{\"spec.lifecycle\":[{\"value\":\"experimental\",\"count\":1},"
                                     "{\"value\":\"production\",\"count\":1}]}}") == 0);
  if (json) printf("facets: %s\n", json);
  idp_free(json);
  json = (char *)"untouched";
  CHECK(idp_catalog_facets(&json, cat, "{\"facets\":[]}") == IDP_EINVAL && json == NULL);
  CHECK(idp_catalog_facets(&json, cat, "{\"facets\":[\"kind\"],\"filter\":\"kind=x\"}") == IDP_EINVAL);
  CHECK(idp_catalog_facets(&json, cat, "{\"facets\":[\"kind\"") == IDP_EPARSE && json == NULL);
  CHECK(idp_last_error() != NULL && strstr(idp_last_error(), "request_json") != NULL);
  CHECK(idp_catalog_facets(&json, cat, NULL) == IDP_EINVAL);
  CHECK(idp_catalog_facets(&json, NULL, "{\"facets\":[\"kind\"]}") == IDP_EINVAL);
  CHECK(idp_catalog_facets(NULL, cat, "{\"facets\":[\"kind\"]}") == IDP_EINVAL);

  /* ---- ancestry ---- */
  json = NULL;
  CHECK(idp_catalog_ancestry(&json, cat, "Component:default/API") == IDP_OK);
  /* As Backstage: the entity first, then up to its registered location. */
  HAS(json, "{\"rootEntityRef\":\"component:default/api\",\"items\":[{\"entity\":{\"metadata\":");
  HAS(json, "\"name\":\"api\",\"uid\":");
  HAS(json, "\"parentEntityRefs\":[\"location:default/generated-");
  HAS(json, "\"kind\":\"Location\",\"spec\":{\"type\":\"file\"");
  HAS(json, "\"relations\":[]},\"parentEntityRefs\":[]}]}");
  idp_free(json);
  json = (char *)"untouched";
  CHECK(idp_catalog_ancestry(&json, cat, "component:default/nope") == IDP_ENOTFOUND && json == NULL);
  CHECK(idp_last_error() != NULL && strstr(idp_last_error(), "component:default/nope") != NULL);
  CHECK(idp_catalog_ancestry(&json, cat, NULL) == IDP_EINVAL);
  CHECK(idp_catalog_ancestry(&json, NULL, "component:default/api") == IDP_EINVAL);
  CHECK(idp_catalog_ancestry(NULL, cat, "component:default/api") == IDP_EINVAL);

  /* ---- traverse: dependencies (out), impact (in), depth, ownership ---- */
  json = NULL;
  g.relation_types = depends;
  g.relation_types_count = 1;
  CHECK(idp_catalog_graph_traverse(&json, cat, "component:default/web", &g) == IDP_OK);
  HAS(json, "\"root\":\"component:default/web\"");
  HAS(json, "{\"ref\":\"resource:default/missing-bucket\",\"depth\":3,\"inCatalog\":false}");
  HAS(json, "{\"ref\":\"component:default/worker\",\"depth\":2,\"inCatalog\":true}");
  HAS(json, "{\"source\":\"component:default/worker\",\"type\":\"dependsOn\",\"target\":\"component:default/api\"}");
  CHECK(json != NULL && strstr(json, "dependencyOf") == NULL && strstr(json, "group:") == NULL);
  idp_free(json);
  json = NULL;
  g.direction = IDP_GRAPH_IN;
  g.max_depth = 1;
  CHECK(idp_catalog_graph_traverse(&json, cat, "resource:default/db", &g) == IDP_OK);
  CHECK(json != NULL && strcmp(json, "{\"root\":\"resource:default/db\",\"nodes\":["
                                     "{\"ref\":\"resource:default/db\",\"depth\":0,\"inCatalog\":true},"
                                     "{\"ref\":\"component:default/api\",\"depth\":1,\"inCatalog\":true}],"
                                     "\"edges\":[{\"source\":\"component:default/api\",\"type\":\"dependsOn\","
                                     "\"target\":\"resource:default/db\"}]}") == 0);
  if (json) printf("impact: %s\n", json);
  idp_free(json);
  json = NULL;
  g.max_depth = -1;
  CHECK(idp_catalog_graph_traverse(&json, cat, "resource:default/db", &g) == IDP_OK);
  HAS(json, "{\"ref\":\"component:default/web\",\"depth\":2,\"inCatalog\":true}");
  idp_free(json);
  json = NULL;
  {
    /* Everything team-a owns, through its child group. */
    const char *owns[2] = {"ownerOf", "parentOf"};
    idp_graph_options o = IDP_GRAPH_OPTIONS_INIT;
    o.relation_types = owns;
    o.relation_types_count = 2;
    CHECK(idp_catalog_graph_traverse(&json, cat, "group:default/team-a", &o) == IDP_OK);
    HAS(json, "{\"ref\":\"resource:default/db\",\"depth\":2,\"inCatalog\":true}");
    HAS(json, "{\"ref\":\"component:default/web\",\"depth\":1,\"inCatalog\":true}");
    idp_free(json);
    json = NULL;
    /* NULL options: every relation type, outwards. */
    CHECK(idp_catalog_graph_traverse(&json, cat, "group:default/team-b", NULL) == IDP_OK);
    HAS(json, "\"type\":\"childOf\"");
    idp_free(json);
  }
  json = (char *)"untouched";
  CHECK(idp_catalog_graph_traverse(&json, cat, "component:default/nope", &g) == IDP_ENOTFOUND && json == NULL);
  CHECK(idp_catalog_graph_traverse(&json, cat, "not a ref:", &g) != IDP_OK && json == NULL);
  CHECK(idp_catalog_graph_traverse(&json, cat, NULL, &g) == IDP_EINVAL);
  CHECK(idp_catalog_graph_traverse(&json, NULL, "component:default/web", &g) == IDP_EINVAL);
  CHECK(idp_catalog_graph_traverse(NULL, cat, "component:default/web", &g) == IDP_EINVAL);
  g.direction = 7;
  CHECK(idp_catalog_graph_traverse(&json, cat, "component:default/web", &g) == IDP_EINVAL);
  CHECK(idp_last_error() != NULL && strstr(idp_last_error(), "direction") != NULL);
  g.direction = IDP_GRAPH_OUT;
  g.version = 99;
  CHECK(idp_catalog_graph_traverse(&json, cat, "component:default/web", &g) == IDP_EINVAL);
  CHECK(idp_last_error() != NULL && strstr(idp_last_error(), "version") != NULL);
  g.version = IDP_GRAPH_OPTIONS_VERSION;
  g.relation_types = NULL;
  CHECK(idp_catalog_graph_traverse(&json, cat, "component:default/web", &g) == IDP_EINVAL);
  g.relation_types = null_type;
  CHECK(idp_catalog_graph_traverse(&json, cat, "component:default/web", &g) == IDP_EINVAL);
  g.relation_types = depends;

  /* ---- shortest path ---- */
  json = NULL;
  CHECK(idp_catalog_graph_path(&json, cat, "component:default/web", "resource:default/missing-bucket", &g) == IDP_OK);
  CHECK(json != NULL &&
        strcmp(json, "{\"path\":[{\"source\":\"component:default/web\",\"type\":\"dependsOn\",\"target\":"
                     "\"component:default/api\"},{\"source\":\"component:default/api\",\"type\":\"dependsOn\","
                     "\"target\":\"resource:default/db\"},{\"source\":\"resource:default/db\",\"type\":"
                     "\"dependsOn\",\"target\":\"resource:default/missing-bucket\"}]}") == 0);
  idp_free(json);
  json = NULL;
  CHECK(idp_catalog_graph_path(&json, cat, "resource:default/db", "component:default/web", &g) == IDP_OK);
  CHECK(json != NULL && strcmp(json, "{\"path\":null}") == 0);
  idp_free(json);
  json = (char *)"untouched";
  CHECK(idp_catalog_graph_path(&json, cat, "component:default/web", "component:default/nope", &g) ==
            IDP_ENOTFOUND && json == NULL);
  CHECK(idp_catalog_graph_path(&json, cat, NULL, "component:default/web", &g) == IDP_EINVAL);
  CHECK(idp_catalog_graph_path(&json, cat, "component:default/web", NULL, &g) == IDP_EINVAL);
  CHECK(idp_catalog_graph_path(NULL, cat, "component:default/web", "component:default/api", &g) == IDP_EINVAL);

  /* ---- cycles ---- */
  json = NULL;
  CHECK(idp_catalog_graph_cycles(&json, cat, &g) == IDP_OK);
  CHECK(json != NULL && strcmp(json, "{\"cycles\":[[\"component:default/api\",\"component:default/worker\"]]}") == 0);
  idp_free(json);
  json = NULL;
  {
    const char *owned[1] = {"ownedBy"};
    idp_graph_options o = IDP_GRAPH_OPTIONS_INIT;
    o.relation_types = owned;
    o.relation_types_count = 1;
    CHECK(idp_catalog_graph_cycles(&json, cat, &o) == IDP_OK);
    CHECK(json != NULL && strcmp(json, "{\"cycles\":[]}") == 0);
    idp_free(json);
  }
  json = (char *)"untouched";
  g.version = 0;
  CHECK(idp_catalog_graph_cycles(&json, cat, &g) == IDP_EINVAL && json == NULL);
  g.version = IDP_GRAPH_OPTIONS_VERSION;
  CHECK(idp_catalog_graph_cycles(&json, NULL, &g) == IDP_EINVAL);
  CHECK(idp_catalog_graph_cycles(NULL, cat, &g) == IDP_EINVAL);

  /* ---- dangling ---- */
  json = NULL;
  CHECK(idp_catalog_graph_dangling(&json, cat) == IDP_OK);
  CHECK(json != NULL && strcmp(json, "{\"relations\":[{\"source\":\"resource:default/db\",\"type\":\"dependsOn\","
                                     "\"target\":\"resource:default/missing-bucket\"}]}") == 0);
  if (json) printf("dangling: %s\n", json);
  idp_free(json);
  CHECK(idp_catalog_graph_dangling(&json, NULL) == IDP_EINVAL);
  CHECK(idp_catalog_graph_dangling(NULL, cat) == IDP_EINVAL);
  idp_catalog_close(cat);

  remove_fixture(dir, file, db);
  return finish();
}
