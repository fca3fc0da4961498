// `url` locations end to end: a real cpp-httplib server on an ephemeral
// 127.0.0.1 port, a real SQLite file, the Catalog facade.
#include <SQLiteCpp/SQLiteCpp.h>
#include <httplib.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "catalog/catalog.h"
#include "catalog/location_entity.h"
#include "catalog/url.h"
#include "annotate_location_processor.h"
#include "catalog_test_support.h"
#include "facade_test_support.h"

namespace idp::catalog {
namespace {

using test::MustGet;
using test::TempTree;

constexpr const char* kRoot =
    "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\nspec:\n"
    "  targets: [./components.yaml, sub/more.yaml, /repo/redirected.yaml]\n"
    "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n"
    "  type: team\n  children: []\n";
constexpr const char* kComponents =
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\n  annotations:\n"
    "    backstage.io/view-url: https://example.com/mine\nspec:\n  type: website\n  lifecycle: production\n"
    "  owner: team-a\n  dependsOn: [component:api]\n";
constexpr const char* kMore =
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: api\nspec:\n  type: service\n"
    "  lifecycle: production\n  owner: team-a\n";
constexpr const char* kRedirected =
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: worker\nspec:\n  type: service\n"
    "  lifecycle: production\n  owner: team-a\n";

// The test server: files, redirects, a stalling and an oversized response.
class Server {
 public:
  Server() {
    const auto yaml = [](const char* text) {
      return [text](const httplib::Request&, httplib::Response& res) { res.set_content(text, "text/yaml"); };
    };
    server_.Get("/repo/catalog-info.yaml", yaml(kRoot));
    server_.Get("/repo/components.yaml", yaml(kComponents));
    server_.Get("/repo/sub/more.yaml", yaml(kMore));
    server_.Get("/repo/redirected.yaml", [this](const httplib::Request&, httplib::Response& res) {
      res.set_redirect(Base() + "/files/worker.yaml", 302);
    });
    server_.Get("/files/worker.yaml", yaml(kRedirected));
    // Off the allowlist: the same server under another host name.
    server_.Get("/off", [this](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("http://localhost:" + std::to_string(port_) + "/repo/components.yaml", 301);
    });
    server_.Get("/loop-a", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop-b", 302); });
    server_.Get("/loop-b", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("loop-a", 307); });
    server_.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      for (int i = 0; i < 40 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      res.set_content(kMore, "text/yaml");
    });
    server_.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(4096, '#'), "text/yaml");
    });
    server_.Get("/error", [](const httplib::Request&, httplib::Response& res) { res.status = 500; });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Server() {
    stopping_ = true;
    server_.stop();
    thread_.join();
  }
  std::string Base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string HostPort() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

UrlOptions Options(const Server& s) {
  UrlOptions o;
  o.allowlist = {s.HostPort()};
  o.read_timeout = std::chrono::milliseconds(300);
  o.max_bytes = 1024;
  return o;
}

Catalog Open(const TempTree& tree, UrlOptions url) {
  CatalogOptions o;
  o.db_path = (tree.root() / "catalog.db").string();
  o.url = std::move(url);
  o.threads = 2;
  auto c = Catalog::Open(std::move(o));
  EXPECT_TRUE(c.ok()) << c.status().message();
  return std::move(c).value();
}

std::string Annotation(const Json& e, const char* key) {
  const JsonValue* a = FindMember(e["metadata"], "annotations");
  const JsonValue* v = a ? FindMember(*a, key) : nullptr;
  return v && v->IsString() ? std::string(AsView(*v)) : "<none>";
}

// The processing errors of `ref` (never processed successfully: stored with
// its errors, not served).
std::string ErrorsOf(const TempTree& tree, const std::string& ref) {
  SQLite::Database db((tree.root() / "catalog.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT errors FROM refresh_state WHERE entity_ref = ?");
  q.bind(1, ref);
  return q.executeStep() ? q.getColumn(0).getString() : "<no refresh state for " + ref + ">";
}

std::string LocationErrors(const TempTree& tree, const std::string& url) {
  return ErrorsOf(tree, "location:default/" + GeneratedLocationName({"url", url}));
}

TEST(UrlLocation, ReadsTargetsRelativeToTheUrlWithBackstagesAnnotations) {
  Server server;
  TempTree tree;
  Catalog c = Open(tree, Options(server));
  const std::string root = server.Base() + "/repo/catalog-info.yaml";
  ASSERT_TRUE(c.AddUrlLocation(root).ok());
  auto r = c.Refresh();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->failed, 0u);
  for (const char* ref : {"component:default/web", "component:default/api", "component:default/worker",
                          "group:default/team-a", "location:default/root"}) {
    EXPECT_TRUE(c.GetByRef(ref)->has_value()) << ref;
  }
  const Json api = MustGet(c, "component:default/api");
  EXPECT_EQ(Annotation(api, "backstage.io/managed-by-location"), "url:" + server.Base() + "/repo/sub/more.yaml");
  EXPECT_EQ(Annotation(api, "backstage.io/managed-by-origin-location"), "url:" + root);
  EXPECT_EQ(Annotation(api, "backstage.io/view-url"), server.Base() + "/repo/sub/more.yaml");
  EXPECT_EQ(Annotation(api, "backstage.io/edit-url"), "<none>");  // no SCM integration for this host
  EXPECT_EQ(Annotation(api, "backstage.io/source-location"), "<none>");
  // Backstage's key order: location, origin, view-url first.
  const std::string json = ToJsonString(api["metadata"]["annotations"]);
  EXPECT_LT(json.find("managed-by-origin-location"), json.find("view-url")) << json;
  // The entity's own view-url wins.
  EXPECT_EQ(Annotation(MustGet(c, "component:default/web"), "backstage.io/view-url"), "https://example.com/mine");
  // A redirect within the allowlist is followed; the location keeps the URL asked for.
  EXPECT_EQ(Annotation(MustGet(c, "component:default/worker"), "backstage.io/managed-by-location"),
            "url:" + server.Base() + "/repo/redirected.yaml");
  // The relations are stitched as for files.
  EXPECT_NE(ToJsonString(MustGet(c, "component:default/web")["relations"]).find("component:default/api"),
            std::string::npos);

  // Refresh: the same content again changes nothing.
  auto again = c.Refresh();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->written, 0u);
  EXPECT_EQ(again->stitched, 0u);
}

TEST(UrlLocation, EveryFailureIsAClearErrorOnItsLocation) {
  Server server;
  TempTree tree;
  Catalog c = Open(tree, Options(server));
  const std::string b = server.Base();
  struct Case {
    std::string url;
    std::string expected;
  } cases[] = {
      {"http://localhost:1/repo/components.yaml",
       "Unable to read url, NotAllowedError: Reading from 'http://localhost:1/repo/components.yaml' is not allowed: "
       "its host is not on the URL allowlist"},
      {b + "/off", "it redirects to 'http://localhost:" + server.HostPort().substr(10) +
                       "/repo/components.yaml', whose host is not on the URL allowlist"},
      {b + "/loop-a", "redirect loop (" + b + "/loop-a -> " + b + "/loop-b -> " + b + "/loop-a)"},
      {b + "/slow", "timed out after 300 ms reading " + b + "/slow"},
      {b + "/big", b + "/big is larger than the limit of 1024 bytes"},
      {b + "/missing.yaml",
       "\"name\":\"NotFoundError\",\"message\":\"Unable to read url, NotFoundError: could not read " + b +
           "/missing.yaml, 404 Not Found\""},
      {b + "/error", "could not read " + b + "/error, 500 Internal Server Error"},
  };
  for (const Case& k : cases) ASSERT_TRUE(c.AddUrlLocation(k.url).ok()) << k.url;
  auto r = c.Refresh();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->failed, std::size(cases));
  for (const Case& k : cases) {
    const std::string errors = LocationErrors(tree, k.url);
    EXPECT_NE(errors.find(k.expected), std::string::npos) << k.url << "\n" << errors;
  }
}

TEST(UrlLocation, NothingStoredIsLostWhenAUrlStopsAnswering) {
  TempTree tree;
  std::string root;
  {
    Server server;
    Catalog c = Open(tree, Options(server));
    root = server.Base() + "/repo/catalog-info.yaml";
    ASSERT_TRUE(c.AddUrlLocation(root).ok());
    ASSERT_TRUE(c.Refresh().ok());
  }
  // The server is gone: the refresh reports the error and keeps what it had.
  UrlOptions o;
  o.allowlist = {ParseUrl(root)->HostPort()};
  o.connect_timeout = std::chrono::milliseconds(300);
  Catalog c = Open(tree, o);
  auto r = c.Refresh();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->failed, 1u);
  EXPECT_TRUE(r->deleted.empty());
  EXPECT_TRUE(c.GetByRef("component:default/worker")->has_value());
  const std::string errors = ErrorsOf(tree, "location:default/" + GeneratedLocationName({"url", root}));
  EXPECT_NE(errors.find("could not read " + root), std::string::npos) << errors;
  // Served as before, with the error in status.items.
  EXPECT_NE(ToJsonString(MustGet(c, "location:default/" + GeneratedLocationName({"url", root}))).find(
                "could not read " + root),
            std::string::npos);
}

TEST(UrlLocation, FileLocationsMayPointAtUrlsButUrlsNotAtFiles) {
  Server server;
  TempTree tree;
  const std::string file = tree.Write("catalog-info.yaml",
                                      "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: l\n"
                                      "spec:\n  type: url\n  target: " + server.Base() + "/repo/sub/more.yaml\n");
  CatalogOptions o;
  o.db_path = (tree.root() / "catalog.db").string();
  o.allowed_roots = {tree.root()};
  o.url = Options(server);
  auto c = Catalog::Open(std::move(o));
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c->AddFileLocation(file).ok());
  ASSERT_TRUE(c->Refresh().ok());
  EXPECT_EQ(Annotation(MustGet(*c, "component:default/api"), "backstage.io/managed-by-origin-location"),
            "file:" + file);
  EXPECT_EQ(c->AddUrlLocation("ftp://example.com/x.yaml").status().code(), Code::kInvalidArgument);
}

TEST(UrlLocation, AUrlReadingItselfIsACycle) {
  // /self.yaml holds a Location whose target is itself.
  httplib::Server s;
  s.Get("/self.yaml", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: self\n"
                    "spec:\n  target: ./self.yaml\n",
                    "text/yaml");
  });
  const int port = s.bind_to_any_port("127.0.0.1");
  std::thread t([&] { s.listen_after_bind(); });
  TempTree tree;
  UrlOptions o;
  o.allowlist = {"127.0.0.1:" + std::to_string(port)};
  Catalog c = Open(tree, o);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/self.yaml";
  ASSERT_TRUE(c.AddUrlLocation(url).ok());
  auto r = c.Refresh();
  s.stop();
  t.join();
  ASSERT_TRUE(r.ok());
  const std::string errors = ErrorsOf(tree, "location:default/self");
  EXPECT_NE(errors.find("Location cycle: url:" + url + " is already being read"), std::string::npos) << errors;
}

TEST(Url, ParseResolveAndAllow) {
  EXPECT_EQ(ParseUrl("HTTPS://Example.COM:443/a/./b/../c?x=1#frag")->ToString(), "https://example.com/a/c?x=1");
  EXPECT_EQ(ParseUrl("http://h:8080")->ToString(), "http://h:8080/");
  for (const char* bad : {"ftp://h/x", "h/x", "http://user:pw@h/x", "http://h:99999/", "http:///x", "http://h/a b"}) {
    EXPECT_EQ(ParseUrl(bad).status().code(), Code::kInvalidArgument) << bad;
  }
  const std::string base = "https://h.example/org/repo/catalog-info.yaml?ref=main";
  EXPECT_EQ(*ResolveUrl(base, "./a.yaml"), "https://h.example/org/repo/a.yaml?ref=main");
  EXPECT_EQ(*ResolveUrl(base, "../x/b.yaml"), "https://h.example/org/x/b.yaml?ref=main");
  EXPECT_EQ(*ResolveUrl(base, "/top.yaml"), "https://h.example/top.yaml?ref=main");
  EXPECT_EQ(*ResolveUrl(base, "https://other/x"), "https://other/x");
  EXPECT_EQ(*ResolveReference(base, "next?y=2"), "https://h.example/org/repo/next?y=2");
  EXPECT_EQ(*ResolveReference(base, "//cdn/x"), "https://cdn/x");

  const std::vector<std::string> allow = {"h.example/org", "*.corp.example", "127.0.0.1:8080"};
  EXPECT_TRUE(UrlAllowed(*ParseUrl("https://H.example/org/x"), allow));
  EXPECT_FALSE(UrlAllowed(*ParseUrl("https://h.example/organisation/x"), allow));
  EXPECT_FALSE(UrlAllowed(*ParseUrl("https://h.example/org/../etc"), allow));  // normalised to /etc
  EXPECT_TRUE(UrlAllowed(*ParseUrl("http://a.b.corp.example/x"), allow));
  EXPECT_FALSE(UrlAllowed(*ParseUrl("http://corp.example/x"), allow));
  EXPECT_TRUE(UrlAllowed(*ParseUrl("http://127.0.0.1:8080/x"), allow));
  EXPECT_FALSE(UrlAllowed(*ParseUrl("http://127.0.0.1:8081/x"), allow));
  EXPECT_FALSE(UrlAllowed(*ParseUrl("http://127.0.0.1/x"), allow));
  EXPECT_FALSE(UrlAllowed(*ParseUrl("http://h.example/org"), {}));
}

TEST(Url, GithubAnnotations) {
  const UrlAnnotations a = UrlAnnotationsFor("https://github.com/o/r/blob/main/dir/catalog-info.yaml");
  EXPECT_EQ(a.view_url, "https://github.com/o/r/blob/main/dir/catalog-info.yaml");
  EXPECT_EQ(a.edit_url, "https://github.com/o/r/edit/main/dir/catalog-info.yaml");
  EXPECT_EQ(a.source_location, "url:https://github.com/o/r/tree/main/dir/");
  const UrlAnnotations pinned =
      UrlAnnotationsFor("https://github.com/o/r/blob/0123456789abcdef0123456789abcdef01234567/catalog-info.yaml");
  EXPECT_EQ(pinned.edit_url, std::nullopt);
  EXPECT_EQ(UrlAnnotationsFor("https://git.internal/o/r/x.yaml").edit_url, std::nullopt);
}

}  // namespace
}  // namespace idp::catalog
