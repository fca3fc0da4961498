// A traversal written out for people and tools: JSON, Graphviz DOT, Mermaid.
#pragma once

#include <string>

#include "graph/relation_graph.h"

namespace idp::graph {

// {"root","nodes":[{"ref","depth","inCatalog"}],"edges":[{"source","type","target"}]}
std::string TraversalJson(const Traversal& t);
// `digraph catalog { ... }`, one labelled edge per relation; dangling nodes dashed.
std::string TraversalDot(const Traversal& t);
// `flowchart LR` with nodes n0, n1, ... labelled by ref.
std::string TraversalMermaid(const Traversal& t);

}  // namespace idp::graph
