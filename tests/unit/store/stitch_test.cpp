#include "store/search_index.h"
#include "core/sha1.h"
#include "store/stable_json.h"
#include "store/stitcher.h"
#include "store_test_support.h"

namespace idp::store {
namespace {

using namespace testing;

TEST(Stitch, RelationsFromOtherEntitiesDistinctAndSorted) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(Group("team-a")));
  batch.push_back(Processed(Component("b", "team-a")));
  batch.push_back(Processed(Component("a", "team-a")));
  ApplyAndStitch(store, batch);
  EXPECT_EQ(Str(MustGet(store, "group:default/team-a"), {"relations"}),
            R"([{"type":"ownerOf","targetRef":"component:default/a"},)"
            R"({"type":"ownerOf","targetRef":"component:default/b"}])");
}

TEST(Stitch, UidStableAcrossRefreshesAndYamlUidReplaced) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(Component("a", "team-a", R"(,"uid":"from-yaml")")));
  ApplyAndStitch(store, batch);
  const std::string uid = Str(MustGet(store, "component:default/a"), {"metadata", "uid"});
  EXPECT_NE(uid, "from-yaml");
  EXPECT_EQ(uid.size(), 36u);
  EXPECT_EQ(uid[14], '4');
  std::vector<catalog::ProcessedEntity> next;
  next.push_back(Processed(Component("a", "team-b")));
  ApplyAndStitch(store, next);
  EXPECT_EQ(Str(MustGet(store, "component:default/a"), {"metadata", "uid"}), uid);
  auto by_uid = store.GetByUid(uid);
  ASSERT_TRUE(by_uid.ok() && by_uid->has_value());
  EXPECT_EQ(Str(**by_uid, {"spec", "owner"}), "team-b");
}

TEST(Stitch, EtagChangesExactlyWhenContentChanges) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(Component("a", "team-a")));
  ApplyAndStitch(store, batch);
  const std::string etag1 = Str(MustGet(store, "component:default/a"), {"metadata", "etag"});
  EXPECT_EQ(etag1.size(), 40u);
  // Re-stitching unchanged content: same etag, nothing rewritten.
  std::vector<std::string> refs{"component:default/a"};
  auto s = store.Stitch(refs);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->unchanged, 1u);
  EXPECT_EQ(s->changed, 0u);
  EXPECT_EQ(Str(MustGet(store, "component:default/a"), {"metadata", "etag"}), etag1);
  // A relation emitted by another entity changes the served JSON, hence the etag.
  std::vector<catalog::ProcessedEntity> other;
  other.push_back(Processed(
      R"({"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"c"},)"
      R"("spec":{"type":"service","lifecycle":"x","owner":"team-a","dependsOn":["component:default/a"]}})"));
  ApplyAndStitch(store, other);
  const Json e = MustGet(store, "component:default/a");
  EXPECT_NE(Str(e, {"metadata", "etag"}), etag1);
  EXPECT_EQ(Str(e, {"relations"}), R"([{"type":"dependencyOf","targetRef":"component:default/c"},)"
                                   R"({"type":"ownedBy","targetRef":"group:default/team-a"}])");
}

TEST(Stitch, EtagIsSha1OfStableJsonWithoutUid) {
  std::string hash;
  auto e = BuildFinalEntity(R"({"kind":"Component","metadata":{"name":"a"},"apiVersion":"v"})", "", false,
                            {{"ownedBy", "group:default/x"}}, hash);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(hash, Sha1Hex(R"({"apiVersion":"v","kind":"Component","metadata":{"name":"a"},)"
                          R"("relations":[{"targetRef":"group:default/x","type":"ownedBy"}]})"));
}

TEST(Stitch, UserEtagIsKept) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(Component("a", "team-a", R"(,"etag":"mine")")));
  ApplyAndStitch(store, batch);
  EXPECT_EQ(Str(MustGet(store, "component:default/a"), {"metadata", "etag"}), "mine");
}

TEST(Stitch, ScriptUrlsAreNeutralised) {
  EXPECT_TRUE(IsScriptUrl("javascript:alert(1)"));
  EXPECT_TRUE(IsScriptUrl(" \x01JaVa\tScRiPt:x"));
  EXPECT_TRUE(IsScriptUrl("j\na\rv\ta\nscript:"));
  EXPECT_FALSE(IsScriptUrl("https://javascript:x"));
  EXPECT_FALSE(IsScriptUrl("javascript"));
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(Component("a", "team-a",
                                      R"x(,"annotations":{"backstage.io/view-url":"JAVASCRIPT:alert(1)",)x"
                                      R"("backstage.io/edit-url":"https://ok"})")));
  ApplyAndStitch(store, batch);
  const Json e = MustGet(store, "component:default/a");
  EXPECT_EQ(Str(e, {"metadata", "annotations", "backstage.io/view-url"}),
            "https://backstage.io/annotation-rejected-for-security-reasons");
  EXPECT_EQ(Str(e, {"metadata", "annotations", "backstage.io/edit-url"}), "https://ok");
}

TEST(Stitch, DuplicateCaseKeysFailStitchingAndKeepOldVersion) {
  Store store = OpenMemory();
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(Component("a", "team-a")));
  ApplyAndStitch(store, batch);
  std::vector<catalog::ProcessedEntity> next;
  next.push_back(Processed(Component("a", "team-b", R"(,"annotations":{"Foo/x":"1","foo/x":"2"})")));
  auto w = store.ApplyProcessed(next);
  ASSERT_TRUE(w.ok());
  auto s = store.Stitch(w->to_stitch);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->failures.size(), 1u);
  EXPECT_EQ(s->failures[0].message,
            "Entity has duplicate keys that vary only in casing, 'metadata.annotations.foo/x'");
  EXPECT_EQ(Str(MustGet(store, "component:default/a"), {"spec", "owner"}), "team-a");
}

TEST(SearchIndex, RowsFollowSpec95) {
  Json e = ParseJson(R"({"apiVersion":"backstage.io/v1alpha1","kind":"Component",
    "metadata":{"name":"Payments","uid":"U1","etag":"E","tags":["Java","java","go"],
      "annotations":{"backstage.io/view-url":"http://X"},"description":null},
    "spec":{"port":8080,"enabled":true,"ratio":1.5},
    "relations":[{"type":"ownedBy","targetRef":"group:default/team-a"}],
    "status":{"items":[]}})");
  auto rows = BuildSearchRows(e);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  std::vector<std::string> flat;
  for (const auto& r : *rows) {
    flat.push_back(r.key + "=" + (r.value ? *r.value : "<null>") + "|" + (r.original_value ? *r.original_value : "<null>"));
  }
  const std::vector<std::string> expected = {
      "apiversion=backstage.io/v1alpha1|backstage.io/v1alpha1",
      "kind=component|Component",
      "metadata.tags=java|Java",
      "metadata.tags.java=true|true",
      "metadata.tags=go|go",
      "metadata.tags.go=true|true",
      "metadata.annotations.backstage.io/view-url=http://x|http://X",
      "metadata.description=<null>|<null>",
      "spec.port=8080|8080",
      "spec.enabled=true|true",
      "spec.ratio=1.5|1.5",
      "metadata.name=payments|Payments",
      "metadata.namespace=<null>|<null>",
      "metadata.uid=u1|U1",
      "metadata.namespace=default|default",
      "relations.ownedby=group:default/team-a|group:default/team-a",
  };
  EXPECT_EQ(flat, expected);
}

TEST(SearchIndex, LengthLimits) {
  const std::string long_value(201, 'x');
  const std::string long_key(195, 'k');
  Json e = ParseJson(R"({"kind":"A","metadata":{"name":"n","namespace":"ns","v":")" + long_value +
                     R"(","ok":")" + std::string(200, 'y') + R"("},"spec":{")" + long_key + R"(":"1"}})");
  auto rows = BuildSearchRows(e);
  ASSERT_TRUE(rows.ok());
  bool saw_v = false, saw_ok = false, saw_long_key = false;
  for (const auto& r : *rows) {
    if (r.key == "metadata.v") {
      saw_v = true;
      EXPECT_FALSE(r.value.has_value());
      EXPECT_FALSE(r.original_value.has_value());
    }
    if (r.key == "metadata.ok") saw_ok = r.value.has_value();
    if (r.key.size() > 200) saw_long_key = true;
  }
  EXPECT_TRUE(saw_v);
  EXPECT_TRUE(saw_ok);
  EXPECT_FALSE(saw_long_key);
}

TEST(StableJson, JsNumbersAndKeyOrder) {
  EXPECT_EQ(JsNumberToString(1.5), "1.5");
  EXPECT_EQ(JsNumberToString(1e21), "1e+21");
  EXPECT_EQ(JsNumberToString(1e-7), "1e-7");
  EXPECT_EQ(JsNumberToString(0.000001), "0.000001");
  EXPECT_EQ(JsNumberToString(123456789012.0), "123456789012");
  EXPECT_EQ(JsNumberToString(-0.5), "-0.5");
  EXPECT_EQ(StableStringify(ParseJson(R"({"b":1,"a":[true,null,"x\n"],"B":2.0})")),
            R"({"B":2,"a":[true,null,"x\n"],"b":1})");
}

}  // namespace
}  // namespace idp::store
