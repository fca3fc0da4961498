#include "graph/graph_format.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>

#include "store/store_json.h"

namespace idp::graph {
namespace {

std::string DotQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Mermaid labels are quoted; a quote inside must be an entity.
std::string MermaidLabel(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += "#quot;";
    else out += c;
  }
  return out + "\"";
}

}  // namespace

std::string TraversalJson(const Traversal& t) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("root");
  if (t.nodes.empty()) w.Null();
  else w.String(t.nodes.front().ref);
  w.Key("nodes");
  w.StartArray();
  for (const TraversedNode& n : t.nodes) {
    w.StartObject();
    w.Key("ref");
    w.String(n.ref);
    w.Key("depth");
    w.Uint64(n.depth);
    w.Key("inCatalog");
    w.Bool(n.in_catalog);
    w.EndObject();
  }
  w.EndArray();
  w.Key("edges");
  w.StartArray();
  for (const model::Relation& r : t.edges) {
    w.StartObject();
    w.Key("source");
    w.String(r.source);
    w.Key("type");
    w.String(r.type);
    w.Key("target");
    w.String(r.target);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string RelationsJson(const std::vector<model::Relation>& relations) {
  std::string json = "[";
  for (std::size_t i = 0; i < relations.size(); ++i) {
    const model::Relation& r = relations[i];
    json += std::string(i ? "," : "") + "{\"source\":" + store::QuoteJson(r.source) + ",\"type\":" +
            store::QuoteJson(r.type) + ",\"target\":" + store::QuoteJson(r.target) + "}";
  }
  return json + "]";
}

std::string PathJson(const std::optional<std::vector<model::Relation>>& path) {
  return "{\"path\":" + (path ? RelationsJson(*path) : std::string("null")) + "}";
}

std::string CyclesJson(const std::vector<std::vector<std::string>>& cycles) {
  std::string json = "{\"cycles\":[";
  for (std::size_t i = 0; i < cycles.size(); ++i) json += (i ? "," : "") + store::StringsJson(cycles[i]);
  return json + "]}";
}

std::string TraversalDot(const Traversal& t) {
  std::string out = "digraph catalog {\n  rankdir=LR;\n  node [shape=box];\n";
  for (const TraversedNode& n : t.nodes) {
    out += "  " + DotQuote(n.ref);
    if (!n.in_catalog) out += " [style=dashed]";
    out += ";\n";
  }
  for (const model::Relation& r : t.edges) {
    out += "  " + DotQuote(r.source) + " -> " + DotQuote(r.target) + " [label=" + DotQuote(r.type) + "];\n";
  }
  return out + "}\n";
}

std::string TraversalMermaid(const Traversal& t) {
  std::map<std::string, std::string> ids;
  std::string out = "flowchart LR\n";
  for (const TraversedNode& n : t.nodes) {
    const std::string id = "n" + std::to_string(ids.size());
    ids.emplace(n.ref, id);
    out += "  " + id + "[" + MermaidLabel(n.ref) + "]\n";
  }
  for (const model::Relation& r : t.edges) {
    out += "  " + ids.at(r.source) + " -->|" + MermaidLabel(r.type) + "| " + ids.at(r.target) + "\n";
  }
  return out;
}

}  // namespace idp::graph
