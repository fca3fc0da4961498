// catalog:fetch, catalog:register and catalog:write run through the runner
// against a real Catalog on a real SQLite file, url locations read from a
// real HTTP server on 127.0.0.1.
#include <httplib.h>

#include <thread>

#include "catalog/catalog.h"
#include "catalog/catalog_actions.h"
#include "scaffolder/registry.h"
#include "test_util.h"

namespace idp::scaffolder {
namespace {

using testing::ParseJson;
using testing::ReadFile;
using testing::Runner;
using testing::Steps;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kCatalogFile =
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\n  namespace: billing\n"
    "spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n"
    "  children: []\n";
constexpr const char* kServed =
    "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: aaa-team\nspec:\n  type: team\n"
    "  children: []\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\nspec:\n"
    "  type: website\n  lifecycle: production\n  owner: aaa-team\n";

class Server {
 public:
  Server() {
    server_.Get("/repo/catalog-info.yaml",
                [](const httplib::Request&, httplib::Response& res) { res.set_content(kServed, "text/yaml"); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Server() {
    server_.stop();
    thread_.join();
  }
  std::string Base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string HostPort() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

struct Fixture {
  TempDir tmp;
  catalog::Catalog catalog;
  Runner runner;
  explicit Fixture(std::vector<std::string> allow = {})
      : catalog(Open(tmp.path(), std::move(allow))), runner(tmp.path() / "run") {
    EXPECT_TRUE(actions::RegisterCatalogActions(runner.registry, &catalog).ok());
  }
  static catalog::Catalog Open(const std::filesystem::path& dir, std::vector<std::string> allow) {
    catalog::CatalogOptions o;
    o.db_path = (dir / "catalog.db").string();
    o.allowed_roots = {dir};
    o.url.allowlist = std::move(allow);
    o.threads = 2;
    auto c = catalog::Catalog::Open(std::move(o));
    EXPECT_TRUE(c.ok()) << c.status().message();
    return std::move(c).value();
  }
  void Ingest() {
    WriteFile(tmp.path() / "data" / "catalog-info.yaml", kCatalogFile);
    ASSERT_TRUE(catalog.AddFileLocation((tmp.path() / "data" / "catalog-info.yaml").string()).ok());
    auto r = catalog.Refresh();
    ASSERT_TRUE(r.ok()) << r.status().message();
  }
};

TEST(CatalogActions, ListingsMatchBackstage) {
  ActionRegistry r;
  ASSERT_TRUE(actions::RegisterCatalogActions(r, nullptr).ok());
  Json oracle = ParseJson(ReadFile(std::string(IDP_SOURCE_DIR) + "/tests/conformance/scaffolder/oracle/actions.json"));
  Json ours = r.List();
  ASSERT_EQ(ours.Size(), 3u);
  for (const auto& item : ours.GetArray()) {
    bool found = false;
    for (const auto& o : oracle.GetArray()) {
      if (o["id"] == item["id"]) {
        found = true;
        EXPECT_EQ(ToJsonString(item), ToJsonString(o));
      }
    }
    EXPECT_TRUE(found) << AsView(item["id"]);
  }
}

TEST(CatalogActions, FetchByRefAndRefs) {
  Fixture f;
  f.Ingest();
  auto r = f.runner.Run(Steps(R"(    - id: one
      action: catalog:fetch
      input:
        entityRef: payments
        defaultKind: Component
        defaultNamespace: billing
    - id: many
      action: catalog:fetch
      input:
        entityRefs: [group:team-a, component:billing/nope]
        optional: true
  output:
    name: ${{ steps.one.output.entity.metadata.name }}
    owner: ${{ steps.one.output.entity.spec.owner }}
    first: ${{ steps.many.output.entities[0].kind }}
    count: ${{ steps.many.output.entities.length }}
)"),
                        "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ToJsonString(r.outcome.output), R"({"name":"payments","owner":"team-a","first":"Group","count":2})");
}

TEST(CatalogActions, FetchMissingIsBackstagesError) {
  Fixture f;
  f.Ingest();
  auto one = f.runner.Run(Steps("    - id: a\n      action: catalog:fetch\n      input: {entityRef: 'component:nope'}\n"),
                          "{}");
  EXPECT_FALSE(one.outcome.ok);
  EXPECT_EQ(one.outcome.error.name, "Error");
  EXPECT_EQ(one.outcome.error.message, "Entity component:nope not found");
  auto many = f.runner.Run(
      Steps("    - id: a\n      action: catalog:fetch\n      input: {entityRefs: ['group:team-a', 'x:y/z']}\n"), "{}");
  EXPECT_FALSE(many.outcome.ok);
  EXPECT_EQ(many.outcome.error.message, "Entity x:y/z not found");
  auto none = f.runner.Run(Steps("    - id: a\n      action: catalog:fetch\n      input: {}\n"), "{}");
  EXPECT_EQ(none.outcome.error.message, "Missing entity reference or references");
  auto optional = f.runner.Run(Steps(R"(    - id: a
      action: catalog:fetch
      input: {entityRef: 'component:nope', optional: true}
  output:
    isNull: ${{ steps.a.output.entity === null }}
)"),
                               "{}");
  ASSERT_TRUE(optional.outcome.ok) << optional.outcome.error.message;
  EXPECT_EQ(ToJsonString(optional.outcome.output), R"({"isNull":true})");
}

TEST(CatalogActions, UnknownInputKeysRejected) {
  Fixture f;
  auto r = f.runner.Run(Steps("    - id: a\n      action: catalog:fetch\n      input: {entityRef: 'a', entityReff: 'b'}\n"),
                        "{}");
  EXPECT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.name, "InputError");
  EXPECT_NE(r.outcome.error.message.find("Invalid input passed to action catalog:fetch"), std::string::npos)
      << r.outcome.error.message;
  auto w = f.runner.Run(Steps("    - id: a\n      action: catalog:write\n      input: {entity: {}, path: x}\n"), "{}");
  EXPECT_EQ(w.outcome.error.name, "InputError");
  auto g = f.runner.Run(
      Steps("    - id: a\n      action: catalog:register\n      input: {catalogInfoUrl: 'http://x/y', catalogInfoPath: z}\n"),
      "{}");
  EXPECT_EQ(g.outcome.error.name, "InputError");
}

TEST(CatalogActions, WithoutACatalogFetchAndRegisterSaySo) {
  TempDir tmp;
  Runner runner(tmp.path());
  ASSERT_TRUE(actions::RegisterCatalogActions(runner.registry, nullptr).ok());
  auto r = runner.Run(Steps("    - id: a\n      action: catalog:fetch\n      input: {entityRef: 'component:x'}\n"), "{}");
  EXPECT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.message,
            "catalog:fetch: no catalog is configured for this run (give `idp scaffold run` a --db FILE)");
  auto g = runner.Run(Steps("    - id: a\n      action: catalog:register\n      input: {catalogInfoUrl: 'http://x/y'}\n"),
                      "{}");
  EXPECT_NE(g.outcome.error.message.find("catalog:register: no catalog"), std::string::npos);
}

TEST(CatalogActions, WriteProducesWhatBackstageWrites) {
  TempDir tmp;
  Runner runner(tmp.path());
  ASSERT_TRUE(actions::RegisterCatalogActions(runner.registry, nullptr).ok());
  auto r = runner.Run(Steps(R"(    - id: w
      action: catalog:write
      input:
        filePath: sub/dir/catalog-info.yaml
        entity:
          apiVersion: backstage.io/v1alpha1
          kind: Component
          metadata:
            name: test
            annotations: {a: b}
            description: "A service that does many things: it reads, it writes, and then it reads again, forever and ever"
          spec:
            type: service
            lifecycle: production
            owner: default/owner
            tags: [a, "true"]
)"),
                      "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  // What Backstage 4.0.2 writes for this entity (yaml 2.9.1, see the README).
  EXPECT_EQ(ReadFile(runner.workspace() / "sub/dir/catalog-info.yaml"),
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: test\n  annotations:\n    a: b\n"
            "    backstage.io/source-template: template:default/test\n  description: \"A service that does many "
            "things: it reads, it writes, and then it\n    reads again, forever and ever\"\nspec:\n  type: service\n"
            "  lifecycle: production\n  owner: default/owner\n  tags:\n    - a\n    - \"true\"\n");
  EXPECT_NE(r.AllMessages().find("Writing sub/dir/catalog-info.yaml"), std::string::npos);
}

TEST(CatalogActions, WriteStaysInTheWorkspace) {
  TempDir tmp;
  Runner runner(tmp.path());
  ASSERT_TRUE(actions::RegisterCatalogActions(runner.registry, nullptr).ok());
  auto r = runner.Run(
      Steps("    - id: w\n      action: catalog:write\n      input: {filePath: ../escape.yaml, entity: {metadata: {}}}\n"),
      "{}");
  EXPECT_FALSE(r.outcome.ok);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "escape.yaml"));
  std::filesystem::create_directories(runner.workspace());
  std::filesystem::create_symlink(tmp.path(), runner.workspace() / "link");
  auto l = runner.Run(
      Steps("    - id: w\n      action: catalog:write\n      input: {filePath: link/escape.yaml, entity: {metadata: {}}}\n"),
      "{}");
  EXPECT_FALSE(l.outcome.ok);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "escape.yaml"));
  // No metadata: Backstage's handler fails reading metadata.annotations.
  auto m = runner.Run(Steps("    - id: w\n      action: catalog:write\n      input: {entity: {kind: X}}\n"), "{}");
  EXPECT_EQ(m.outcome.error.message, "Cannot read properties of undefined (reading 'annotations')");
}

TEST(CatalogActions, RegisterUrlThenFetch) {
  Server server;
  Fixture f({server.HostPort()});
  const std::string url = server.Base() + "/repo/catalog-info.yaml";
  auto r = f.runner.Run(Steps(R"(    - id: reg
      action: catalog:register
      input:
        repoContentsUrl: ${{ parameters.base }}/repo/
    - id: get
      action: catalog:fetch
      input:
        entityRef: ${{ steps.reg.output.entityRef }}
  output:
    ref: ${{ steps.reg.output.entityRef }}
    url: ${{ steps.reg.output.catalogInfoUrl }}
    owner: ${{ steps.get.output.entity.spec.owner }}
)"),
                        R"({"base":")" + server.Base() + R"("})");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ToJsonString(r.outcome.output),
            R"({"ref":"component:default/web","url":")" + url + R"(","owner":"aaa-team"})");
  EXPECT_NE(r.AllMessages().find("Registering " + url + " in the catalog"), std::string::npos);

  // Registered twice: Backstage's conflict, unless optional.
  const std::string again = Steps("    - id: reg\n      action: catalog:register\n      input: {catalogInfoUrl: '" + url +
                                  "'}\n");
  auto twice = f.runner.Run(again, "{}");
  EXPECT_FALSE(twice.outcome.ok);
  EXPECT_EQ(twice.outcome.error.message, "Location url:" + url + " already exists");
  auto optional = f.runner.Run(Steps("    - id: reg\n      action: catalog:register\n      input: {catalogInfoUrl: '" +
                                     url + "', optional: true}\n  output:\n    ref: ${{ steps.reg.output.entityRef }}\n"),
                               "{}");
  ASSERT_TRUE(optional.outcome.ok) << optional.outcome.error.message;
  EXPECT_EQ(ToJsonString(optional.outcome.output), R"({"ref":"component:default/web"})");
}

TEST(CatalogActions, RegisterRelativeCatalogInfoPath) {
  Server server;
  Fixture f({server.HostPort()});
  // new URL("catalog-info.yaml", ".../repo/sub") is ".../repo/catalog-info.yaml".
  auto r = f.runner.Run(Steps(R"(    - id: reg
      action: catalog:register
      input:
        repoContentsUrl: ${{ parameters.base }}/repo/sub
        catalogInfoPath: catalog-info.yaml
  output:
    url: ${{ steps.reg.output.catalogInfoUrl }}
)"),
                        R"({"base":")" + server.Base() + R"("})");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ToJsonString(r.outcome.output), R"({"url":")" + server.Base() + R"(/repo/catalog-info.yaml"})");
}

TEST(CatalogActions, RegisterUnreadableUrlFails) {
  Server server;
  Fixture f;  // empty allowlist: nothing may be read
  auto r = f.runner.Run(Steps("    - id: reg\n      action: catalog:register\n      input: {catalogInfoUrl: '" +
                              server.Base() + "/repo/catalog-info.yaml'}\n"),
                        "{}");
  EXPECT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.message, "Location url:" + server.Base() +
                                         "/repo/catalog-info.yaml could not be processed: no entity was read from it "
                                         "(url allowlist, allowed roots, a missing file or invalid YAML)");
  // optional: the failure is ignored, catalogInfoUrl still answered.
  auto optional = f.runner.Run(Steps("    - id: reg\n      action: catalog:register\n      input: {catalogInfoUrl: '" +
                                     server.Base() + "/other.yaml', optional: true}\n  output:\n    url: "
                                     "${{ steps.reg.output.catalogInfoUrl }}\n"),
                               "{}");
  ASSERT_TRUE(optional.outcome.ok) << optional.outcome.error.message;
  EXPECT_EQ(ToJsonString(optional.outcome.output), R"({"url":")" + server.Base() + R"(/other.yaml"})");
}

TEST(CatalogActions, WriteThenRegisterTheWorkspaceFile) {
  Fixture f;
  f.Ingest();
  auto r = f.runner.Run(Steps(R"(    - id: w
      action: catalog:write
      input:
        entity:
          apiVersion: backstage.io/v1alpha1
          kind: Component
          metadata: {name: new-service}
          spec: {type: service, lifecycle: experimental, owner: team-a}
    - id: reg
      action: catalog:register
      input: {catalogInfoUrl: catalog-info.yaml}
    - id: get
      action: catalog:fetch
      input: {entityRef: 'component:new-service'}
  output:
    ref: ${{ steps.reg.output.entityRef }}
    template: ${{ steps.get.output.entity.metadata.annotations['backstage.io/source-template'] }}
)"),
                        "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ToJsonString(r.outcome.output),
            R"({"ref":"component:default/new-service","template":"template:default/test"})");
}

}  // namespace
}  // namespace idp::scaffolder
