#include "graph/relation_graph.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "catalog/catalog.h"
#include "graph/graph_format.h"

namespace idp::graph {
namespace {

using model::Relation;

// a -> b -> c -> a (dependsOn cycle), c -> d, d -> ghost (dangling),
// with the inverse dependencyOf edges the processors would emit.
RelationGraph Sample() {
  std::vector<Relation> r;
  const auto dep = [&](std::string from, std::string to) {
    r.push_back({from, "dependsOn", to});
    r.push_back({to, "dependencyOf", from});
  };
  dep("component:default/a", "component:default/b");
  dep("component:default/b", "component:default/c");
  dep("component:default/c", "component:default/a");
  dep("component:default/c", "component:default/d");
  r.push_back({"component:default/d", "dependsOn", "resource:default/ghost"});
  r.push_back({"component:default/d", "ownedBy", "group:default/team"});
  r.push_back({"component:default/d", "ownedBy", "group:default/team"});  // duplicate
  return RelationGraph(std::move(r), {"component:default/a", "component:default/b", "component:default/c",
                                      "component:default/d", "group:default/team", "component:default/lonely"});
}

std::vector<std::string> Refs(const Traversal& t) {
  std::vector<std::string> out;
  for (const auto& n : t.nodes) out.push_back(n.ref + "@" + std::to_string(n.depth));
  return out;
}

TEST(RelationGraph, TraversesOutwardWithDepthLimit) {
  const RelationGraph g = Sample();
  TraverseOptions o;
  o.relation_types = {"dependsOn"};
  auto all = g.Traverse("Component:default/A", o);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Refs(*all), (std::vector<std::string>{"component:default/a@0", "component:default/b@1",
                                                  "component:default/c@2", "component:default/d@3",
                                                  "resource:default/ghost@4"}));
  EXPECT_FALSE(all->nodes.back().in_catalog);
  EXPECT_EQ(all->edges.size(), 5u);
  o.max_depth = 1;
  auto one = g.Traverse("component:default/a", o);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(Refs(*one), (std::vector<std::string>{"component:default/a@0", "component:default/b@1"}));
  EXPECT_EQ(one->edges, (std::vector<Relation>{{"component:default/a", "dependsOn", "component:default/b"}}));
}

TEST(RelationGraph, TraversesInwardForImpact) {
  const RelationGraph g = Sample();
  TraverseOptions o;
  o.relation_types = {"dependsOn"};
  o.direction = Direction::kIn;
  auto t = g.Traverse("component:default/d", o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Refs(*t), (std::vector<std::string>{"component:default/d@0", "component:default/c@1",
                                                "component:default/b@2", "component:default/a@3"}));
  o.direction = Direction::kBoth;
  o.max_depth = 1;
  t = g.Traverse("component:default/d", o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Refs(*t), (std::vector<std::string>{"component:default/d@0", "resource:default/ghost@1",
                                                "component:default/c@1"}));
  EXPECT_EQ(g.Traverse("component:default/nope", o).status().code(), Code::kNotFound);
}

TEST(RelationGraph, FindsCyclesAlongChosenTypes) {
  const RelationGraph g = Sample();
  EXPECT_EQ(g.Cycles({"dependsOn"}), (std::vector<std::vector<std::string>>{
                                         {"component:default/a", "component:default/b", "component:default/c"}}));
  EXPECT_TRUE(g.Cycles({"ownedBy"}).empty());
  // Every type: the inverse edges tie each connected pair together.
  const auto all = g.Cycles({});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].size(), 4u);
  const RelationGraph self({{"component:default/x", "dependsOn", "component:default/x"}}, {"component:default/x"});
  EXPECT_EQ(self.Cycles({"dependsOn"}).size(), 1u);
}

TEST(RelationGraph, ReportsDanglingRelations) {
  const RelationGraph g = Sample();
  EXPECT_EQ(g.Dangling(), (std::vector<Relation>{{"component:default/d", "dependsOn", "resource:default/ghost"}}));
  EXPECT_TRUE(g.InCatalog("component:default/lonely"));
  EXPECT_FALSE(g.InCatalog("resource:default/ghost"));
  EXPECT_EQ(g.EdgeCount(), 10u);  // the duplicate ownedBy counted once
}

TEST(RelationGraph, ShortestPath) {
  const RelationGraph g = Sample();
  TraverseOptions o;
  o.relation_types = {"dependsOn"};
  auto p = g.ShortestPath("component:default/b", "resource:default/ghost", o);
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ(**p, (std::vector<Relation>{{"component:default/b", "dependsOn", "component:default/c"},
                                       {"component:default/c", "dependsOn", "component:default/d"},
                                       {"component:default/d", "dependsOn", "resource:default/ghost"}}));
  auto none = g.ShortestPath("component:default/d", "component:default/a", o);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  o.direction = Direction::kBoth;
  auto back = g.ShortestPath("component:default/d", "component:default/a", o);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->size(), 2u);  // d <- c <- ... c -> a: two hops
  o.max_depth = 1;
  auto limited = g.ShortestPath("component:default/d", "component:default/a", o);
  ASSERT_TRUE(limited.ok());
  EXPECT_FALSE(limited->has_value());
  EXPECT_EQ(g.ShortestPath("component:default/a", "component:default/zzz", o).status().code(), Code::kNotFound);
  auto same = g.ShortestPath("component:default/a", "component:default/a", o);
  ASSERT_TRUE(same.ok() && same->has_value());
  EXPECT_TRUE((*same)->empty());
}

TEST(RelationGraph, LoadsFromTheStore) {
  std::random_device rd;
  const auto dir = std::filesystem::temp_directory_path() / ("idp-graph-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.yaml")
      << "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n  type: service\n"
         "  lifecycle: production\n  owner: team-a\n  dependsOn: [component:b]\n---\n"
         "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: b\nspec:\n  type: service\n"
         "  lifecycle: production\n  owner: team-a\n";
  {
    catalog::CatalogOptions options;
    options.db_path = ":memory:";
    options.allowed_roots = {std::filesystem::canonical(dir)};
    auto c = catalog::Catalog::Open(options);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c->AddFileLocation((std::filesystem::canonical(dir) / "a.yaml").string()).ok());
    ASSERT_TRUE(c->Refresh().ok());
    auto g = RelationGraph::Load(c->store());
    ASSERT_TRUE(g.ok()) << g.status().message();
    TraverseOptions o;
    o.relation_types = {"dependsOn"};
    auto t = g->Traverse("component:default/a", o);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(Refs(*t), (std::vector<std::string>{"component:default/a@0", "component:default/b@1"}));
    // team-a is not in the catalog: both ownedBy relations dangle.
    EXPECT_EQ(g->Dangling().size(), 2u);
    EXPECT_FALSE(g->InCatalog("group:default/team-a"));
    EXPECT_TRUE(g->InCatalog("component:default/b"));
  }
  std::filesystem::remove_all(dir);
}

// LoadAround reads only the neighbourhood; on it Traverse must answer exactly
// as on the whole graph: every entity and dangling target of the examples
// catalog (a real SQLite file), every direction, several depths and types.
TEST(RelationGraph, LoadAroundTraversesExactlyAsTheWholeGraph) {
  std::random_device rd;
  const auto dir = std::filesystem::temp_directory_path() / ("idp-graph-around-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy(std::filesystem::path(IDP_SOURCE_DIR) / "examples", dir / "examples",
                        std::filesystem::copy_options::recursive);
  {
    catalog::CatalogOptions options;
    options.db_path = (dir / "catalog.db").string();
    options.allow_location_dirs = true;
    options.allowed_roots = {std::filesystem::canonical(dir)};
    auto c = catalog::Catalog::Open(options);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c->AddFileLocation((std::filesystem::canonical(dir) / "examples" / "all.yaml").string()).ok());
    ASSERT_TRUE(c->Refresh().ok());
    auto whole = RelationGraph::Load(c->store());
    ASSERT_TRUE(whole.ok());
    std::vector<std::string> starts = *c->ListRefs();
    for (const Relation& r : whole->Dangling()) starts.push_back(r.target);
    starts.push_back("component:default/not-there");
    ASSERT_GT(starts.size(), 100u);
    std::size_t compared = 0;
    for (const Direction d : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
      for (const std::optional<std::size_t> depth : {std::optional<std::size_t>(1), std::optional<std::size_t>(3),
                                                     std::optional<std::size_t>()}) {
        for (const std::vector<std::string>& types :
             {std::vector<std::string>{}, std::vector<std::string>{"dependsOn", "dependencyOf", "partOf"}}) {
          const TraverseOptions o{types, d, depth};
          for (const std::string& start : starts) {
            auto expected = whole->Traverse(start, o);
            auto around = RelationGraph::LoadAround(c->store(), start, o);
            ASSERT_TRUE(around.ok()) << around.status().message();
            auto actual = around->Traverse(start, o);
            ASSERT_EQ(actual.ok(), expected.ok()) << start;
            if (!expected.ok()) continue;
            ASSERT_EQ(TraversalJson(*actual), TraversalJson(*expected)) << start;
            ++compared;
          }
        }
      }
    }
    EXPECT_GT(compared, 1000u);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace idp::graph
