#include "builtin_kinds_processor.h"

#include "model/entity_rules.h"

namespace idp::catalog {
namespace {

// idp::model words relation problems with Backstage's whole wrapping
// ("Processor X threw an error while postprocessing; caused by Error: m");
// the hook throws only the cause, the orchestrator wraps it again.
Thrown CauseOf(std::string_view message) {
  constexpr std::string_view kCausedBy = "; caused by ";
  if (const auto at = message.find(kCausedBy); at != std::string_view::npos) {
    message.remove_prefix(at + kCausedBy.size());
  }
  if (const auto colon = message.find(": "); colon != std::string_view::npos &&
                                              message.substr(0, colon).find(' ') ==
                                                  std::string_view::npos) {
    return {std::string(message.substr(0, colon)), std::string(message.substr(colon + 2))};
  }
  return {"Error", std::string(message)};
}

class BuiltinKindsProcessor final : public Processor {
 public:
  std::string Name() const override { return "BuiltinKindsEntityProcessor"; }

  std::optional<Thrown> PreProcessEntity(JsonValue& entity, JsonAllocator& allocator,
                                         const ProcessContext&, Emitter&) override {
    model::PrepareEntity(entity, allocator);
    return std::nullopt;
  }

  HookAnswer ValidateEntityKind(const JsonValue& entity) override {
    model::KindCheck check = model::CheckKind(entity);
    switch (check.status) {
      case model::KindStatus::kValid:
        return HookAnswer::Yes();
      case model::KindStatus::kNotRecognised:
        return HookAnswer::No();
      case model::KindStatus::kInvalid:
        break;
    }
    return HookAnswer::Throw("TypeError", check.problems.empty()
                                              ? std::string("invalid entity")
                                              : std::move(check.problems.front().message));
  }

  std::optional<Thrown> PostProcessEntity(JsonValue& entity, JsonAllocator&,
                                          const ProcessContext&, Emitter& emit) override {
    model::RelationsResult result = model::EmitRelations(entity);
    if (!result.problems.empty()) return CauseOf(result.problems.front().message);
    for (const model::Relation& r : result.relations) emit.Relation(r);
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<Processor> MakeBuiltinKindsProcessor() {
  return std::make_unique<BuiltinKindsProcessor>();
}

}  // namespace idp::catalog
