#include "graph/relation_graph.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <utility>

#include "model/entity_ref.h"
#include "store/store.h"

namespace idp::graph {

RelationGraph::RelationGraph(std::vector<model::Relation> relations, const std::vector<std::string>& entities,
                             const std::vector<std::string>& other_nodes)
    : relations_(std::move(relations)) {
  std::sort(relations_.begin(), relations_.end());
  relations_.erase(std::unique(relations_.begin(), relations_.end()), relations_.end());
  for (const std::string& ref : entities) known_[Intern(ref)] = true;
  for (const std::string& ref : other_nodes) Intern(ref);
  for (std::size_t i = 0; i < relations_.size(); ++i) {
    const std::size_t from = Intern(relations_[i].source);
    const std::size_t to = Intern(relations_[i].target);
    out_[from].push_back(edges_.size());
    in_[to].push_back(edges_.size());
    edges_.push_back({from, to, i});
  }
}

Result<RelationGraph> RelationGraph::Load(const store::Store& store) {
  Result<std::vector<model::Relation>> relations = store.ListRelations();
  if (!relations.ok()) return relations.status();
  Result<std::vector<std::string>> refs = store.ListRefs();
  if (!refs.ok()) return refs.status();
  return RelationGraph(std::move(relations).value(), *refs);
}

Result<RelationGraph> RelationGraph::LoadAround(const store::Store& store, std::string_view start,
                                                const TraverseOptions& options) {
  // The same breadth-first expansion as Traverse: a node below max_depth
  // contributes every allowed edge in the chosen directions.
  const std::string root = model::JsToLower(start);
  const bool out = options.direction != Direction::kIn, in = options.direction != Direction::kOut;
  std::vector<model::Relation> edges;
  std::unordered_map<std::string, std::size_t> depth{{root, 0}};
  std::vector<std::string> nodes{root};
  std::deque<std::string> queue{root};
  while (!queue.empty()) {
    const std::string node = std::move(queue.front());
    queue.pop_front();
    const std::size_t d = depth[node];
    if (options.max_depth && d >= *options.max_depth) continue;
    Result<std::vector<model::Relation>> step = store.RelationsAt(node, out, in);
    if (!step.ok()) return step.status();
    for (model::Relation& r : *step) {
      if (!options.relation_types.empty() &&
          std::find(options.relation_types.begin(), options.relation_types.end(), r.type) ==
              options.relation_types.end()) {
        continue;
      }
      // A self-relation counts both ways, as in the full graph.
      for (const std::string* next : {&r.source, &r.target}) {
        if (depth.emplace(*next, d + 1).second) {
          nodes.push_back(*next);
          queue.push_back(*next);
        }
      }
      edges.push_back(std::move(r));
    }
  }
  Result<std::vector<std::string>> known = store.ExistingRefs(nodes);
  if (!known.ok()) return known.status();
  // The start must exist as an entity or a relation target, as in Load()'s graph.
  std::vector<std::string> extra;
  if (std::find(known->begin(), known->end(), root) == known->end()) {
    bool target = std::any_of(edges.begin(), edges.end(), [&](const model::Relation& r) { return r.target == root; });
    if (!target) {
      Result<std::vector<model::Relation>> incoming = store.RelationsAt(root, false, true);
      if (!incoming.ok()) return incoming.status();
      target = !incoming->empty();
    }
    if (!target) return RelationGraph({}, {});  // Traverse: kNotFound
    extra.push_back(root);
  }
  return RelationGraph(std::move(edges), *known, extra);
}

std::size_t RelationGraph::Intern(const std::string& ref) {
  auto [it, added] = ids_.emplace(ref, names_.size());
  if (added) {
    names_.push_back(ref);
    known_.push_back(false);
    out_.emplace_back();
    in_.emplace_back();
  }
  return it->second;
}

std::optional<std::size_t> RelationGraph::Find(std::string_view ref) const {
  auto it = ids_.find(model::JsToLower(ref));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

bool RelationGraph::InCatalog(std::string_view ref) const {
  const auto id = Find(ref);
  return id && known_[*id];
}

bool RelationGraph::TypeAllowed(const std::string& type, const std::vector<std::string>& types) const {
  return types.empty() || std::find(types.begin(), types.end(), type) != types.end();
}

template <typename F>
void RelationGraph::ForEachStep(std::size_t node, const TraverseOptions& options, F&& f) const {
  if (options.direction != Direction::kIn) {
    for (std::size_t e : out_[node]) {
      if (TypeAllowed(relations_[edges_[e].relation].type, options.relation_types)) f(e, edges_[e].to);
    }
  }
  if (options.direction != Direction::kOut) {
    for (std::size_t e : in_[node]) {
      if (TypeAllowed(relations_[edges_[e].relation].type, options.relation_types)) f(e, edges_[e].from);
    }
  }
}

Result<Traversal> RelationGraph::Traverse(std::string_view start, const TraverseOptions& options) const {
  const auto root = Find(start);
  if (!root) return Status(Code::kNotFound, "No such entity " + model::JsToLower(start));
  std::vector<std::size_t> depth(names_.size(), SIZE_MAX);
  std::vector<bool> edge_used(edges_.size(), false);
  std::deque<std::size_t> queue{*root};
  depth[*root] = 0;
  Traversal out;
  while (!queue.empty()) {
    const std::size_t node = queue.front();
    queue.pop_front();
    out.nodes.push_back({names_[node], depth[node], known_[node]});
    if (options.max_depth && depth[node] >= *options.max_depth) continue;
    ForEachStep(node, options, [&](std::size_t e, std::size_t next) {
      edge_used[e] = true;
      if (depth[next] != SIZE_MAX) return;
      depth[next] = depth[node] + 1;
      queue.push_back(next);
    });
  }
  for (std::size_t e = 0; e < edges_.size(); ++e) {
    if (edge_used[e]) out.edges.push_back(relations_[edges_[e].relation]);
  }
  return out;
}

std::vector<std::vector<std::string>> RelationGraph::Cycles(const std::vector<std::string>& relation_types) const {
  // Tarjan's strongly connected components, iterative (deep dependency
  // chains must not exhaust the stack).
  const std::size_t n = names_.size();
  constexpr std::size_t kUnvisited = SIZE_MAX;
  std::vector<std::size_t> index(n, kUnvisited), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  std::vector<std::vector<std::string>> cycles;
  std::size_t counter = 0;
  struct Frame {
    std::size_t node;
    std::size_t next_edge;
  };
  for (std::size_t s = 0; s < n; ++s) {
    if (index[s] != kUnvisited) continue;
    std::vector<Frame> frames{{s, 0}};
    index[s] = low[s] = counter++;
    stack.push_back(s);
    on_stack[s] = true;
    while (!frames.empty()) {
      Frame& f = frames.back();
      const std::size_t v = f.node;
      if (f.next_edge < out_[v].size()) {
        const Edge& e = edges_[out_[v][f.next_edge++]];
        if (!TypeAllowed(relations_[e.relation].type, relation_types)) continue;
        if (index[e.to] == kUnvisited) {
          index[e.to] = low[e.to] = counter++;
          stack.push_back(e.to);
          on_stack[e.to] = true;
          frames.push_back({e.to, 0});
        } else if (on_stack[e.to]) {
          low[v] = std::min(low[v], index[e.to]);
        }
        continue;
      }
      frames.pop_back();
      if (!frames.empty()) low[frames.back().node] = std::min(low[frames.back().node], low[v]);
      if (low[v] != index[v]) continue;
      std::vector<std::string> component;
      std::size_t w = 0;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component.push_back(names_[w]);
      } while (w != v);
      bool self_loop = false;
      for (std::size_t ei : out_[v]) {
        self_loop |= edges_[ei].to == v && TypeAllowed(relations_[edges_[ei].relation].type, relation_types);
      }
      if (component.size() > 1 || self_loop) {
        std::sort(component.begin(), component.end());
        cycles.push_back(std::move(component));
      }
    }
  }
  std::sort(cycles.begin(), cycles.end());
  return cycles;
}

std::vector<model::Relation> RelationGraph::Dangling() const {
  std::vector<model::Relation> out;
  for (const Edge& e : edges_) {
    if (!known_[e.to]) out.push_back(relations_[e.relation]);
  }
  return out;  // relations_ is sorted, edges_ follow it
}

Result<std::optional<std::vector<model::Relation>>> RelationGraph::ShortestPath(
    std::string_view from, std::string_view to, const TraverseOptions& options) const {
  const auto a = Find(from);
  if (!a) return Status(Code::kNotFound, "No such entity " + model::JsToLower(from));
  const auto b = Find(to);
  if (!b) return Status(Code::kNotFound, "No such entity " + model::JsToLower(to));
  constexpr std::size_t kNone = SIZE_MAX;
  std::vector<std::size_t> via(names_.size(), kNone);  // edge that reached the node
  std::vector<std::size_t> depth(names_.size(), kNone);
  std::deque<std::size_t> queue{*a};
  depth[*a] = 0;
  while (!queue.empty() && depth[*b] == kNone) {
    const std::size_t node = queue.front();
    queue.pop_front();
    if (options.max_depth && depth[node] >= *options.max_depth) continue;
    ForEachStep(node, options, [&](std::size_t e, std::size_t next) {
      if (depth[next] != kNone) return;
      depth[next] = depth[node] + 1;
      via[next] = e;
      queue.push_back(next);
    });
  }
  if (depth[*b] == kNone) return std::optional<std::vector<model::Relation>>();
  std::vector<model::Relation> path;
  for (std::size_t node = *b; node != *a;) {
    const Edge& e = edges_[via[node]];
    path.push_back(relations_[e.relation]);
    node = e.to == node ? e.from : e.to;
  }
  std::reverse(path.begin(), path.end());
  return std::optional<std::vector<model::Relation>>(std::move(path));
}

}  // namespace idp::graph
