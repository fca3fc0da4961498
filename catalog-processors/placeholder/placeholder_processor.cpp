#include "placeholder_processor.h"

#include "catalog/allowed_roots.h"
#include "validate/placeholders.h"

namespace idp::catalog {
namespace {

class PlaceholderProcessor final : public Processor {
 public:
  std::string Name() const override { return "PlaceholderProcessor"; }

  std::optional<Thrown> PreProcessEntity(JsonValue& entity, JsonAllocator& allocator,
                                         const ProcessContext& context, Emitter&) override {
    PlaceholderContext pc;
    pc.base = context.location.target;
    pc.limits = &context.config.yaml_limits;
    if (context.location.type == "file") {
      // File access only below the root that holds the containing file.
      if (auto root = ContainingRoot(context.location.target, context.config.allowed_roots,
                                   context.config.real_dirs.get())) {
        pc.file_path = context.location.target;
        pc.root = *root;
      }
    }
    std::vector<model::Problem> problems = ResolvePlaceholders(entity, allocator, pc);
    if (problems.empty()) return std::nullopt;
    return Thrown{"Error", std::move(problems.front().message)};
  }
};

}  // namespace

std::unique_ptr<Processor> MakePlaceholderProcessor() {
  return std::make_unique<PlaceholderProcessor>();
}

}  // namespace idp::catalog
