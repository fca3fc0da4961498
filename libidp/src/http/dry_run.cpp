#include "http/dry_run.h"

#include <set>
#include <string>
#include <utility>

#include "annotate_location_processor.h"
#include "builtin_kinds_processor.h"
#include "catalog/orchestrator.h"
#include "location_processor.h"
#include "placeholder_processor.h"
#include "url_reader_processor.h"

namespace idp::http {

Result<std::vector<Json>> DryRunLocation(const catalog::LocationSpec& location,
                                         const std::vector<std::filesystem::path>& read_roots,
                                         const catalog::UrlOptions& url, const catalog::CatalogRules& rules) {
  // The engine's built-in processors, in Backstage's order (as the Catalog
  // facade registers them).
  catalog::ProcessorRegistry processors;
  processors.Add(catalog::MakePlaceholderProcessor());
  processors.Add(catalog::MakeBuiltinKindsProcessor());
  processors.Add(catalog::MakeFileReaderProcessor());
  processors.Add(catalog::MakeUrlReaderProcessor());
  processors.Add(catalog::MakeAnnotateLocationProcessor());
  catalog::ProcessingConfig config;
  config.allowed_roots = read_roots;
  config.url = url;
  const catalog::Orchestrator orchestrator(processors, std::move(config), rules);

  std::vector<Json> entities;
  std::set<std::string, std::less<>> seen;
  // A stack: Backstage pops the last pushed entity first.
  std::vector<catalog::UnprocessedEntity> pending;
  pending.push_back(catalog::RegisteredLocation(location));
  while (!pending.empty()) {
    catalog::UnprocessedEntity next = std::move(pending.back());
    pending.pop_back();
    catalog::ProcessingOutput out = orchestrator.Process(next);
    catalog::ProcessedEntity& p = out.processed;
    if (!p.ok) {
      std::string joined;
      for (const catalog::ProcessingError& e : p.errors) {
        if (!joined.empty()) joined += ", ";
        joined += e.name + ": " + e.message;  // String(error) in JavaScript
      }
      return Status(Code::kInvalidArgument, joined);
    }
    if (!seen.insert(p.ref).second) return Status(Code::kInvalidArgument, "Duplicate nested entity: " + p.ref);
    for (catalog::UnprocessedEntity& child : out.children) pending.push_back(std::move(child));
    entities.push_back(std::move(p.entity));
  }
  return entities;
}

}  // namespace idp::http
