// The catalog as a graph, beyond what Backstage serves: transitive traversal
// along chosen relation types, cycle detection, dangling references and
// shortest paths. Built once from the store's relations (one read), then
// immutable: every query is const and safe from many threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "model/relation.h"

namespace idp::store {
class Store;
}

namespace idp::graph {

// kOut follows source -> target (what `ref` depends on); kIn follows the
// edges backwards (who depends on `ref`: impact analysis); kBoth either way.
enum class Direction { kOut, kIn, kBoth };

struct TraverseOptions {
  std::vector<std::string> relation_types;  // empty: every type
  Direction direction = Direction::kOut;
  std::optional<std::size_t> max_depth;     // none: until nothing new
};

struct TraversedNode {
  std::string ref;
  std::size_t depth = 0;    // hops from the start (shortest)
  bool in_catalog = false;  // false: only known as a relation target (dangling)
};

struct Traversal {
  std::vector<TraversedNode> nodes;       // the start first, then breadth-first
  std::vector<model::Relation> edges;     // as stored (source -> target), each once, sorted
};

class RelationGraph {
 public:
  // `relations`: source/type/target; `entities`: the refs in the catalog;
  // `other_nodes`: refs known only as relation targets that no relation here
  // mentions.
  RelationGraph(std::vector<model::Relation> relations, const std::vector<std::string>& entities,
                const std::vector<std::string>& other_nodes = {});
  // One read of the store's relations and refs.
  static Result<RelationGraph> Load(const store::Store& store);
  // Only what Traverse(start, options) visits, read step by step through the
  // store's indices: on it, Traverse gives exactly what it gives on Load()'s
  // graph, at a cost that grows with the neighbourhood, not the catalog.
  static Result<RelationGraph> LoadAround(const store::Store& store, std::string_view start,
                                          const TraverseOptions& options);

  bool InCatalog(std::string_view ref) const;
  std::size_t EdgeCount() const { return edges_.size(); }

  // Breadth-first from `start` (any case); kNotFound when `start` is neither
  // an entity nor a relation target.
  Result<Traversal> Traverse(std::string_view start, const TraverseOptions& options) const;

  // Strongly connected components with a cycle along `relation_types`
  // (empty: every type; note every built-in relation has its inverse, so
  // cycles only mean something for a chosen set like dependsOn). Each cycle's
  // refs sorted; cycles sorted.
  std::vector<std::vector<std::string>> Cycles(const std::vector<std::string>& relation_types) const;

  // Relations whose target is not in the catalog, sorted.
  std::vector<model::Relation> Dangling() const;

  // The fewest-hops chain of relations from `from` to `to` (edges as stored;
  // with kIn/kBoth an edge may point backwards along the path). nullopt: no
  // path. kNotFound: an endpoint is unknown.
  Result<std::optional<std::vector<model::Relation>>> ShortestPath(std::string_view from, std::string_view to,
                                                                   const TraverseOptions& options) const;

 private:
  struct Edge {
    std::size_t from = 0;
    std::size_t to = 0;
    std::size_t relation = 0;  // index into relations_
  };
  std::optional<std::size_t> Find(std::string_view ref) const;
  std::size_t Intern(const std::string& ref);
  // Edges usable from `node` under `options`: (edge index, neighbour).
  template <typename F>
  void ForEachStep(std::size_t node, const TraverseOptions& options, F&& f) const;
  bool TypeAllowed(const std::string& type, const std::vector<std::string>& types) const;

  std::vector<model::Relation> relations_;
  std::vector<std::string> names_;
  std::vector<bool> known_;
  std::unordered_map<std::string, std::size_t> ids_;
  std::vector<Edge> edges_;
  std::vector<std::vector<std::size_t>> out_;  // node -> edge indices, in relation order
  std::vector<std::vector<std::size_t>> in_;
};

}  // namespace idp::graph
