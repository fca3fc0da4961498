// `idp catalog graph REF`: a traversal of the relation graph, printed as
// JSON, Graphviz DOT, Mermaid or (with Graphviz installed) SVG; `path`,
// `cycles` and `dangling`: the graph's other queries, as JSON.
#include <charconv>
#include <optional>

#include "catalog_command.h"
#include "graph/graph_format.h"
#include "graph/graph_svg.h"
#include "graph/relation_graph.h"

namespace idp::cli::catalog_cmd {

namespace {

// --depth, --relations and --direction; false (after the message) when one is bad.
bool ReadOptions(const Args& args, graph::TraverseOptions& options) {
  if (auto depth = args.One("--depth")) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(depth->data(), depth->data() + depth->size(), n);
    if (ec != std::errc() || end != depth->data() + depth->size()) {
      Fail(2, "--depth wants a number");
      return false;
    }
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
  else {
    Fail(2, "--direction wants out, in or both");
    return false;
  }
  return true;
}

// The whole relation graph of --db (after the message: nullopt).
std::optional<graph::RelationGraph> WholeGraph(const Args& args) {
  auto c = OpenCatalog(args, true);
  if (!c) return std::nullopt;
  auto g = graph::RelationGraph::Load(c->store());
  if (!g.ok()) {
    Fail(2, g.status().message());
    return std::nullopt;
  }
  return std::move(g).value();
}

}  // namespace

int RunGraph(const Args& args) {
  if (args.positional.size() != 1) return Fail(2, "graph wants exactly one REF");
  graph::TraverseOptions options;
  if (!ReadOptions(args, options)) return 2;
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

int RunPath(const Args& args) {
  if (args.positional.size() != 2) return Fail(2, "path wants FROM and TO");
  graph::TraverseOptions options;
  if (!ReadOptions(args, options)) return 2;
  auto g = WholeGraph(args);
  if (!g) return 2;
  auto p = g->ShortestPath(args.positional[0], args.positional[1], options);
  if (!p.ok()) return Fail(p.status().code() == Code::kNotFound ? 1 : 2, p.status().message());
  std::printf("%s\n", graph::PathJson(*p).c_str());
  return p->has_value() ? 0 : 1;
}

int RunCycles(const Args& args) {
  if (!args.positional.empty()) return Fail(2, "cycles takes no arguments (choose --relations, e.g. dependsOn)");
  graph::TraverseOptions options;
  if (!ReadOptions(args, options)) return 2;
  auto g = WholeGraph(args);
  if (!g) return 2;
  const auto cycles = g->Cycles(options.relation_types);
  std::printf("%s\n", graph::CyclesJson(cycles).c_str());
  return cycles.empty() ? 0 : 1;
}

int RunDangling(const Args& args) {
  if (!args.positional.empty()) return Fail(2, "dangling takes no arguments");
  auto g = WholeGraph(args);
  if (!g) return 2;
  const auto dangling = g->Dangling();
  std::printf("{\"relations\":%s}\n", graph::RelationsJson(dangling).c_str());
  return dangling.empty() ? 0 : 1;
}

}  // namespace idp::cli::catalog_cmd
