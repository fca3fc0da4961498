#include "catalog/orchestrator.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "catalog/allowed_roots.h"
#include "catalog/location_entity.h"
#include "core/sha1.h"
#include "model/entity_ref.h"
#include "model/entity_rules.h"
#include "validate/location_annotations.h"
#include "validate/location_label.h"

namespace idp::catalog {
namespace {

// A step failed the way a thrown error does in Backstage: processing stops.
struct Fatal {
  ProcessingError error;
};

std::string RefOf(const JsonValue& entity) {
  const JsonValue* metadata = FindMember(entity, "metadata");
  const JsonValue* ns = metadata ? FindMember(*metadata, "namespace") : nullptr;
  return model::CanonicalRef(AsView(*FindMember(entity, "kind")),
                             ns && ns->IsString() ? AsView(*ns) : model::kDefaultNamespace,
                             AsView(*FindMember(*metadata, "name")));
}

std::string_view Annotation(const JsonValue& entity, std::string_view key) {
  const JsonValue* metadata = FindMember(entity, "metadata");
  const JsonValue* annotations = metadata ? FindMember(*metadata, "annotations") : nullptr;
  const JsonValue* value = annotations && annotations->IsObject() ? FindMember(*annotations, key)
                                                                  : nullptr;
  return value && value->IsString() ? AsView(*value) : std::string_view();
}

// The envelope check's error as validateEntityEnvelope throws it.
Thrown EnvelopeThrown(const std::string& message) {
  const bool plain = message.starts_with("metadata.annotations must be a valid object");
  return {plain ? "Error" : "TypeError", message};
}

// Backstage's ProcessorOutputCollector for one entity being processed.
class Collector final : public Emitter {
 public:
  Collector(const UnprocessedEntity& parent, std::string parent_ref, const ProcessingConfig& config)
      : parent_(parent), parent_ref_(std::move(parent_ref)), config_(config) {}

  void Entity(const LocationSpec& location, const JsonValue& entity) override {
    if (std::vector<model::Problem> p = model::CheckEnvelope(entity); !p.empty()) {
      const Thrown t = EnvelopeThrown(p.front().message);
      errors.push_back(MakeError(t.name, t.message));
      return;
    }
    const std::string ref = RefOf(entity);
    if (ref == parent_ref_) return;  // the input re-emitted: Backstage ignores it
    UnprocessedEntity child;
    child.entity.CopyFrom(entity, child.entity.GetAllocator());
    const std::string location_ref = location.Ref();
    StampLocationAnnotations(child.entity, location_ref, child.entity.GetAllocator());
    SetOrigin(child.entity);
    child.location_key = location_ref;
    child.parent_ref = parent_ref_;
    child.ancestry = parent_.ancestry;
    if (child.ancestry.empty() || child.ancestry.back() != location_ref) {
      child.ancestry.push_back(location_ref);
    }
    child_refs.push_back(ref);
    if (SourceRecord* r = Current(location_ref)) {
      r->refs.push_back(ref);
      if (AsView(child.entity["kind"]) == "Location") r->locations.push_back(ToJsonString(child.entity));
    }
    children.push_back(std::move(child));
  }

  void Location(const LocationSpec& location) override {
    current_reusable_ = false;
    const std::string_view own = Annotation(parent_.entity, kAnnotationLocation);
    UnprocessedEntity child;
    child.entity = GeneratedLocationEntity(location, own, Origin());
    child.location_key = std::string(own);
    child.parent_ref = parent_ref_;
    child.ancestry = parent_.ancestry;
    child_refs.push_back(RefOf(child.entity));
    children.push_back(std::move(child));
  }

  void Relation(const model::Relation& relation) override { relations.push_back(relation); }
  void Error(const LocationSpec&, ProcessingError error) override {
    current_reusable_ = false;  // errors are not recorded: read it again next time
    errors.push_back(std::move(error));
  }
  void Refresh(std::string key) override { refresh_keys.push_back(std::move(key)); }
  bool SourceRead(const LocationSpec& location, std::string_view content) override {
    CloseRecord();
    SourceRecord record;
    record.key = location.Ref();
    record.hash = Sha1Hex(content);
    record.origin = std::string(Origin());
    sources.emplace_back(record.key, record.hash);
    // Placeholders ($text, $json, $yaml) read other files: such a file's
    // entities can change while its own content does not.
    if (content.find("$text") != std::string_view::npos || content.find("$json") != std::string_view::npos ||
        content.find("$yaml") != std::string_view::npos) {
      return true;
    }
    if (location.type == "file") StampOf(location.target, record);
    if (const SourceRecord* old = Previous(record.key); old && old->hash == record.hash && old->origin == record.origin) {
      Reuse(*old);
      records.push_back(*old);
      records.back().size = record.size;
      records.back().mtime_ns = record.mtime_ns;
      return false;
    }
    current_ = std::move(record);
    current_reusable_ = true;
    return true;
  }

  bool SourceUnchanged(const LocationSpec& location) override {
    if (location.type != "file") return false;
    const SourceRecord* old = Previous(location.Ref());
    if (old == nullptr || old->mtime_ns == 0 || old->origin != Origin()) return false;
    SourceRecord now;
    StampOf(location.target, now);
    if (now.size != old->size || now.mtime_ns != old->mtime_ns) return false;
    sources.emplace_back(old->key, old->hash);
    Reuse(*old);
    kept_records.push_back(old);
    return true;
  }

  // The record of the file being read is complete (or the run is over).
  void CloseRecord() {
    if (current_ && current_reusable_) records.push_back(std::move(*current_));
    current_.reset();
  }

  std::vector<ProcessingError> errors;
  std::vector<model::Relation> relations;
  std::vector<UnprocessedEntity> children;
  std::vector<std::string> refresh_keys;
  std::vector<std::pair<std::string, std::string>> sources;
  std::vector<SourceRecord> records;
  std::vector<const SourceRecord*> kept_records;
  std::vector<ReusedEntity> reused;
  std::vector<std::string> child_refs;  // every child, processed or reused, in emission order

 private:
  const SourceRecord* Previous(const std::string& key) const {
    const SourceIndex* previous = config_.previous_sources.get();
    if (previous == nullptr) return nullptr;
    auto it = previous->find(key);
    return it == previous->end() ? nullptr : &it->second;
  }

  // Size and mtime of `path` into `record`; left 0/0 when unknown or too
  // recent to trust (modified less than two seconds ago).
  static void StampOf(const std::string& path, SourceRecord& record) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return;
    const std::int64_t mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
    if (now - mtime < 2'000'000'000) return;
    record.size = static_cast<std::int64_t>(st.st_size);
    record.mtime_ns = mtime;
  }

  SourceRecord* Current(const std::string& key) {
    return current_ && current_->key == key ? &*current_ : nullptr;
  }

  // The children an unchanged file emitted last time: its Locations in full
  // (their targets are read again), every other entity by ref only.
  void Reuse(const SourceRecord& record) {
    std::size_t next_location = 0;
    for (const std::string& ref : record.refs) {
      child_refs.push_back(ref);
      if (ref.starts_with("location:") && next_location < record.locations.size()) {
        UnprocessedEntity child;
        const std::string& json = record.locations[next_location];
        child.entity.Parse(json.data(), json.size());
        if (!child.entity.HasParseError() && child.entity.IsObject() &&
            model::CheckEnvelope(child.entity).empty() && RefOf(child.entity) == ref) {
          ++next_location;
          child.location_key = record.key;
          child.parent_ref = parent_ref_;
          child.ancestry = parent_.ancestry;
          if (child.ancestry.empty() || child.ancestry.back() != record.key) child.ancestry.push_back(record.key);
          children.push_back(std::move(child));
          continue;
        }
      }
      reused.push_back({ref, record.key});
    }
  }

  std::string_view Origin() const { return Annotation(parent_.entity, kAnnotationOriginLocation); }

  // Children inherit the parent's origin (StampLocationAnnotations assumes
  // the file is its own origin; the key order it gives is the right one).
  void SetOrigin(Json& child) const {
    JsonValue& annotations = child["metadata"]["annotations"];
    annotations[std::string(kAnnotationOriginLocation)] = MakeString(Origin(), child.GetAllocator());
  }

  const UnprocessedEntity& parent_;
  std::string parent_ref_;
  const ProcessingConfig& config_;
  std::optional<SourceRecord> current_;
  bool current_reusable_ = false;
};

bool Truthy(const JsonValue* v) {
  if (v == nullptr || v->IsNull()) return false;
  if (v->IsBool()) return v->GetBool();
  if (v->IsString()) return v->GetStringLength() > 0;
  if (v->IsNumber()) return v->GetDouble() != 0.0;
  return true;
}

class Run {
 public:
  Run(const ProcessorRegistry& processors, const ProcessingConfig& config, const CatalogRules& rules,
      const UnprocessedEntity& input, std::string ref)
      : processors_(processors), config_(config), rules_(rules), input_(input), ref_(std::move(ref)),
        collector_(input, ref_, config) {}

  ProcessingOutput Go() {
    ProcessingOutput out;
    out.processed.ref = ref_;
    out.processed.location_key = input_.location_key;
    out.processed.parent_ref = input_.parent_ref;
    std::optional<Fatal> fatal = Steps();
    out.processed.errors = std::move(collector_.errors);
    if (fatal) out.processed.errors.push_back(std::move(fatal->error));
    collector_.CloseRecord();
    out.sources = std::move(collector_.sources);
    out.refresh_keys = std::move(collector_.refresh_keys);
    out.processed.ok = out.processed.errors.empty();
    if (out.processed.ok) {
      out.processed.entity = std::move(entity_);
      std::vector<model::Relation>& rel = collector_.relations;
      std::sort(rel.begin(), rel.end());
      rel.erase(std::unique(rel.begin(), rel.end()), rel.end());
      out.processed.relations = std::move(rel);
      out.processed.children = std::move(collector_.child_refs);
      out.records = std::move(collector_.records);
      out.kept_records = std::move(collector_.kept_records);
      out.reused = std::move(collector_.reused);
      out.children = std::move(collector_.children);
    }
    out.processed.result_hash = ResultHash(out.processed);
    return out;
  }

 private:
  std::optional<Fatal> Steps() {
    entity_.CopyFrom(input_.entity, entity_.GetAllocator());
    JsonAllocator& alloc = entity_.GetAllocator();
    Result<LocationSpec> location = ParseLocationRef(Annotation(entity_, kAnnotationLocation));
    Result<LocationSpec> origin = ParseLocationRef(Annotation(entity_, kAnnotationOriginLocation));
    if (!location.ok() || !origin.ok()) {
      const Status& s = location.ok() ? origin.status() : location.status();
      return Fatal{MakeError("TypeError", s.message())};
    }
    const ProcessContext context{*location, *origin, config_};

    for (const auto& p : processors_.All()) {
      if (auto thrown = p->PreProcessEntity(entity_, alloc, context, collector_)) {
        return Fatal{WrapError("InputError",
                               "Processor " + p->Name() + " threw an error while preprocessing",
                               *thrown)};
      }
    }
    // Policies: the entity schema and friends, then the default namespace.
    if (std::vector<model::Problem> p = model::CheckPolicies(entity_); !p.empty()) {
      return Fatal{WrapError("InputError", "Policy check failed for " + ref_,
                             Thrown{"Error", p.front().message})};
    }
    model::PrepareEntity(entity_, alloc);
    if (RefOf(entity_) != ref_) {
      return Fatal{MakeError("ConflictError",
                             "Fatal: The entity kind, namespace, or name changed during processing")};
    }
    bool valid = false;
    for (const auto& p : processors_.All()) {
      HookAnswer answer = p->ValidateEntityKind(entity_);
      if (answer.thrown) {
        return Fatal{WrapError("InputError",
                               "Processor " + p->Name() +
                                   " threw an error while validating the entity " + ref_,
                               *answer.thrown)};
      }
      valid = valid || answer.yes;
    }
    if (!valid) {
      return Fatal{MakeError("InputError", "No processor recognized the entity " + ref_ +
                                               " as valid, possibly caused by a foreign kind or "
                                               "apiVersion")};
    }
    if (AsView(entity_["kind"]) == "Location") {
      if (auto fatal = LocationStep(*location)) return fatal;
    }
    for (const auto& p : processors_.All()) {
      if (auto thrown = p->PostProcessEntity(entity_, alloc, context, collector_)) {
        return Fatal{WrapError("InputError",
                               "Processor " + p->Name() + " threw an error while postprocessing",
                               *thrown)};
      }
    }
    for (const UnprocessedEntity& child : collector_.children) {
      // Reused children are not checked: the catalog reuses no file when
      // rules are configured.
      if (!rules_.IsAllowed(child.entity, *origin)) {
        return Fatal{MakeError("NotAllowedError",
                               "Entity " + RefOf(child.entity) + " at " + location->Ref() +
                                   ", originated at " + origin->Ref() +
                                   ", is not of an allowed kind for that location")};
      }
    }
    return std::nullopt;
  }

  // runSpecialLocationStep, with targets confined to the allowed roots.
  std::optional<Fatal> LocationStep(const LocationSpec& own) {
    const JsonValue& spec = entity_["spec"];
    const JsonValue* type_value = FindMember(spec, "type");
    const JsonValue* presence_value = FindMember(spec, "presence");
    const std::string type = type_value && type_value->IsString() ? std::string(AsView(*type_value))
                                                                  : own.type;
    const bool optional = presence_value && presence_value->IsString() &&
                          AsView(*presence_value) == "optional";
    const auto& allowed = config_.allowed_location_types;
    if (type != own.type && std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
      std::string list;
      for (const std::string& t : allowed) list += (list.empty() ? "\"" : ",\"") + t + "\"";
      collector_.Error(own, MakeError("InputError",
                                      "Registered locations must be of an allowed type [" + list + "]"));
      return std::nullopt;
    }
    std::vector<std::string> targets;
    if (const JsonValue* t = FindMember(spec, "target"); Truthy(t) && t->IsString()) {
      targets.emplace_back(AsView(*t));
    }
    if (const JsonValue* ts = FindMember(spec, "targets"); ts && ts->IsArray()) {
      for (const JsonValue& t : ts->GetArray()) {
        if (t.IsString()) targets.emplace_back(AsView(t));
      }
    }
    for (const std::string& raw : targets) {
      if (type == "file" && !raw.empty() && raw.back() == '/') {
        collector_.Error(own, MakeError("InputError",
                                        "LocationEntityProcessor cannot handle file type location "
                                        "with target " + own.target +
                                            " that ends with a path separator"));
        continue;
      }
      std::string target = raw;
      if (type == "file") {
        // Divergence: every relative target (not only `./x`) resolves against
        // the containing file, never against the process's working directory.
        if (type == own.type && !raw.starts_with('/')) {
          target = (std::filesystem::path(own.target).parent_path() / raw).string();
        }
        target = NodePathNormalize(target);
        if (!target.starts_with('/') || !ContainingRoot(target, config_.allowed_roots, config_.real_dirs.get())) {
          collector_.Error(own, MakeError("NotAllowedError", "file target " + target +
                                                                 " is outside the allowed roots"));
          continue;
        }
      }
      if (type == "url" && own.type == "url") {
        // Relative to the URL of the file that holds the Location.
        Result<std::string> resolved = ResolveUrl(own.target, raw);
        if (!resolved.ok()) {
          collector_.Error(own, MakeError("InputError", resolved.status().message()));
          continue;
        }
        target = std::move(resolved).value();
      }
      const LocationSpec spec_to_read{type, target};
      const ReadContext read_context{config_, input_.ancestry};
      bool read = false;
      for (const auto& p : processors_.All()) {
        HookAnswer answer = p->ReadLocation(spec_to_read, optional, read_context, collector_);
        if (answer.thrown) {
          return Fatal{WrapError("InputError",
                                 "Processor " + p->Name() + " threw an error while reading " +
                                     spec_to_read.Ref(),
                                 *answer.thrown)};
        }
        if (answer.yes) {
          read = true;
          break;
        }
      }
      if (!read) {
        return Fatal{MakeError("InputError",
                               "No processor was able to handle reading of " + spec_to_read.Ref())};
      }
    }
    return std::nullopt;
  }

  const ProcessorRegistry& processors_;
  const ProcessingConfig& config_;
  const CatalogRules& rules_;
  const UnprocessedEntity& input_;
  std::string ref_;
  Collector collector_;
  Json entity_;
};

}  // namespace

ProcessingOutput Orchestrator::Process(const UnprocessedEntity& input) const {
  if (std::vector<model::Problem> p = model::CheckEnvelope(input.entity); !p.empty()) {
    ProcessingOutput out;
    out.processed.location_key = input.location_key;
    out.processed.parent_ref = input.parent_ref;
    out.processed.errors.push_back(WrapError(
        "InputError", "Entity envelope failed validation before processing",
        EnvelopeThrown(p.front().message)));
    out.processed.result_hash = ResultHash(out.processed);
    return out;
  }
  return Run(processors_, config_, rules_, input, RefOf(input.entity)).Go();
}

UnprocessedEntity RegisteredLocation(const LocationSpec& location) {
  UnprocessedEntity u;
  const std::string ref = location.Ref();
  u.entity = GeneratedLocationEntity(location, ref, ref);
  u.location_key = ref;
  return u;
}

}  // namespace idp::catalog
