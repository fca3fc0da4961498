#include "catalog_test_support.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "annotate_location_processor.h"
#include "builtin_kinds_processor.h"
#include "placeholder_processor.h"

namespace idp::catalog::test {

TempTree::TempTree() {
  std::random_device rd;
  root_ = std::filesystem::temp_directory_path() /
          ("idp-catalog-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(root_);
  root_ = std::filesystem::canonical(root_);
}

TempTree::~TempTree() {
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

std::string TempTree::Write(const std::string& relative, const std::string& text) const {
  const std::filesystem::path p = root_ / relative;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

Status VectorSink::Consume(std::span<ProcessedEntity> batch) {
  for (ProcessedEntity& p : batch) all.push_back(std::move(p));
  return Status::Ok();
}

const ProcessedEntity* VectorSink::Find(const std::string& ref) const {
  for (const ProcessedEntity& p : all) {
    if (p.ref == ref) return &p;
  }
  return nullptr;
}

ProcessorRegistry BuiltinRegistry(FileReaderOptions reader) {
  ProcessorRegistry r;
  r.Add(MakePlaceholderProcessor());
  r.Add(MakeBuiltinKindsProcessor());
  r.Add(MakeFileReaderProcessor(std::move(reader)));
  r.Add(MakeAnnotateLocationProcessor());
  return r;
}

Ingested IngestTree(const TempTree& tree, const std::vector<std::string>& roots,
                    const ProcessorRegistry& registry, CatalogRules rules, IngestionState* state,
                    IngestionOptions options) {
  ProcessingConfig config;
  config.allowed_roots = {tree.root()};
  const Orchestrator orchestrator(registry, config, std::move(rules));
  std::vector<LocationSpec> specs;
  for (const std::string& r : roots) specs.push_back({"file", (tree.root() / r).string()});
  IngestionState local;
  Ingested out;
  Result<IngestionReport> report =
      Ingest(specs, orchestrator, options, state ? *state : local, out.sink);
  EXPECT_TRUE(report.ok()) << report.status().message();
  if (report.ok()) out.report = std::move(report.value());
  return out;
}

std::string Errors(const ProcessedEntity& p) {
  std::string out;
  for (const ProcessingError& e : p.errors) {
    if (!out.empty()) out += " | ";
    out += e.name + ": " + e.message;
  }
  return out;
}

std::string Annotation(const ProcessedEntity& p, const std::string& key) {
  if (!p.ok) return "<not ok>";
  const JsonValue* a = FindMember(p.entity["metadata"], "annotations");
  const JsonValue* v = a ? FindMember(*a, key) : nullptr;
  return v && v->IsString() ? std::string(AsView(*v)) : "<absent>";
}

}  // namespace idp::catalog::test
