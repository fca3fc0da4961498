// Times the catalog engine's phases in-process, so the figures are the
// engine's and not process start-up:
//
//   idp_catalog_bench ingest  DB ROOT.yaml   fresh file -> fully stitched
//   idp_catalog_bench refresh DB             refresh of every registered location
//   idp_catalog_bench impact  DB REF [DEPTH [TYPES]]  graph load + incoming traversal
//
// Prints one line of `key=value` figures on stdout.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "catalog/catalog.h"
#include "graph/graph_format.h"
#include "graph/relation_graph.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "idp_catalog_bench: %s\n", message.c_str());
  return 1;
}

idp::Result<idp::catalog::Catalog> Open(const char* db) {
  idp::catalog::CatalogOptions options;
  options.db_path = db;
  options.allow_location_dirs = true;
  return idp::catalog::Catalog::Open(std::move(options));
}

int Report(const char* what, const idp::Result<idp::catalog::RefreshReport>& r, double ms) {
  if (!r.ok()) return Fail(r.status().message());
  std::printf("%s ms=%.1f processed=%zu reused=%zu failed=%zu written=%zu stitched=%zu deleted=%zu "
              "entities_per_s=%.0f | load=%.1f process=%.1f orphans=%.1f stitch=%.1f save=%.1f\n",
              what, ms, r->processed, r->reused, r->failed, r->written, r->stitched, r->deleted.size(),
              ms > 0 ? static_cast<double>(r->processed + r->reused) * 1000.0 / ms : 0.0, r->ms.load,
              r->ms.process, r->ms.orphans, r->ms.stitch, r->ms.save);
  return r->failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Fail("usage: idp_catalog_bench ingest DB ROOT | refresh DB | impact DB REF [DEPTH]");
  const std::string mode = argv[1];
  const auto start = Clock::now();
  auto c = Open(argv[2]);
  if (!c.ok()) return Fail(c.status().message());
  if (mode == "ingest" && argc == 4) {
    auto added = c->AddFileLocation(argv[3]);
    if (!added.ok()) return Fail(added.status().message());
    auto r = c->Refresh();
    return Report("ingest", r, Ms(start));
  }
  if (mode == "refresh" && argc == 3) {
    auto r = c->Refresh();
    return Report("refresh", r, Ms(start));
  }
  if (mode == "impact" && argc >= 4) {
    const auto load_start = Clock::now();
    auto g = idp::graph::RelationGraph::Load(c->store());
    if (!g.ok()) return Fail(g.status().message());
    const double load_ms = Ms(load_start);
    idp::graph::TraverseOptions o;
    o.direction = idp::graph::Direction::kIn;
    o.max_depth = argc >= 5 ? std::strtoul(argv[4], nullptr, 10) : 3;
    if (argc >= 6) {  // comma-separated relation types
      std::string types = argv[5];
      for (std::size_t pos = 0; pos <= types.size();) {
        const std::size_t end = std::min(types.find(',', pos), types.size());
        if (end > pos) o.relation_types.push_back(types.substr(pos, end - pos));
        pos = end + 1;
      }
    }
    const auto q_start = Clock::now();
    auto t = g->Traverse(argv[3], o);
    const double q_ms = Ms(q_start);
    if (!t.ok()) return Fail(t.status().message());
    // The query as the CLI, the C ABI and idp-server run it: only the
    // neighbourhood read through the store's indices, then the traversal.
    const auto around_start = Clock::now();
    auto near = idp::graph::RelationGraph::LoadAround(c->store(), argv[3], o);
    if (!near.ok()) return Fail(near.status().message());
    auto t2 = near->Traverse(argv[3], o);
    const double around_ms = Ms(around_start);
    if (!t2.ok()) return Fail(t2.status().message());
    std::printf("impact query_ms=%.3f (neighbourhood read + traversal) | whole graph: load_ms=%.1f "
                "traversal_ms=%.3f | nodes=%zu edges=%zu graph_edges=%zu same=%s\n",
                around_ms, load_ms, q_ms, t->nodes.size(), t->edges.size(), g->EdgeCount(),
                idp::graph::TraversalJson(*t) == idp::graph::TraversalJson(*t2) ? "yes" : "NO");
    return 0;
  }
  return Fail("unknown mode or wrong arguments: " + mode);
}
