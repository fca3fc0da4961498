// Agreement with the real Backstage code (shared/oracle/validate.mjs
// --graph) on a small tree: same accepted refs, same relations per source.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "catalog/location_entity.h"
#include "catalog_test_support.h"

namespace idp::catalog {
namespace {

// The project's own pinned copy of the oracle (npm ci in tools/setup.sh).
const std::string kOracle = std::string(IDP_SOURCE_DIR) + "/tests/conformance/catalog/oracle/validate.mjs";

std::string RunCommand(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

using Graph = std::map<std::string, std::set<std::pair<std::string, std::string>>>;

TEST(Oracle, GraphAgreesOnSmallTree) {
  // setup.sh installs node and the oracle: their absence is a failure, not a skip.
  ASSERT_TRUE(std::filesystem::exists(kOracle)) << kOracle;
  ASSERT_FALSE(RunCommand("node --version 2>/dev/null").empty()) << "node not on PATH";
  test::TempTree tree;
  tree.Write("root.yaml",
             "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\n"
             "spec: {targets: [./org.yaml, ./comps.yaml]}\n");
  tree.Write("org.yaml",
             "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-a}\n"
             "spec: {type: team, children: [sub-team], parent: root-org}\n---\n"
             "apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: jdoe}\n"
             "spec: {memberOf: [team-a]}\n---\n"
             "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: shop}\n"
             "spec: {owner: team-a, domain: commerce}\n");
  tree.Write("comps.yaml",
             "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\n"
             "spec: {type: website, lifecycle: production, owner: team-a, system: shop,\n"
             "  dependsOn: ['resource:db', 'component:api-svc'], consumesApis: [orders]}\n---\n"
             "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: api-svc}\n"
             "spec: {type: service, lifecycle: production, owner: 'user:jdoe', providesApis: [orders]}\n---\n"
             "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: orders}\n"
             "spec: {type: openapi, lifecycle: production, owner: team-a, definition: x}\n---\n"
             "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: broken}\n"
             "spec: {type: service, lifecycle: production, owner: team-a, dependsOn: [no-kind]}\n---\n"
             "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: db}\n"
             "spec: {type: database, owner: team-a, dependencyOf: ['component:web']}\n");
  const std::string out = RunCommand("cd '" + tree.root().string() + "' && node " + kOracle +
                              " --graph root.yaml org.yaml comps.yaml 2>/dev/null");
  ASSERT_FALSE(out.empty());
  Graph oracle;
  std::size_t pos = 0;
  while (pos < out.size()) {
    std::size_t nl = out.find('\n', pos);
    if (nl == std::string::npos) nl = out.size();
    Json line;
    line.Parse(out.data() + pos, nl - pos);
    pos = nl + 1;
    if (line.HasParseError() || !line.IsObject()) continue;
    auto& rels = oracle[std::string(AsView(line["ref"]))];
    for (const JsonValue& r : line["relations"].GetArray()) {
      rels.emplace(AsView(r["type"]), AsView(r["targetRef"]));
    }
  }
  ASSERT_GE(oracle.size(), 7u);

  const test::Ingested run = test::IngestTree(tree, {"root.yaml"}, test::BuiltinRegistry());
  const std::string generated =
      "location:default/" + GeneratedLocationName({"file", (tree.root() / "root.yaml").string()});
  Graph ours;
  for (const ProcessedEntity& p : run.sink.all) {
    if (!p.ok || p.ref == generated) continue;
    ours[p.ref];
  }
  for (const ProcessedEntity& p : run.sink.all) {
    if (!p.ok || p.ref == generated) continue;
    for (const model::Relation& r : p.relations) {
      if (ours.contains(r.source)) ours[r.source].emplace(r.type, r.target);
    }
  }
  EXPECT_EQ(ours, oracle);
  ASSERT_NE(run.sink.Find("component:default/broken"), nullptr);
  EXPECT_FALSE(run.sink.Find("component:default/broken")->ok);
}

}  // namespace
}  // namespace idp::catalog
