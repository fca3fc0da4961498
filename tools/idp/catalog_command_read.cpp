// `idp catalog get|query|facets|ancestry|export`: reads of a catalog database.
#include <charconv>

#include "catalog_command.h"
#include "store/store_json.h"

namespace idp::cli::catalog_cmd {
namespace {

std::optional<std::size_t> Number(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return n;
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(',', start), s.size());
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Each --filter is one OR-ed set (§10.2).
Result<std::optional<store::EntityFilter>> Filters(const Args& args) { return store::ParseFilters(args.All("--filter")); }

}  // namespace

int RunGet(const Args& args) {
  if (args.positional.size() != 1) return Fail(2, "get wants exactly one REF");
  auto c = OpenCatalog(args, true);
  if (!c) return 2;
  auto e = c->GetByRef(args.positional[0]);
  if (!e.ok()) return Fail(2, e.status().message());
  if (!e->has_value()) return Fail(1, "no entity " + args.positional[0]);
  std::printf("%s\n", ToJsonString(**e).c_str());
  return 0;
}

int RunQuery(const Args& args) {
  if (!args.positional.empty()) return Fail(2, "query takes no positional arguments");
  store::QueryRequest request;
  auto filter = Filters(args);
  if (!filter.ok()) return Fail(2, filter.status().message());
  request.filter = std::move(filter).value();
  for (const std::string& f : args.All("--fields")) {
    for (std::string& one : SplitComma(f)) request.fields.push_back(std::move(one));
  }
  for (const std::string& o : args.All("--order")) {
    const bool desc = o.starts_with('-');
    request.order.push_back({desc ? o.substr(1) : o, desc});
  }
  if (auto text = args.One("--text")) request.full_text = store::FullTextFilter{*text, {}};
  if (args.One("--limit")) {
    request.limit = Number(args.One("--limit"));
    if (!request.limit) return Fail(2, "--limit wants a number");
  }
  if (args.One("--offset")) {
    auto offset = Number(args.One("--offset"));
    if (!offset) return Fail(2, "--offset wants a number");
    request.offset = *offset;
  }
  request.cursor = args.One("--cursor").value_or("");
  auto c = OpenCatalog(args, true);
  if (!c) return 2;
  auto r = c->Query(request);
  if (!r.ok()) return Fail(2, r.status().message());
  const std::string out = store::QueryResultJson(*r);
  std::printf("%s\n", out.c_str());
  return 0;
}

int RunFacets(const Args& args) {
  store::FacetsRequest request;
  request.facets = args.All("--facet");
  if (request.facets.empty() || !args.positional.empty()) return Fail(2, "facets wants --facet KEY (repeatable)");
  auto filter = Filters(args);
  if (!filter.ok()) return Fail(2, filter.status().message());
  request.filter = std::move(filter).value();
  auto c = OpenCatalog(args, true);
  if (!c) return 2;
  auto r = c->Facets(request);
  if (!r.ok()) return Fail(2, r.status().message());
  const std::string out = store::FacetsJson(*r);
  std::printf("%s\n", out.c_str());
  return 0;
}

int RunAncestry(const Args& args) {
  if (args.positional.size() != 1) return Fail(2, "ancestry wants exactly one REF");
  auto c = OpenCatalog(args, true);
  if (!c) return 2;
  auto a = c->GetAncestry(args.positional[0]);
  if (!a.ok()) return Fail(a.status().code() == Code::kNotFound ? 1 : 2, a.status().message());
  std::printf("%s\n", store::AncestryJson(*a).c_str());
  return 0;
}

int RunExport(const Args& args) {
  if (args.One("--format").value_or("jsonl") != "jsonl") return Fail(2, "export supports --format jsonl only");
  if (!args.positional.empty()) return Fail(2, "export takes no positional arguments");
  auto c = OpenCatalog(args, true);
  if (!c) return 2;
  auto refs = c->ListRefs();  // sorted by ref
  if (!refs.ok()) return Fail(2, refs.status().message());
  for (const std::string& ref : *refs) {
    auto e = c->GetByRef(ref);
    if (!e.ok()) return Fail(2, e.status().message());
    if (!e->has_value()) continue;  // removed by a concurrent writer
    std::printf("%s\n", ToJsonString(**e).c_str());
  }
  return 0;
}

}  // namespace idp::cli::catalog_cmd
