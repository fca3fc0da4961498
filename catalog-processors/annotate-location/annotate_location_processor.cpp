#include "annotate_location_processor.h"

#include "validate/location_annotations.h"

namespace idp::catalog {
namespace {

class AnnotateLocationProcessor final : public Processor {
 public:
  std::string Name() const override { return "AnnotateLocationEntityProcessor"; }

  std::optional<Thrown> PreProcessEntity(JsonValue& entity, JsonAllocator&,
                                         const ProcessContext&, Emitter&) override {
    AnnotateLocation(entity);
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<Processor> MakeAnnotateLocationProcessor() {
  return std::make_unique<AnnotateLocationProcessor>();
}

}  // namespace idp::catalog
