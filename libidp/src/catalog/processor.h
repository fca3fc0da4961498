// The processor extension point: Backstage's CatalogProcessor in C++
// (spec/catalog.md §1 step 5). Every hook is optional; the built-in
// processors (catalog-processors/) use exactly this interface, as a user's
// processor does. Hooks may run concurrently on different entities, so a
// processor must not keep per-entity state in itself.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/processed_entity.h"
#include "catalog/url.h"
#include "core/json.h"
#include "model/relation.h"
#include "yaml/yaml_stream.h"

namespace idp::catalog {

// `<type>:<target>`, as Backstage's LocationSpec.
struct LocationSpec {
  std::string type;
  std::string target;
  std::string Ref() const { return type + ":" + target; }
  bool operator==(const LocationSpec&) const = default;
};

// What a hook "throws": the JavaScript error class and message. The
// orchestrator wraps it the way Backstage does ("Processor <name> threw an
// error while preprocessing; caused by <name>: <message>").
struct Thrown {
  std::string name = "Error";
  std::string message;
};

// A yes/no hook answer (kind recognised, location handled) or a throw.
struct HookAnswer {
  bool yes = false;
  std::optional<Thrown> thrown;
  static HookAnswer Yes() { return {true, std::nullopt}; }
  static HookAnswer No() { return {false, std::nullopt}; }
  static HookAnswer Throw(std::string name, std::string message) {
    return {false, Thrown{std::move(name), std::move(message)}};
  }
};

// Where hooks send what they produce (Backstage's CatalogProcessorEmit).
class Emitter {
 public:
  virtual ~Emitter() = default;
  // An entity read from `location` (the file / URL it came from). It gets the
  // managed-by annotations and becomes a child of the entity being processed.
  virtual void Entity(const LocationSpec& location, const JsonValue& entity) = 0;
  // A location to register: becomes a generated Location entity child.
  virtual void Location(const LocationSpec& location) = 0;
  virtual void Relation(const model::Relation& relation) = 0;
  // A processing error; it makes the entity being processed fail.
  virtual void Error(const LocationSpec& location, ProcessingError error) = 0;
  virtual void Refresh(std::string key) = 0;
  // A reader read `content` for `location` (file change detection). false:
  // the content is unchanged since the last refresh and its entities are
  // known already; the reader must not parse or emit them.
  virtual bool SourceRead(const LocationSpec& location, std::string_view content) = 0;
  // Asked before reading: true when the emitter knows `location` (a file) is
  // unchanged since the last refresh by its size and modification time and
  // has its entities already; the reader then neither reads nor emits it.
  virtual bool SourceUnchanged(const LocationSpec& location) {
    (void)location;
    return false;
  }
};

class RealDirCache;  // catalog/allowed_roots.h

// Configuration every hook may consult.
struct ProcessingConfig {
  // Location types a Location may point at besides its own (Backstage's
  // allowedLocationTypes default).
  std::vector<std::string> allowed_location_types = {"url"};
  // Absolute directories file targets and file placeholders must stay in.
  // Empty: nothing may be read from files.
  std::vector<std::filesystem::path> allowed_roots;
  yaml::Limits yaml_limits;
  // What `url` targets may be read, and how long and how much.
  UrlOptions url;
  // What the last refresh read (null: read and process everything).
  std::shared_ptr<const SourceIndex> previous_sources;
  // Directories resolved during this refresh (null: resolve every time).
  std::shared_ptr<RealDirCache> real_dirs;
};

// The entity being processed: where it was read from and its origin.
struct ProcessContext {
  const LocationSpec& location;
  const LocationSpec& origin;
  const ProcessingConfig& config;
};

// What a reader needs beyond the location.
struct ReadContext {
  const ProcessingConfig& config;
  // Location keys ("file:/a/b.yaml") of the files on the path from the
  // registered root to the Location being processed: reading one of them
  // again is a cycle.
  std::span<const std::string> ancestry;
};

class Processor {
 public:
  virtual ~Processor() = default;
  virtual std::string Name() const = 0;

  // May rewrite `entity` (allocated from `allocator`).
  virtual std::optional<Thrown> PreProcessEntity(JsonValue& entity, JsonAllocator& allocator,
                                                 const ProcessContext& context, Emitter& emit) {
    (void)entity, (void)allocator, (void)context, (void)emit;
    return std::nullopt;
  }
  // yes: this processor recognises kind+apiVersion and the entity is valid.
  virtual HookAnswer ValidateEntityKind(const JsonValue& entity) {
    (void)entity;
    return HookAnswer::No();
  }
  // yes: this processor handles `location.type` (whatever the outcome;
  // problems are emitted as errors). `optional`: presence: optional.
  virtual HookAnswer ReadLocation(const LocationSpec& location, bool optional,
                                  const ReadContext& context, Emitter& emit) {
    (void)location, (void)optional, (void)context, (void)emit;
    return HookAnswer::No();
  }
  virtual std::optional<Thrown> PostProcessEntity(JsonValue& entity, JsonAllocator& allocator,
                                                  const ProcessContext& context, Emitter& emit) {
    (void)entity, (void)allocator, (void)context, (void)emit;
    return std::nullopt;
  }
};

// The processors in the order their hooks run. Read-only while processing.
class ProcessorRegistry {
 public:
  void Add(std::unique_ptr<Processor> processor) { processors_.push_back(std::move(processor)); }
  std::span<const std::unique_ptr<Processor>> All() const { return processors_; }
  std::size_t size() const { return processors_.size(); }

 private:
  std::vector<std::unique_ptr<Processor>> processors_;
};

// A ProcessingError as Backstage serialises a wrapped error: the message
// carries "; caused by <cause>" as @backstage/errors' CustomErrorBase does.
ProcessingError MakeError(std::string name, std::string message);
ProcessingError WrapError(std::string name, std::string message, const Thrown& cause);

}  // namespace idp::catalog
