#include "catalog/ingestion.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <filesystem>
#include <set>
#include <span>
#include <thread>
#include <unordered_map>

#include "model/entity_ref.h"
#include "validate/location_label.h"

namespace idp::catalog {
namespace {

std::vector<ProcessingOutput> ProcessAll(std::span<const UnprocessedEntity> level,
                                         const Orchestrator& orchestrator, unsigned threads) {
  std::vector<ProcessingOutput> out(level.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < level.size(); i = next++) out[i] = orchestrator.Process(level[i]);
  };
  unsigned n = threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  n = static_cast<unsigned>(std::min<std::size_t>(n, level.size()));
  std::vector<std::jthread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  return out;  // the jthreads join first
}

// One level's entities, each ref once: within one file the later document
// wins, across files the first one seen (here or in an earlier level) wins.
std::vector<UnprocessedEntity> Dedupe(std::vector<UnprocessedEntity> level,
                                      const std::unordered_map<std::string_view, std::string_view>& done,
                                      IngestionReport& report) {
  std::vector<UnprocessedEntity> kept;
  std::unordered_map<std::string, std::size_t> index;
  for (UnprocessedEntity& u : level) {
    const std::string ref = EntityRef(u.entity);
    if (auto d = done.find(ref); d != done.end()) {
      // The same file reached again through another parent is no conflict.
      if (d->second != u.location_key) {
        report.conflicts.push_back(ref + " from " + u.location_key + " (kept from " + std::string(d->second) + ")");
      }
      continue;
    }
    if (auto i = index.find(ref); i != index.end()) {
      UnprocessedEntity& earlier = kept[i->second];
      if (earlier.location_key == u.location_key) {
        // A later document of the same file wins; the same file read via a
        // second parent keeps the first parent (the store links both).
        if (earlier.parent_ref == u.parent_ref) earlier = std::move(u);
      } else {
        report.conflicts.push_back(ref + " from " + u.location_key + " (kept from " +
                                   earlier.location_key + ")");
      }
      continue;
    }
    index.emplace(ref, kept.size());
    kept.push_back(std::move(u));
  }
  return kept;
}

}  // namespace

std::string EntityRef(const JsonValue& entity) {
  const JsonValue& metadata = *FindMember(entity, "metadata");
  const JsonValue* ns = FindMember(metadata, "namespace");
  return model::CanonicalRef(AsView(*FindMember(entity, "kind")),
                             ns && ns->IsString() ? AsView(*ns) : model::kDefaultNamespace,
                             AsView(*FindMember(metadata, "name")));
}

Result<IngestionReport> Ingest(std::span<const LocationSpec> roots, const Orchestrator& orchestrator,
                               const IngestionOptions& options, IngestionState& state,
                               EntitySink& sink) {
  IngestionReport report;
  std::vector<UnprocessedEntity> level;
  for (LocationSpec root : roots) {
    if (root.type == "file" && !root.target.starts_with('/')) {
      std::error_code ec;
      root.target = NodePathNormalize((std::filesystem::current_path(ec) / root.target).string());
    }
    level.push_back(RegisteredLocation(root));
  }
  // ref -> location key. Views: a reused entity's into the orchestrator's
  // previous sources (a refresh reuses nearly all), the others' into `owned`.
  std::unordered_map<std::string_view, std::string_view> done;
  std::deque<std::string> owned;
  std::set<std::string> files_seen;
  std::vector<ProcessedEntity> batch;
  const auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    Status s = sink.Consume(batch);
    batch.clear();
    return s;
  };

  for (std::size_t depth = 0; !level.empty(); ++depth) {
    if (depth == options.max_levels) {
      return Status(Code::kLimit, "location tree deeper than " + std::to_string(options.max_levels));
    }
    level = Dedupe(std::move(level), done, report);
    std::vector<UnprocessedEntity> next;
    // A level is processed a batch at a time: the outputs of one batch (and
    // the inputs they came from) are freed before the next is processed, so
    // memory holds one level's inputs plus one batch, not two whole levels.
    const std::size_t chunk = std::max<std::size_t>(1, options.batch_size);
    std::vector<ProcessingOutput> outputs;
    for (std::size_t i = 0; i < level.size(); ++i) {
      if (i % chunk == 0) {
        outputs = ProcessAll(std::span(level).subspan(i, std::min(chunk, level.size() - i)), orchestrator,
                             options.threads);
      }
      ProcessingOutput& o = outputs[i % chunk];
      {
        const std::string& ref = owned.emplace_back(EntityRef(level[i].entity));
        const std::string& key = owned.emplace_back(level[i].location_key);
        done.emplace(ref, key);
      }
      Json().Swap(level[i].entity);  // processed: its input is no longer needed
      // Entities of unchanged files are stored as they were (this file won
      // them last time, so the store keeps them for it), not processed.
      for (const ReusedEntity& r : o.reused) {
        auto [it, fresh] = done.emplace(r.ref, r.location_key);
        if (!fresh && it->second != r.location_key) {
          report.conflicts.push_back(std::string(r.ref) + " from " + std::string(r.location_key) +
                                     " (kept from " + std::string(it->second) + ")");
        }
        ++report.reused;
      }
      for (SourceRecord& r : o.records) report.sources.push_back(std::move(r));
      report.kept_sources.insert(report.kept_sources.end(), o.kept_records.begin(), o.kept_records.end());
      for (const auto& [ref, hash] : o.sources) {
        const std::string path = ref.starts_with("file:") ? ref.substr(5) : ref;
        files_seen.insert(path);
        std::string& old = state.file_hashes[path];
        if (old != hash) report.changed_files.push_back(path);
        old = hash;
      }
      ++report.processed;
      if (!o.processed.ok) ++report.failed;
      std::string& old_hash = state.result_hashes[o.processed.ref];
      const bool same = old_hash == o.processed.result_hash;
      report.unchanged += same;
      old_hash = o.processed.result_hash;
      for (UnprocessedEntity& child : o.children) next.push_back(std::move(child));
      if (same && options.only_changed) continue;
      batch.push_back(std::move(o.processed));
      if (batch.size() >= options.batch_size) {
        if (Status s = flush(); !s.ok()) return s;
      }
    }
    level = std::move(next);
  }
  if (Status s = flush(); !s.ok()) return s;
  for (auto it = state.file_hashes.begin(); it != state.file_hashes.end();) {
    if (files_seen.contains(it->first)) {
      ++it;
    } else {
      report.removed_files.push_back(it->first);
      it = state.file_hashes.erase(it);
    }
  }
  std::sort(report.changed_files.begin(), report.changed_files.end());
  return report;
}

}  // namespace idp::catalog
