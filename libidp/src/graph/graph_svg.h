// A traversal drawn as SVG by Graphviz's `dot`, when it is installed (it is
// not a dependency: only `--format svg` needs it).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "graph/relation_graph.h"

namespace idp::graph {

// The first executable `name` in the colon-separated `path_list` (as $PATH).
std::optional<std::string> FindExecutable(std::string_view name, std::string_view path_list);

// Runs `dot -Tsvg` over TraversalDot(t), `dot` looked up in `path_list`
// ($PATH when nullopt). kNotFound when there is no `dot`; kIo when it fails
// (its exit status and stderr in the message).
Result<std::string> TraversalSvg(const Traversal& t, std::optional<std::string_view> path_list = std::nullopt);

}  // namespace idp::graph
