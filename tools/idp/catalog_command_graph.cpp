// `idp catalog graph REF`: a traversal of the relation graph, printed as
// JSON, Graphviz DOT, Mermaid or (with Graphviz installed) SVG.
#include <charconv>

#include "catalog_command.h"
#include "graph/graph_format.h"
#include "graph/graph_svg.h"
#include "graph/relation_graph.h"

namespace idp::cli::catalog_cmd {

int RunGraph(const Args& args) {
  if (args.positional.size() != 1) return Fail(2, "graph wants exactly one REF");
  graph::TraverseOptions options;
  if (auto depth = args.One("--depth")) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(depth->data(), depth->data() + depth->size(), n);
    if (ec != std::errc() || end != depth->data() + depth->size()) return Fail(2, "--depth wants a number");
    options.max_depth = n;
  }
  for (const std::string& list : args.All("--relations")) {
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t end = std::min(list.find(',', start), list.size());
      if (end > start) options.relation_types.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  const std::string direction = args.One("--direction").value_or("out");
  if (direction == "out") options.direction = graph::Direction::kOut;
  else if (direction == "in") options.direction = graph::Direction::kIn;
  else if (direction == "both") options.direction = graph::Direction::kBoth;
  else return Fail(2, "--direction wants out, in or both");
  const std::string format = args.One("--format").value_or("json");
  if (format != "json" && format != "dot" && format != "mermaid" && format != "svg") {
    return Fail(2, "--format wants json, dot, mermaid or svg");
  }
  auto c = OpenCatalog(args, true);
  if (!c) return 2;
  auto g = graph::RelationGraph::LoadAround(c->store(), args.positional[0], options);
  if (!g.ok()) return Fail(2, g.status().message());
  auto t = g->Traverse(args.positional[0], options);
  if (!t.ok()) return Fail(t.status().code() == Code::kNotFound ? 1 : 2, t.status().message());
  if (format == "svg") {
    auto svg = graph::TraversalSvg(*t);
    if (!svg.ok()) return Fail(2, svg.status().message());
    std::fwrite(svg->data(), 1, svg->size(), stdout);
    return 0;
  }
  const std::string out = format == "json" ? graph::TraversalJson(*t) + "\n"
                          : format == "dot" ? graph::TraversalDot(*t)
                                            : graph::TraversalMermaid(*t);
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace idp::cli::catalog_cmd
