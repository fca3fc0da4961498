// A traversal written out for people and tools: JSON, Graphviz DOT, Mermaid.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/relation_graph.h"

namespace idp::graph {

// {"root","nodes":[{"ref","depth","inCatalog"}],"edges":[{"source","type","target"}]}
std::string TraversalJson(const Traversal& t);
// `digraph catalog { ... }`, one labelled edge per relation; dangling nodes dashed.
std::string TraversalDot(const Traversal& t);
// [{"source","type","target"}, ...]
std::string RelationsJson(const std::vector<model::Relation>& relations);
// {"path": [relations] | null}
std::string PathJson(const std::optional<std::vector<model::Relation>>& path);
// {"cycles": [["ref", ...], ...]}
std::string CyclesJson(const std::vector<std::vector<std::string>>& cycles);
// `flowchart LR` with nodes n0, n1, ... labelled by ref.
std::string TraversalMermaid(const Traversal& t);

}  // namespace idp::graph
