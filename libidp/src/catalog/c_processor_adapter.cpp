#include "catalog/c_processor_adapter.h"

#include <optional>
#include <string>

// The handle behind idp_emitter*: the C++ emitter (absent for
// validate_kind) plus what only the adapter consumes.
struct idp_emitter {
  idp::catalog::Emitter* emitter = nullptr;
  std::optional<idp::catalog::Thrown> thrown;
  std::optional<std::string> replacement;  // entity JSON text
};

namespace {

std::string Str(const char* s) { return s ? s : ""; }

}  // namespace

namespace idp::catalog {

void EmitEntity(idp_emitter* e, const char* type, const char* target, const char* json) {
  if (e == nullptr || e->emitter == nullptr) return;
  idp::Json entity;
  entity.Parse(Str(json).c_str());
  if (entity.HasParseError() || !entity.IsObject()) {
    e->emitter->Error({Str(type), Str(target)},
                      MakeError("TypeError", "emitted entity is not a JSON object"));
    return;
  }
  e->emitter->Entity({Str(type), Str(target)}, entity);
}

void EmitLocation(idp_emitter* e, const char* type, const char* target) {
  if (e != nullptr && e->emitter != nullptr) e->emitter->Location({Str(type), Str(target)});
}

void EmitRelation(idp_emitter* e, const char* source, const char* type, const char* target) {
  if (e != nullptr && e->emitter != nullptr) {
    e->emitter->Relation({Str(source), Str(type), Str(target)});
  }
}

void EmitError(idp_emitter* e, const char* name, const char* message) {
  if (e != nullptr && e->emitter != nullptr) {
    e->emitter->Error({}, MakeError(Str(name), Str(message)));
  }
}

void EmitReplaceEntity(idp_emitter* e, const char* json) {
  if (e != nullptr) e->replacement = Str(json);
}

void EmitThrow(idp_emitter* e, const char* name, const char* message) {
  if (e != nullptr) e->thrown = Thrown{Str(name), Str(message)};
}

}  // namespace idp::catalog

namespace idp::catalog {
namespace {

class CProcessor final : public Processor {
 public:
  explicit CProcessor(const idp_processor_callbacks& cb) : cb_(cb), name_(Str(cb.name)) {}

  std::string Name() const override { return name_; }

  std::optional<Thrown> PreProcessEntity(JsonValue& entity, JsonAllocator& allocator,
                                         const ProcessContext& context, Emitter& emit) override {
    return Rewrite(cb_.pre_process, entity, allocator, context, emit);
  }

  HookAnswer ValidateEntityKind(const JsonValue& entity) override {
    if (cb_.validate_kind == nullptr) return HookAnswer::No();
    idp_emitter handle;
    const int r = cb_.validate_kind(cb_.user, ToJsonString(entity).c_str(), &handle);
    return Answer(r, handle);
  }

  HookAnswer ReadLocation(const LocationSpec& location, bool optional, const ReadContext&,
                          Emitter& emit) override {
    if (cb_.read_location == nullptr) return HookAnswer::No();
    idp_emitter handle{&emit, std::nullopt, std::nullopt};
    const int r = cb_.read_location(cb_.user, location.type.c_str(), location.target.c_str(),
                                    optional ? 1 : 0, &handle);
    return Answer(r, handle);
  }

  std::optional<Thrown> PostProcessEntity(JsonValue& entity, JsonAllocator& allocator,
                                          const ProcessContext& context, Emitter& emit) override {
    return Rewrite(cb_.post_process, entity, allocator, context, emit);
  }

 private:
  using EntityHook = int (*)(void*, const char*, const char*, idp_emitter*);

  static HookAnswer Answer(int r, idp_emitter& handle) {
    if (r == IDP_HOOK_THROWN || handle.thrown) {
      Thrown t = handle.thrown.value_or(Thrown{"Error", "processor failed"});
      return HookAnswer::Throw(std::move(t.name), std::move(t.message));
    }
    return r == IDP_HOOK_YES ? HookAnswer::Yes() : HookAnswer::No();
  }

  std::optional<Thrown> Rewrite(EntityHook hook, JsonValue& entity, JsonAllocator& allocator,
                                const ProcessContext& context, Emitter& emit) const {
    if (hook == nullptr) return std::nullopt;
    idp_emitter handle{&emit, std::nullopt, std::nullopt};
    const int r = hook(cb_.user, ToJsonString(entity).c_str(), context.location.Ref().c_str(),
                       &handle);
    if (r == IDP_HOOK_THROWN || handle.thrown) {
      return handle.thrown.value_or(Thrown{"Error", "processor failed"});
    }
    if (handle.replacement) {
      Json parsed;
      parsed.Parse(handle.replacement->c_str());
      if (parsed.HasParseError() || !parsed.IsObject()) {
        return Thrown{"TypeError", "replacement entity is not a JSON object"};
      }
      entity.CopyFrom(parsed, allocator);
    }
    return std::nullopt;
  }

  idp_processor_callbacks cb_;
  std::string name_;
};

}  // namespace

std::unique_ptr<Processor> MakeCProcessor(const idp_processor_callbacks& callbacks) {
  return std::make_unique<CProcessor>(callbacks);
}

}  // namespace idp::catalog
