#include "graph/graph_format.h"

#include <gtest/gtest.h>

namespace idp::graph {
namespace {

Traversal Sample() {
  Traversal t;
  t.nodes = {{"component:default/a", 0, true}, {"component:default/\"q\"", 1, false}};
  t.edges = {{"component:default/a", "dependsOn", "component:default/\"q\""}};
  return t;
}

TEST(GraphFormat, Json) {
  EXPECT_EQ(TraversalJson(Sample()),
            R"({"root":"component:default/a","nodes":[{"ref":"component:default/a","depth":0,"inCatalog":true},)"
            R"({"ref":"component:default/\"q\"","depth":1,"inCatalog":false}],"edges":[{"source":"component:default/a",)"
            R"("type":"dependsOn","target":"component:default/\"q\""}]})");
  EXPECT_EQ(TraversalJson({}), R"({"root":null,"nodes":[],"edges":[]})");
}

TEST(GraphFormat, Dot) {
  const std::string dot = TraversalDot(Sample());
  EXPECT_EQ(dot,
            "digraph catalog {\n  rankdir=LR;\n  node [shape=box];\n  \"component:default/a\";\n"
            "  \"component:default/\\\"q\\\"\" [style=dashed];\n"
            "  \"component:default/a\" -> \"component:default/\\\"q\\\"\" [label=\"dependsOn\"];\n}\n");
}

TEST(GraphFormat, Mermaid) {
  EXPECT_EQ(TraversalMermaid(Sample()),
            "flowchart LR\n  n0[\"component:default/a\"]\n  n1[\"component:default/#quot;q#quot;\"]\n"
            "  n0 -->|\"dependsOn\"| n1\n");
}

}  // namespace
}  // namespace idp::graph
