#include <gtest/gtest.h>

#include <filesystem>

#include "catalog/location_entity.h"
#include "catalog_test_support.h"

namespace idp::catalog {
namespace {

using test::Annotation;
using test::Errors;
using test::IngestTree;
using test::TempTree;

constexpr const char* kLoc = "backstage.io/managed-by-location";
constexpr const char* kOrigin = "backstage.io/managed-by-origin-location";

std::string Component(const std::string& name, const std::string& extra = "") {
  return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " + name +
         "\n" + extra + "spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n";
}

std::string Location(const std::string& name, const std::string& targets,
                     const std::string& extra = "") {
  return "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: " + name +
         "\nspec:\n  " + extra + "targets: " + targets + "\n";
}

std::string RootRef(const TempTree& tree, const std::string& file) {
  return "location:default/" + GeneratedLocationName({"file", (tree.root() / file).string()});
}

TEST(Ingestion, RelativeTargetsAndGlobs) {
  TempTree tree;
  tree.Write("root.yaml", Location("root", "[./a.yaml, 'comps/*.yaml']"));
  tree.Write("a.yaml", Component("a"));
  tree.Write("comps/b.yaml", Component("b"));
  tree.Write("comps/c.yaml", Component("c") + "---\n" + Component("d"));
  tree.Write("comps/ignored.yml", Component("ignored"));
  const test::Ingested run = IngestTree(tree, {"root.yaml"}, test::BuiltinRegistry());

  const ProcessedEntity* gen = run.sink.Find(RootRef(tree, "root.yaml"));
  ASSERT_NE(gen, nullptr);
  EXPECT_TRUE(gen->ok) << Errors(*gen);
  EXPECT_EQ(gen->children, std::vector<std::string>{"location:default/root"});
  const ProcessedEntity* root = run.sink.Find("location:default/root");
  ASSERT_NE(root, nullptr);
  ASSERT_TRUE(root->ok) << Errors(*root);
  EXPECT_EQ(root->children,
            (std::vector<std::string>{"component:default/a", "component:default/b",
                                      "component:default/c", "component:default/d"}));
  for (const char* ref : {"component:default/a", "component:default/b", "component:default/c",
                          "component:default/d"}) {
    const ProcessedEntity* p = run.sink.Find(ref);
    ASSERT_NE(p, nullptr) << ref;
    EXPECT_TRUE(p->ok) << Errors(*p);
    EXPECT_EQ(p->parent_ref, "location:default/root");
  }
  EXPECT_EQ(run.sink.Find("component:default/ignored"), nullptr);
  EXPECT_EQ(run.sink.Find("component:default/c")->location_key,
            "file:" + (tree.root() / "comps/c.yaml").string());
  EXPECT_EQ(run.report.failed, 0u);
  // Deterministic order: breadth-first, file order within a level.
  ASSERT_EQ(run.sink.all.size(), 6u);
  EXPECT_EQ(run.sink.all[2].ref, "component:default/a");
  EXPECT_EQ(run.sink.all[5].ref, "component:default/d");
}

TEST(Ingestion, NestedLocationsAndChildAnnotations) {
  TempTree tree;
  tree.Write("root.yaml", Location("root", "[./team/catalog.yaml]"));
  tree.Write("team/catalog.yaml", Location("team", "[./svc.yaml]"));  // relative to team/
  tree.Write("team/svc.yaml", Component("svc"));
  const test::Ingested run = IngestTree(tree, {"root.yaml"}, test::BuiltinRegistry());
  const std::string root_key = "file:" + (tree.root() / "root.yaml").string();
  const ProcessedEntity* svc = run.sink.Find("component:default/svc");
  ASSERT_NE(svc, nullptr);
  ASSERT_TRUE(svc->ok) << Errors(*svc);
  EXPECT_EQ(Annotation(*svc, kLoc), "file:" + (tree.root() / "team/svc.yaml").string());
  EXPECT_EQ(Annotation(*svc, kOrigin), root_key);
  EXPECT_EQ(svc->parent_ref, "location:default/team");
  const ProcessedEntity* team = run.sink.Find("location:default/team");
  ASSERT_NE(team, nullptr);
  EXPECT_EQ(Annotation(*team, kLoc), "file:" + (tree.root() / "team/catalog.yaml").string());
  EXPECT_EQ(Annotation(*team, kOrigin), root_key);
  // Location annotations first in metadata (AnnotateLocationEntityProcessor's order).
  EXPECT_EQ(ToJsonString(svc->entity).find(R"({"metadata":{"annotations":{"backstage.io/managed-by-location")"),
            0u);
  // Generated root: both annotations are the location itself.
  const ProcessedEntity* gen = run.sink.Find(RootRef(tree, "root.yaml"));
  ASSERT_NE(gen, nullptr);
  EXPECT_EQ(Annotation(*gen, kLoc), root_key);
  EXPECT_EQ(Annotation(*gen, kOrigin), root_key);
}

TEST(Ingestion, PresenceRequiredAndOptional) {
  TempTree tree;
  tree.Write("req.yaml", Location("req", "[./missing.yaml]"));
  tree.Write("opt.yaml", Location("opt", "[./missing.yaml, './none/*.yaml']", "presence: optional\n  "));
  const test::Ingested run = IngestTree(tree, {"req.yaml", "opt.yaml"}, test::BuiltinRegistry());
  const ProcessedEntity* req = run.sink.Find("location:default/req");
  ASSERT_NE(req, nullptr);
  EXPECT_FALSE(req->ok);
  EXPECT_EQ(Errors(*req),
            "NotFoundError: file " + (tree.root() / "missing.yaml").string() + " does not exist");
  const ProcessedEntity* opt = run.sink.Find("location:default/opt");
  ASSERT_NE(opt, nullptr);
  EXPECT_TRUE(opt->ok) << Errors(*opt);
  EXPECT_TRUE(opt->children.empty());
}

TEST(Ingestion, SelfReferencingLocationIsACycle) {
  TempTree tree;
  tree.Write("self.yaml", Location("self", "[./self.yaml]") + "---\n" + Component("x"));
  const test::Ingested run = IngestTree(tree, {"self.yaml"}, test::BuiltinRegistry());
  const ProcessedEntity* self = run.sink.Find("location:default/self");
  ASSERT_NE(self, nullptr);
  EXPECT_FALSE(self->ok);
  EXPECT_NE(Errors(*self).find("Location cycle: file:" + (tree.root() / "self.yaml").string()),
            std::string::npos)
      << Errors(*self);
  ASSERT_NE(run.sink.Find("component:default/x"), nullptr);
  EXPECT_TRUE(run.sink.Find("component:default/x")->ok);
  EXPECT_EQ(run.sink.all.size(), 3u);  // generated, self, x: no loop
}

TEST(Ingestion, CyclicLocations) {
  TempTree tree;
  tree.Write("a.yaml", Location("a", "[./b.yaml]"));
  tree.Write("b.yaml", Location("b", "[./c.yaml]"));
  tree.Write("c.yaml", Location("c", "[./a.yaml]") + "---\n" + Component("in-c"));
  const test::Ingested run = IngestTree(tree, {"a.yaml"}, test::BuiltinRegistry());
  const ProcessedEntity* c = run.sink.Find("location:default/c");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->ok);
  EXPECT_NE(Errors(*c).find("Location cycle"), std::string::npos) << Errors(*c);
  EXPECT_TRUE(run.sink.Find("location:default/a")->ok);
  EXPECT_TRUE(run.sink.Find("location:default/b")->ok);
  EXPECT_TRUE(run.sink.Find("component:default/in-c")->ok);
}

TEST(Ingestion, TargetOutsideAllowedRoots) {
  TempTree outside;
  outside.Write("secret.yaml", Component("secret"));
  TempTree tree;
  const std::filesystem::path rel = std::filesystem::relative(outside.root(), tree.root());
  tree.Write("root.yaml", Location("root", "['" + (rel / "secret.yaml").string() + "']"));
  tree.Write("abs.yaml", Location("abs", "['" + (outside.root() / "*.yaml").string() + "']"));
  // A symlink inside the root pointing outside is outside too.
  std::filesystem::create_symlink(outside.root() / "secret.yaml", tree.root() / "link.yaml");
  tree.Write("link-loc.yaml", Location("linkloc", "[./link.yaml]"));
  const test::Ingested run =
      IngestTree(tree, {"root.yaml", "abs.yaml", "link-loc.yaml"}, test::BuiltinRegistry());
  for (const char* ref : {"location:default/root", "location:default/abs", "location:default/linkloc"}) {
    const ProcessedEntity* p = run.sink.Find(ref);
    ASSERT_NE(p, nullptr) << ref;
    EXPECT_FALSE(p->ok) << ref;
    EXPECT_NE(Errors(*p).find("NotAllowedError"), std::string::npos) << Errors(*p);
    EXPECT_NE(Errors(*p).find("outside the allowed roots"), std::string::npos) << Errors(*p);
  }
  EXPECT_EQ(run.sink.Find("component:default/secret"), nullptr);
}

TEST(Ingestion, PlaceholdersInsideAndOutsideRoots) {
  TempTree outside;
  outside.Write("secret.txt", "top secret");
  TempTree tree;
  const std::string rel = std::filesystem::relative(outside.root() / "secret.txt", tree.root() / "sub").string();
  tree.Write("sub/readme.txt", "hello from a file");
  tree.Write("sub/catalog.yaml",
             Component("inside", "  description:\n    $text: ./readme.txt\n") + "---\n" +
                 Component("outside", "  description:\n    $text: " + rel + "\n"));
  const test::Ingested run = IngestTree(tree, {"sub/catalog.yaml"}, test::BuiltinRegistry());
  const ProcessedEntity* inside = run.sink.Find("component:default/inside");
  ASSERT_NE(inside, nullptr);
  ASSERT_TRUE(inside->ok) << Errors(*inside);
  EXPECT_EQ(AsView(inside->entity["metadata"]["description"]), "hello from a file");
  const ProcessedEntity* out = run.sink.Find("component:default/outside");
  ASSERT_NE(out, nullptr);
  EXPECT_FALSE(out->ok);
  EXPECT_NE(Errors(*out).find("Processor PlaceholderProcessor threw an error while preprocessing"),
            std::string::npos)
      << Errors(*out);
  EXPECT_EQ(Errors(*out).find("top secret"), std::string::npos);
}

TEST(Ingestion, FileFatalDocumentFailsItsLocation) {
  TempTree tree;
  tree.Write("root.yaml", Location("root", "[./good.yaml, ./broken.yaml]"));
  tree.Write("good.yaml", Component("good"));
  tree.Write("broken.yaml", Component("fine-but-doomed") + "---\nkind: Component\nmetadata: {}\n");
  const test::Ingested run = IngestTree(tree, {"root.yaml"}, test::BuiltinRegistry());
  const ProcessedEntity* root = run.sink.Find("location:default/root");
  ASSERT_NE(root, nullptr);
  EXPECT_FALSE(root->ok);
  EXPECT_NE(Errors(*root).find("TypeError: "), std::string::npos) << Errors(*root);
  EXPECT_TRUE(root->children.empty());
  // None of the Location's entities are (re)emitted, not even the good file's.
  EXPECT_EQ(run.sink.Find("component:default/fine-but-doomed"), nullptr);
  EXPECT_EQ(run.sink.Find("component:default/good"), nullptr);

  TempTree yaml_error;
  yaml_error.Write("root.yaml", Component("ok") + "---\nkey: [unclosed\n");
  const test::Ingested run2 = IngestTree(yaml_error, {"root.yaml"}, test::BuiltinRegistry());
  const ProcessedEntity* gen = run2.sink.Find(RootRef(yaml_error, "root.yaml"));
  ASSERT_NE(gen, nullptr);
  EXPECT_FALSE(gen->ok);
  EXPECT_NE(Errors(*gen).find("YAML error at file:"), std::string::npos) << Errors(*gen);
  EXPECT_EQ(run2.sink.Find("component:default/ok"), nullptr);
}

TEST(Ingestion, CatalogRules) {
  TempTree tree;
  tree.Write("org.yaml",
             "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-a}\n"
             "spec: {type: team, children: []}\n");
  tree.Write("svc.yaml", Component("svc"));
  // Default in this engine: every kind.
  const test::Ingested all = IngestTree(tree, {"org.yaml", "svc.yaml"}, test::BuiltinRegistry());
  EXPECT_TRUE(all.sink.Find("group:default/team-a")->ok);

  // Backstage's default rules: Component, API, Location only.
  const test::Ingested strict = IngestTree(tree, {"org.yaml", "svc.yaml"}, test::BuiltinRegistry(),
                                           CatalogRules::BackstageDefault());
  const std::string org = "file:" + (tree.root() / "org.yaml").string();
  const ProcessedEntity* gen = strict.sink.Find(RootRef(tree, "org.yaml"));
  ASSERT_NE(gen, nullptr);
  EXPECT_FALSE(gen->ok);
  EXPECT_EQ(Errors(*gen), "NotAllowedError: Entity group:default/team-a at " + org +
                              ", originated at " + org + ", is not of an allowed kind for that location");
  EXPECT_EQ(strict.sink.Find("group:default/team-a"), nullptr);
  EXPECT_TRUE(strict.sink.Find("component:default/svc")->ok);

  // A rule for the org file's origin only.
  CatalogRules per_location = CatalogRules::BackstageDefault();
  per_location.rules.push_back({{{"group", std::nullopt}}, std::vector<LocationMatcher>{{"file", std::nullopt, "*/ORG.yaml"}}});
  const test::Ingested scoped =
      IngestTree(tree, {"org.yaml", "svc.yaml"}, test::BuiltinRegistry(), per_location);
  EXPECT_TRUE(scoped.sink.Find("group:default/team-a")->ok);
}

TEST(Ingestion, ResultHashStableAndContentSensitive) {
  TempTree tree;
  tree.Write("root.yaml", Location("root", "[./a.yaml]"));
  const std::string a = tree.Write("a.yaml", Component("a"));
  IngestionState state;
  const test::Ingested first = IngestTree(tree, {"root.yaml"}, test::BuiltinRegistry(), {}, &state);
  EXPECT_EQ(state.file_hashes.size(), 2u);
  EXPECT_EQ(first.report.changed_files.size(), 2u);
  const test::Ingested second = IngestTree(tree, {"root.yaml"}, test::BuiltinRegistry(), {}, &state);
  ASSERT_EQ(first.sink.all.size(), second.sink.all.size());
  for (std::size_t i = 0; i < first.sink.all.size(); ++i) {
    EXPECT_EQ(first.sink.all[i].result_hash, second.sink.all[i].result_hash);
    EXPECT_EQ(first.sink.all[i].result_hash.size(), 40u);
  }
  EXPECT_TRUE(second.report.changed_files.empty());
  EXPECT_EQ(second.report.unchanged, first.sink.all.size());

  tree.Write("a.yaml", Component("a", "  description: changed\n"));
  IngestionOptions only_changed;
  only_changed.only_changed = true;
  const test::Ingested third =
      IngestTree(tree, {"root.yaml"}, test::BuiltinRegistry(), {}, &state, only_changed);
  EXPECT_EQ(third.report.changed_files, std::vector<std::string>{a});
  ASSERT_EQ(third.sink.all.size(), 1u);  // only the changed component reaches the sink
  EXPECT_EQ(third.sink.all[0].ref, "component:default/a");
  EXPECT_NE(third.sink.all[0].result_hash, first.sink.Find("component:default/a")->result_hash);
}

TEST(Ingestion, FileDisappearingBeforeReadIsAClearError) {
  TempTree tree;
  tree.Write("root.yaml", Location("root", "['./parts/*.yaml']"));
  const std::string gone = tree.Write("parts/gone.yaml", Component("gone"));
  FileReaderOptions reader;
  reader.before_read = [&](const std::filesystem::path& p) {
    if (p == gone) std::filesystem::remove(p);
  };
  const test::Ingested run = IngestTree(tree, {"root.yaml"}, test::BuiltinRegistry(reader));
  const ProcessedEntity* root = run.sink.Find("location:default/root");
  ASSERT_NE(root, nullptr);
  EXPECT_FALSE(root->ok);
  EXPECT_NE(Errors(*root).find("file " + gone + " could not be read, Error: ENOENT"),
            std::string::npos)
      << Errors(*root);
}

TEST(Ingestion, DuplicateRefsFirstFileWinsLaterDocumentWins) {
  TempTree tree;
  tree.Write("one.yaml", Component("dup", "  description: first-doc\n") + "---\n" +
                             Component("Dup", "  description: second-doc\n"));
  tree.Write("two.yaml", Component("dup", "  description: other-file\n"));
  const test::Ingested run = IngestTree(tree, {"one.yaml", "two.yaml"}, test::BuiltinRegistry());
  std::size_t n = 0;
  for (const ProcessedEntity& p : run.sink.all) n += p.ref == "component:default/dup";
  EXPECT_EQ(n, 1u);
  const ProcessedEntity* dup = run.sink.Find("component:default/dup");
  EXPECT_EQ(AsView(dup->entity["metadata"]["description"]), "second-doc");
  EXPECT_EQ(run.report.conflicts.size(), 1u);
}

}  // namespace
}  // namespace idp::catalog
