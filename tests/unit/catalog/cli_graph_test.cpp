// `idp catalog ancestry|path|cycles|dangling|graph --format svg`: the CLI
// binary run on a real catalog file (a dependsOn cycle, a dangling ref).
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "catalog_test_support.h"
#include "graph/graph_svg.h"

namespace idp::catalog {
namespace {

struct Outcome {
  int status = -1;
  std::string out;
};

Outcome Idp(const std::string& args) {
  Outcome r;
  FILE* p = ::popen((std::string(IDP_CLI) + " " + args + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

constexpr const char* kCatalog =
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: api\nspec:\n  type: service\n"
    "  lifecycle: production\n  owner: team-a\n  dependsOn: [component:worker, resource:db]\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: worker\nspec:\n  type: service\n"
    "  lifecycle: production\n  owner: team-a\n  dependsOn: [component:api]\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: db\nspec:\n  type: database\n"
    "  owner: team-a\n  dependsOn: [resource:bucket]\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n"
    "  children: []\n";

TEST(CatalogCli, GraphQueries) {
  test::TempTree tree;
  const std::string file = tree.Write("catalog-info.yaml", kCatalog);
  const std::string db = " --db " + (tree.root() / "c.db").string() + " ";
  ASSERT_EQ(Idp("catalog ingest" + db + file).status, 0);

  Outcome a = Idp("catalog ancestry" + db + "Component:default/Worker");
  EXPECT_EQ(a.status, 0);
  EXPECT_EQ(a.out.rfind("{\"rootEntityRef\":\"component:default/worker\",\"items\":[{\"entity\":", 0), 0u) << a.out;
  EXPECT_NE(a.out.find("\"parentEntityRefs\":[\"location:default/generated-"), std::string::npos) << a.out;
  EXPECT_EQ(Idp("catalog ancestry" + db + "component:default/nope").status, 1);

  Outcome p = Idp("catalog path" + db + "component:default/worker resource:default/bucket --relations dependsOn");
  EXPECT_EQ(p.status, 0);
  EXPECT_EQ(p.out,
            "{\"path\":[{\"source\":\"component:default/worker\",\"type\":\"dependsOn\",\"target\":\"component:"
            "default/api\"},{\"source\":\"component:default/api\",\"type\":\"dependsOn\",\"target\":\"resource:"
            "default/db\"},{\"source\":\"resource:default/db\",\"type\":\"dependsOn\",\"target\":\"resource:default/"
            "bucket\"}]}\n");
  Outcome none = Idp("catalog path" + db + "resource:default/bucket component:default/api --relations dependsOn");
  EXPECT_EQ(none.status, 1);
  EXPECT_EQ(none.out, "{\"path\":null}\n");

  Outcome c = Idp("catalog cycles" + db + "--relations dependsOn");
  EXPECT_EQ(c.status, 1);
  EXPECT_EQ(c.out, "{\"cycles\":[[\"component:default/api\",\"component:default/worker\"]]}\n");
  Outcome owned = Idp("catalog cycles" + db + "--relations ownedBy");
  EXPECT_EQ(owned.status, 0);
  EXPECT_EQ(owned.out, "{\"cycles\":[]}\n");

  Outcome d = Idp("catalog dangling" + db);
  EXPECT_EQ(d.status, 1);
  EXPECT_EQ(d.out,
            "{\"relations\":[{\"source\":\"resource:default/db\",\"type\":\"dependsOn\",\"target\":"
            "\"resource:default/bucket\"}]}\n");

  // svg: Graphviz's dot renders it when installed; a clear error otherwise.
  Outcome svg = Idp("catalog graph" + db + "component:default/api --format svg");
  const char* path = std::getenv("PATH");
  if (graph::FindExecutable("dot", path ? path : "")) {
    EXPECT_EQ(svg.status, 0);
    EXPECT_NE(svg.out.find("<svg"), std::string::npos);
  } else {
    EXPECT_EQ(svg.status, 2);
    EXPECT_EQ(svg.out, "");
  }
}

}  // namespace
}  // namespace idp::catalog
