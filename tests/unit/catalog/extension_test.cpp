// A user's processor registered from C++ through the public interface.
#include <gtest/gtest.h>

#include "catalog_test_support.h"

namespace idp::catalog {
namespace {

using test::IngestTree;
using test::TempTree;

// Adds `<ref> dependsOn resource:default/shared-db` to every Component.
class SharedDbProcessor final : public Processor {
 public:
  std::string Name() const override { return "SharedDbProcessor"; }
  std::optional<Thrown> PostProcessEntity(JsonValue& entity, JsonAllocator&,
                                          const ProcessContext&, Emitter& emit) override {
    if (AsView(entity["kind"]) != "Component") return std::nullopt;
    const std::string ref = "component:default/" + std::string(AsView(entity["metadata"]["name"]));
    emit.Relation({ref, "dependsOn", "resource:default/shared-db"});
    return std::nullopt;
  }
};

// Recognises kind Widget (unknown to Backstage) and rejects bad widgets.
class WidgetKindProcessor final : public Processor {
 public:
  std::string Name() const override { return "WidgetKindProcessor"; }
  HookAnswer ValidateEntityKind(const JsonValue& entity) override {
    if (AsView(entity["kind"]) != "Widget") return HookAnswer::No();
    const JsonValue* spec = FindMember(entity, "spec");
    if (spec == nullptr || !spec->IsObject() || FindMember(*spec, "size") == nullptr) {
      return HookAnswer::Throw("TypeError", "spec.size is required");
    }
    return HookAnswer::Yes();
  }
};

constexpr const char* kFile = R"(apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: svc}
spec: {type: service, lifecycle: prod, owner: team-a}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: good}
spec: {size: 3}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: bad}
spec: {}
)";

TEST(Extension, UserProcessorAddsRelation) {
  TempTree tree;
  tree.Write("catalog.yaml", kFile);
  ProcessorRegistry registry = test::BuiltinRegistry();
  registry.Add(std::make_unique<SharedDbProcessor>());
  const test::Ingested run = IngestTree(tree, {"catalog.yaml"}, registry);
  const ProcessedEntity* svc = run.sink.Find("component:default/svc");
  ASSERT_NE(svc, nullptr);
  ASSERT_TRUE(svc->ok) << test::Errors(*svc);
  const model::Relation added{"component:default/svc", "dependsOn", "resource:default/shared-db"};
  EXPECT_NE(std::find(svc->relations.begin(), svc->relations.end(), added), svc->relations.end());
  const model::Relation owned{"component:default/svc", "ownedBy", "group:default/team-a"};
  EXPECT_NE(std::find(svc->relations.begin(), svc->relations.end(), owned), svc->relations.end());

  // Without the user processor, the relation is not there.
  const test::Ingested plain = IngestTree(tree, {"catalog.yaml"}, test::BuiltinRegistry());
  const ProcessedEntity* svc2 = plain.sink.Find("component:default/svc");
  ASSERT_NE(svc2, nullptr);
  EXPECT_EQ(std::find(svc2->relations.begin(), svc2->relations.end(), added), svc2->relations.end());
}

TEST(Extension, UserKindValidator) {
  TempTree tree;
  tree.Write("catalog.yaml", kFile);
  const test::Ingested plain = IngestTree(tree, {"catalog.yaml"}, test::BuiltinRegistry());
  ASSERT_NE(plain.sink.Find("widget:default/good"), nullptr);
  EXPECT_FALSE(plain.sink.Find("widget:default/good")->ok);
  EXPECT_EQ(plain.sink.Find("widget:default/good")->errors.at(0).message,
            "No processor recognized the entity widget:default/good as valid, possibly caused by "
            "a foreign kind or apiVersion");

  ProcessorRegistry registry = test::BuiltinRegistry();
  registry.Add(std::make_unique<WidgetKindProcessor>());
  const test::Ingested run = IngestTree(tree, {"catalog.yaml"}, registry);
  EXPECT_TRUE(run.sink.Find("widget:default/good")->ok);
  const ProcessedEntity* bad = run.sink.Find("widget:default/bad");
  ASSERT_NE(bad, nullptr);
  EXPECT_FALSE(bad->ok);
  EXPECT_EQ(bad->errors.at(0).message,
            "Processor WidgetKindProcessor threw an error while validating the entity "
            "widget:default/bad; caused by TypeError: spec.size is required");
  EXPECT_EQ(bad->errors.at(0).cause_name, "TypeError");
}

}  // namespace
}  // namespace idp::catalog
