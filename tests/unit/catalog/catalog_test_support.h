// Temp-dir catalog trees and an in-memory sink for the catalog tests.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/ingestion.h"
#include "catalog/orchestrator.h"
#include "catalog/processor.h"
#include "location_processor.h"

namespace idp::catalog::test {

// A fresh directory, removed on destruction.
class TempTree {
 public:
  TempTree();
  ~TempTree();
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const std::filesystem::path& root() const { return root_; }
  std::string Write(const std::string& relative, const std::string& text) const;  // absolute path

 private:
  std::filesystem::path root_;
};

class VectorSink final : public EntitySink {
 public:
  Status Consume(std::span<ProcessedEntity> batch) override;
  std::vector<ProcessedEntity> all;
  const ProcessedEntity* Find(const std::string& ref) const;
};

// The built-ins in Backstage's order, plus `extra` at the end.
ProcessorRegistry BuiltinRegistry(FileReaderOptions reader = {});

struct Ingested {
  IngestionReport report;
  VectorSink sink;
};

// Ingests `roots` (files of `tree`) with `tree.root()` as the allowed root.
Ingested IngestTree(const TempTree& tree, const std::vector<std::string>& roots,
                    const ProcessorRegistry& registry, CatalogRules rules = {},
                    IngestionState* state = nullptr, IngestionOptions options = {});

// All error messages of `p`, joined by " | ".
std::string Errors(const ProcessedEntity& p);
std::string Annotation(const ProcessedEntity& p, const std::string& key);

}  // namespace idp::catalog::test
