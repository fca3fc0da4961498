// Backstage's /api/catalog endpoints against the real server (spec/catalog.md §10).
#include <set>
#include <thread>

#include "http_fixture.h"

namespace idp::http::testing {
namespace {

std::string Str(const rapidjson::Value& v, const char* a, const char* b = nullptr) {
  const rapidjson::Value* x = &v;
  for (const char* k : {a, b}) {
    if (!k) break;
    if (!x->IsObject() || !x->HasMember(k)) return "<missing>";
    x = &(*x)[k];
  }
  return x->IsString() ? x->GetString() : "<not a string>";
}

class ApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    StartServer();
  }

  std::string UidOf(const std::string& name) {
    auto r = client().Get("/api/catalog/entities/by-name/component/default/" + name);
    EXPECT_TRUE(r && r->status == 200);
    return Str(Parse(r->body), "metadata", "uid");
  }
};

TEST_F(ApiTest, ByNameServesTheEntityCaseInsensitively) {
  auto r = client().Get("/api/catalog/entities/by-name/component/default/svc-1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
  auto e = Parse(r->body);
  EXPECT_EQ(Str(e, "kind"), "Component");
  EXPECT_EQ(Str(e, "metadata", "name"), "svc-1");
  auto again = client().Get("/api/catalog/entities/by-name/COMPONENT/Default/SVC-1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(Str(Parse(again->body), "metadata", "uid"), Str(e, "metadata", "uid"));
}

TEST_F(ApiTest, UnknownEntityIsBackstagesNotFoundBody) {
  auto r = client().Get("/api/catalog/entities/by-name/component/default/nope");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  auto e = Parse(r->body);
  EXPECT_EQ(Str(e, "error", "name"), "NotFoundError");
  EXPECT_EQ(Str(e, "error", "message"), "No entity named 'nope' found, with kind 'component' in namespace 'default'");
  EXPECT_EQ(Str(e, "request", "method"), "GET");
  EXPECT_EQ(Str(e, "request", "url"), "/api/catalog/entities/by-name/component/default/nope");
  EXPECT_EQ(e["response"]["statusCode"].GetInt(), 404);
}

TEST_F(ApiTest, TraversalInPathSegmentsIsOnlyAName) {
  auto r = client().Get("/api/catalog/entities/by-name/component/default/..%2F..%2Fetc%2Fpasswd");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(Str(Parse(r->body), "error", "name"), "NotFoundError");
  auto bad_escape = client().Get("/api/catalog/entities/by-name/component/default/%zz");
  ASSERT_TRUE(bad_escape);
  EXPECT_EQ(bad_escape->status, 400);
  auto no_route = client().Get("/api/catalog/entities/by-name/component/../../../etc/passwd");
  ASSERT_TRUE(no_route);
  EXPECT_EQ(no_route->status, 404);
  EXPECT_EQ(no_route->body, "");  // no route: a bare 404, as Express
}

TEST_F(ApiTest, ByUidAndDeleteByUid) {
  const std::string uid = UidOf("svc-2");
  auto got = client().Get("/api/catalog/entities/by-uid/" + uid);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(Str(Parse(got->body), "metadata", "name"), "svc-2");

  auto anonymous = client().Delete("/api/catalog/entities/by-uid/" + uid);
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(Str(Parse(anonymous->body), "error", "name"), "AuthenticationError");

  auto wrong = client().Delete("/api/catalog/entities/by-uid/" + uid, {{"Authorization", "Bearer not-the-token"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);

  auto del = client().Delete("/api/catalog/entities/by-uid/" + uid, Auth());
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 204);
  auto gone = client().Get("/api/catalog/entities/by-uid/" + uid);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
  EXPECT_EQ(Str(Parse(gone->body), "error", "message"), "No entity with uid " + uid);
  // The by-name body cached before the delete is not served any more.
  auto by_name = client().Get("/api/catalog/entities/by-name/component/default/svc-2");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->status, 404);
  auto unknown = client().Delete("/api/catalog/entities/by-uid/no-such-uid", Auth());
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 204);
}

TEST_F(ApiTest, EntitiesFilterOrderAndLinkPaging) {
  auto all = client().Get("/api/catalog/entities?filter=kind=component,spec.type=service&fields=metadata.name,spec.type");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->status, 200);
  auto items = Parse(all->body);
  ASSERT_TRUE(items.IsArray());
  EXPECT_EQ(items.Size(), 15u);
  for (const auto& e : items.GetArray()) {
    EXPECT_EQ(Str(e, "spec", "type"), "service");
    EXPECT_FALSE(e.HasMember("kind"));  // projected away
  }
  // Two filter parameters are OR-ed.
  auto either = client().Get("/api/catalog/entities?filter=kind=group&filter=kind=api");
  ASSERT_TRUE(either);
  const auto both = Parse(either->body);
  EXPECT_EQ(both.Size(), 2u);

  std::set<std::string> seen;
  std::string path = "/api/catalog/entities?filter=kind=component&limit=7&fields=metadata.name";
  int pages = 0;
  while (!path.empty() && pages < 20) {
    auto r = client().Get(path);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    const auto page = Parse(r->body);
    for (const auto& e : page.GetArray()) EXPECT_TRUE(seen.insert(Str(e, "metadata", "name")).second);
    const std::string link = r->get_header_value("link");
    path.clear();
    if (!link.empty()) {
      ASSERT_NE(link.find("rel=\"next\""), std::string::npos);
      path = "/api/catalog" + link.substr(1, link.find('>') - 1);
    }
    ++pages;
  }
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(seen.size(), 30u);
}

TEST_F(ApiTest, QueryParameterErrorsAre400) {
  auto unknown = client().Get("/api/catalog/entities?bogus=1");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(Str(Parse(unknown->body), "error", "message"), "Unknown query parameter 'bogus'");
  auto filter = client().Get("/api/catalog/entities?filter=%3Dx");
  ASSERT_TRUE(filter);
  EXPECT_EQ(filter->status, 400);
  EXPECT_EQ(Str(Parse(filter->body), "error", "message"),
            "Invalid filter, '=x' is not a valid statement (expected a string on the form a=b or a= or a)");
  for (const char* bad : {"/api/catalog/entities?limit=abc", "/api/catalog/entities?order=sideways:name",
                          "/api/catalog/entities?after=", "/api/catalog/entities/by-query?totalItems=maybe",
                          "/api/catalog/entities/by-query?cursor=not-a-cursor",
                          "/api/catalog/entities/by-uid/x?y=1", "/api/catalog/entities?fields=metadata.tags[0]"}) {
    auto r = client().Get(bad);
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 400) << bad << " " << r->body;
    EXPECT_EQ(Str(Parse(r->body), "error", "name"), "InputError") << bad;
  }
}

TEST_F(ApiTest, ByQueryCursorsVisitEveryEntityOnce) {
  std::vector<std::string> names;
  auto r = client().Get("/api/catalog/entities/by-query?filter=kind=component&limit=7&orderField=metadata.name,asc");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  int pages = 0;
  while (true) {
    auto page = Parse(r->body);
    EXPECT_EQ(page["totalItems"].GetUint(), 30u);
    EXPECT_EQ(page["pageInfo"].HasMember("prevCursor"), pages > 0);
    for (const auto& e : page["items"].GetArray()) names.push_back(Str(e, "metadata", "name"));
    ++pages;
    if (!page["pageInfo"].HasMember("nextCursor") || pages > 10) break;
    httplib::Params p{{"cursor", page["pageInfo"]["nextCursor"].GetString()}, {"limit", "7"}};
    r = client().Get("/api/catalog/entities/by-query", p, {});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  }
  EXPECT_EQ(pages, 5);
  ASSERT_EQ(names.size(), 30u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 30u);

  auto text = client().Get(
      "/api/catalog/entities/by-query?fullTextFilterTerm=SVC-1&fullTextFilterFields=metadata.name&limit=100");
  ASSERT_TRUE(text);
  const auto found = Parse(text->body);
  EXPECT_EQ(found["totalItems"].GetUint(), 11u);  // svc-1, svc-10..svc-19
}

TEST_F(ApiTest, PostByQueryTakesPredicates) {
  auto r = client().Post("/api/catalog/entities/by-query",
                         R"({"query":{"$all":[{"kind":"component"},{"spec.type":"website"}]},"limit":100,)"
                         R"("fields":["metadata.name"]})",
                         "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto page = Parse(r->body);
  EXPECT_EQ(page["totalItems"].GetUint(), 15u);
  EXPECT_EQ(page["items"].Size(), 15u);
  for (const char* bad : {"{", R"({"cursor":""})", R"({"query":[]})", R"({"limit":-1})", R"({"what":1})"}) {
    auto b = client().Post("/api/catalog/entities/by-query", bad, "application/json");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->status, 400) << bad << " " << b->body;
  }
}

TEST_F(ApiTest, ByRefsKeepsOrderAndAnswersNullForMisses) {
  const std::string body =
      R"({"entityRefs":["component:default/svc-3","component:default/missing","Component:default/svc-3",)"
      R"("group:default/team-a"],"fields":["metadata.name"]})";
  auto r = client().Post("/api/catalog/entities/by-refs", body, "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body, R"({"items":[{"metadata":{"name":"svc-3"}},null,null,{"metadata":{"name":"team-a"}}]})");
  auto filtered = client().Post("/api/catalog/entities/by-refs?filter=kind=group", body, "application/json");
  ASSERT_TRUE(filtered);
  EXPECT_EQ(filtered->body, R"({"items":[null,null,null,{"metadata":{"name":"team-a"}}]})");
  auto missing = client().Post("/api/catalog/entities/by-refs", "{}", "application/json");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
}

TEST_F(ApiTest, Facets) {
  auto r = client().Get("/api/catalog/entity-facets?facet=spec.type&filter=kind=component");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body, R"({"facets":{"spec.type":[{"value":"service","count":15},{"value":"website","count":15}]}})");
  auto post = client().Post("/api/catalog/entity-facets", R"({"facets":["metadata.tags"]})", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->body, R"({"facets":{"metadata.tags":[{"value":"go","count":20},{"value":"java","count":10}]}})");
  auto none = client().Get("/api/catalog/entity-facets");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 400);
  EXPECT_EQ(Str(Parse(none->body), "error", "message"), "Missing facet parameter");
}

TEST_F(ApiTest, AncestryLeadsToTheRegisteredLocation) {
  auto r = client().Get("/api/catalog/entities/by-name/component/default/svc-1/ancestry");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto a = Parse(r->body);
  EXPECT_EQ(Str(a, "rootEntityRef"), "component:default/svc-1");
  std::vector<std::string> chain;
  for (const auto& item : a["items"].GetArray()) chain.push_back(Str(item["entity"], "metadata", "name"));
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(chain[0], "svc-1");
  EXPECT_EQ(chain[1], "root");
  EXPECT_EQ(chain[2].rfind("generated-", 0), 0u);
  EXPECT_EQ(a["items"][2]["parentEntityRefs"].Size(), 0u);
  auto missing = client().Get("/api/catalog/entities/by-name/component/default/nope/ancestry");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(ApiTest, LocationsLifecycle) {
  const auto extra = dir_ / "catalog" / "extra" / "extra.yaml";
  WriteFile(extra,
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: extra-svc\n"
            "spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n");
  auto listed = client().Get("/api/catalog/locations");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->body, "[]");  // start locations are configuration, not API locations
  const std::string body = R"({"type":"file","target":")" + extra.string() + R"("})";
  auto anonymous = client().Post("/api/catalog/locations", body, "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);

  auto added = client().Post("/api/catalog/locations", Auth(), body, "application/json");
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 201) << added->body;
  auto loc = Parse(added->body);
  const std::string id = Str(loc, "location", "id");
  EXPECT_EQ(Str(loc, "location", "type"), "file");
  EXPECT_EQ(Str(loc, "location", "target"), extra.string());
  EXPECT_EQ(Str(loc, "location", "entityRef").rfind("location:default/generated-", 0), 0u);
  auto entity = client().Get("/api/catalog/entities/by-name/component/default/extra-svc");
  ASSERT_TRUE(entity);
  EXPECT_EQ(entity->status, 200);

  const auto list = Parse(client().Get("/api/catalog/locations")->body);
  ASSERT_EQ(list.Size(), 1u);
  EXPECT_EQ(Str(list[0], "data", "id"), id);
  auto one = client().Get("/api/catalog/locations/" + id);
  ASSERT_TRUE(one);
  EXPECT_EQ(Str(Parse(one->body), "target"), extra.string());
  auto by_entity = client().Get("/api/catalog/locations/by-entity/component/default/extra-svc");
  ASSERT_TRUE(by_entity);
  EXPECT_EQ(Str(Parse(by_entity->body), "id"), id);
  auto by_query = client().Post("/api/catalog/locations/by-query", R"({"query":{"type":"file"}})", "application/json");
  ASSERT_TRUE(by_query);
  const auto locs = Parse(by_query->body);
  EXPECT_EQ(locs["totalItems"].GetUint(), 1u);

  auto twice = client().Post("/api/catalog/locations", Auth(), body, "application/json");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 409);
  EXPECT_EQ(Str(Parse(twice->body), "error", "message"), "Location file:" + extra.string() + " already exists");

  auto del = client().Delete("/api/catalog/locations/" + id, Auth());
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 204);
  auto after = client().Get("/api/catalog/entities/by-name/component/default/extra-svc");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 404);
  auto again = client().Delete("/api/catalog/locations/" + id, Auth());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 404);
  EXPECT_EQ(Str(Parse(again->body), "error", "message"), "Found no location with ID " + id);
}

TEST_F(ApiTest, LocationDryRunStoresNothing) {
  const auto file = dir_ / "catalog" / "dry" / "dry.yaml";
  WriteFile(file,
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: dry-svc\n"
            "spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n");
  auto r = client().Post("/api/catalog/locations?dryRun=true",
                         R"({"type":"file","target":")" + file.string() + R"("})", "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  auto d = Parse(r->body);
  EXPECT_FALSE(d["exists"].GetBool());
  std::set<std::string> names;
  for (const auto& e : d["entities"].GetArray()) names.insert(Str(e, "metadata", "name"));
  EXPECT_TRUE(names.contains("dry-svc"));
  auto stored = client().Get("/api/catalog/entities/by-name/component/default/dry-svc");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, 404);
  EXPECT_EQ(client().Get("/api/catalog/locations")->body, "[]");
}

TEST_F(ApiTest, LocationsOutsideRootsOrOfOtherTypesAreRefused) {
  const auto outside = dir_ / "outside" / "x.yaml";
  WriteFile(outside, "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: g}\nspec: {type: team, children: []}\n");
  auto r = client().Post("/api/catalog/locations", Auth(), R"({"type":"file","target":")" + outside.string() + R"("})",
                         "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403) << r->body;
  auto sneaky = client().Post("/api/catalog/locations", Auth(),
                              R"({"type":"file","target":")" + (dir_ / "catalog" / ".." / "outside" / "x.yaml").string() +
                                  R"("})",
                              "application/json");
  ASSERT_TRUE(sneaky);
  EXPECT_EQ(sneaky->status, 403) << sneaky->body;
  auto url = client().Post("/api/catalog/locations", Auth(), R"({"type":"url","target":"https://example.com/c.yaml"})",
                           "application/json");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->status, 403) << url->body;  // no backend.reading.allow: no URL is admitted
  EXPECT_NE(Str(Parse(url->body), "error", "message").find("not admitted by backend.reading.allow"), std::string::npos);
  auto extra_key = client().Post("/api/catalog/locations", Auth(), R"({"type":"file","target":"x","owner":"me"})",
                                 "application/json");
  ASSERT_TRUE(extra_key);
  EXPECT_EQ(extra_key->status, 400);
}

TEST_F(ApiTest, RefreshPicksUpAChangedFile) {
  auto before = client().Get("/api/catalog/entities/by-name/api/default/orders-api");
  ASSERT_TRUE(before);
  EXPECT_EQ(Str(Parse(before->body), "metadata", "description"), "<missing>");
  std::string text = ReadFile(dir_ / "catalog" / "services.yaml");
  const std::string needle = "  name: orders-api\n";
  text.replace(text.find(needle), needle.size(), needle + "  description: Orders, now described\n");
  WriteFile(dir_ / "catalog" / "services.yaml", text);

  auto anonymous = client().Post("/api/catalog/refresh", R"({"entityRef":"api:default/orders-api"})", "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto r = client().Post("/api/catalog/refresh", Auth(), R"({"entityRef":"api:default/orders-api"})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  auto after = client().Get("/api/catalog/entities/by-name/api/default/orders-api");
  ASSERT_TRUE(after);
  EXPECT_EQ(Str(Parse(after->body), "metadata", "description"), "Orders, now described");
  auto unknown = client().Post("/api/catalog/refresh", Auth(), R"({"entityRef":"api:default/nope"})", "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(Str(Parse(unknown->body), "error", "message"), "Entity api:default/nope not found");
}

TEST_F(ApiTest, ValidateEntity) {
  auto ok = client().Post("/api/catalog/validate-entity",
                          R"({"location":"url:https://example.com/catalog-info.yaml","entity":{"apiVersion":)"
                          R"("backstage.io/v1alpha1","kind":"Component","metadata":{"name":"fine"},"spec":)"
                          R"({"type":"service","lifecycle":"production","owner":"team-a"}}})",
                          "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  auto bad = client().Post("/api/catalog/validate-entity",
                           R"({"location":"url:https://example.com/catalog-info.yaml","entity":{"apiVersion":)"
                           R"("backstage.io/v1alpha1","kind":"Component","metadata":{"name":"not ok!"},"spec":{}}})",
                           "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto errors = Parse(bad->body);
  ASSERT_TRUE(errors.HasMember("errors")) << bad->body;
  EXPECT_GE(errors["errors"].Size(), 1u);
  EXPECT_EQ(Str(errors["errors"][0], "name"), "InputError");
  auto file_location = client().Post("/api/catalog/validate-entity", R"({"location":"file:/x","entity":{}})",
                                     "application/json");
  ASSERT_TRUE(file_location);
  EXPECT_EQ(file_location->status, 400);
}

TEST_F(ApiTest, AnalyzeLocationProposesAComponent) {
  auto r = client().Post("/api/catalog/analyze-location",
                         R"({"location":{"type":"url","target":"https://github.com/acme/payments-api"}})",
                         "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto a = Parse(r->body);
  const auto& entity = a["generateEntities"][0]["entity"];
  EXPECT_EQ(Str(entity, "metadata", "name"), "payments-api");
  EXPECT_EQ(std::string(entity["metadata"]["annotations"]["github.com/project-slug"].GetString()), "acme/payments-api");
  auto bad = client().Post("/api/catalog/analyze-location", R"({"location":{"type":"url","target":"nope"}})",
                           "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(ApiTest, HealthAndMetrics) {
  for (const char* p : {"/.backstage/health/v1/readiness", "/.backstage/health/v1/liveness"}) {
    auto r = client().Get(p);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"status":"ok"})");
  }
  ASSERT_EQ(client().Get("/api/catalog/entities/by-name/component/default/nope")->status, 404);
  ASSERT_EQ(client().Get("/api/catalog/entities/by-name/component/default/svc-1")->status, 200);
  ASSERT_EQ(client().Get("/api/catalog/entities/by-name/component/default/svc-1")->status, 200);
  const auto all = Parse(client().Get("/api/catalog/entities")->body);
  const std::size_t count = all.Size();
  auto m = client().Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200);
  EXPECT_EQ(m->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  const std::string& t = m->body;
  EXPECT_NE(t.find("idp_http_requests_total{route=\"/api/catalog/entities/by-name/:kind/:namespace/:name\",status=\"404\"} 1\n"),
            std::string::npos) << t;
  EXPECT_NE(t.find("idp_http_requests_total{route=\"/api/catalog/entities/by-name/:kind/:namespace/:name\",status=\"200\"} 2\n"),
            std::string::npos);
  EXPECT_NE(t.find("idp_catalog_entities " + std::to_string(count) + "\n"), std::string::npos);
  EXPECT_NE(t.find("idp_http_request_duration_seconds_bucket{le=\"+Inf\"}"), std::string::npos);
  EXPECT_NE(t.find("idp_catalog_processing_errors 0\n"), std::string::npos);
}

class BackgroundRefreshTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    config.refresh_interval = std::chrono::milliseconds(50);
    StartServer();
  }
};

TEST_F(BackgroundRefreshTest, AChangedFileIsPickedUpWithoutAnyRequest) {
  WriteFile(dir_ / "catalog" / "team.yaml",
            "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n"
            "  description: renamed in the background\nspec:\n  type: team\n  children: []\n");
  // Waits for the condition (the refresh timer is the server's business),
  // bounded so that a server that never refreshes fails instead of hanging.
  std::string description;
  for (int i = 0; i < 2000 && description != "renamed in the background"; ++i) {
    auto r = client().Get("/api/catalog/entities/by-name/group/default/team-a");
    ASSERT_TRUE(r);
    description = Str(Parse(r->body), "metadata", "description");
    if (description != "renamed in the background") std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(description, "renamed in the background");
  auto m = client().Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->body.find("idp_catalog_refreshes_total 1\n"), std::string::npos);  // more than the first
}

class TokenForReadsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    config.reads_require_token = true;
    StartServer();
  }
};

TEST_F(TokenForReadsTest, ReadsNeedTheTokenHealthDoesNot) {
  auto anonymous = client().Get("/api/catalog/entities/by-name/component/default/svc-1");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(Str(Parse(anonymous->body), "error", "message"), "Missing credentials");
  auto with = client().Get("/api/catalog/entities/by-name/component/default/svc-1", Auth());
  ASSERT_TRUE(with);
  EXPECT_EQ(with->status, 200);
  EXPECT_EQ(client().Get("/.backstage/health/v1/readiness")->status, 200);
  EXPECT_EQ(client().Get("/metrics")->status, 200);
}

}  // namespace
}  // namespace idp::http::testing
