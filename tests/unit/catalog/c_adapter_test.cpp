// A processor written against the C callbacks.
#include <gtest/gtest.h>

#include <cstring>

#include "catalog/c_processor_adapter.h"
#include "catalog_test_support.h"

namespace idp::catalog {
namespace {

extern "C" int TagOwnerPost(void* user, const char* entity_json, const char*, idp_emitter* emit) {
  ++*static_cast<int*>(user);
  if (std::strstr(entity_json, "\"kind\":\"Component\"") != nullptr) {
    EmitRelation(emit, "component:default/svc", "partOf", "domain:default/payments");
  }
  if (std::strstr(entity_json, "\"name\":\"explode\"") != nullptr) {
    EmitThrow(emit, "RangeError", "boom");
    return IDP_HOOK_THROWN;
  }
  return IDP_HOOK_NO;
}

extern "C" int AddLabelPre(void*, const char* entity_json, const char*, idp_emitter* emit) {
  Json e;
  e.Parse(entity_json);
  if (!e["metadata"].HasMember("labels")) {
    e["metadata"].AddMember("labels", JsonValue(rapidjson::kObjectType), e.GetAllocator());
  }
  e["metadata"]["labels"].AddMember("from-c", "yes", e.GetAllocator());
  EmitReplaceEntity(emit, ToJsonString(e).c_str());
  return IDP_HOOK_NO;
}

TEST(CAdapter, CallbacksRelationReplacementAndThrow) {
  test::TempTree tree;
  tree.Write("c.yaml",
             "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: svc}\n"
             "spec: {type: service, lifecycle: prod, owner: team-a}\n---\n"
             "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: explode}\n"
             "spec: {type: service, lifecycle: prod, owner: team-a}\n");
  int calls = 0;
  idp_processor_callbacks cb{};
  cb.name = "MyCProcessor";
  cb.user = &calls;
  cb.pre_process = AddLabelPre;
  cb.post_process = TagOwnerPost;
  ProcessorRegistry registry = test::BuiltinRegistry();
  registry.Add(MakeCProcessor(cb));
  const test::Ingested run = test::IngestTree(tree, {"c.yaml"}, registry);
  EXPECT_GE(calls, 3);  // generated location, svc, explode
  const ProcessedEntity* svc = run.sink.Find("component:default/svc");
  ASSERT_NE(svc, nullptr);
  ASSERT_TRUE(svc->ok) << test::Errors(*svc);
  const model::Relation r{"component:default/svc", "partOf", "domain:default/payments"};
  EXPECT_NE(std::find(svc->relations.begin(), svc->relations.end(), r), svc->relations.end());
  EXPECT_EQ(AsView(svc->entity["metadata"]["labels"]["from-c"]), "yes");
  const ProcessedEntity* ex = run.sink.Find("component:default/explode");
  ASSERT_NE(ex, nullptr);
  EXPECT_FALSE(ex->ok);
  EXPECT_EQ(test::Errors(*ex),
            "InputError: Processor MyCProcessor threw an error while postprocessing; caused by "
            "RangeError: boom");
}

}  // namespace
}  // namespace idp::catalog
