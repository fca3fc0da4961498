// app-config loading: every key, flag-style listen strings, and errors that
// name file, line and key.
#include "http_fixture.h"

namespace idp::http::testing {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() / ("idp-http-config-" + std::to_string(::getpid()) + ".yaml");
    WriteFile(path_, text);
    return path_.string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::filesystem::path path_;
};

TEST_F(ConfigTest, ExampleConfigLoads) {
  ServerConfig c;
  Status s = LoadConfigFile(std::string(IDP_SOURCE_DIR) + "/examples/app-config.yaml", c);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 7007);
  ASSERT_EQ(c.tokens.size(), 1u);
  EXPECT_EQ(c.tokens[0].subject, "ci-bot");
  EXPECT_EQ(c.locations, std::vector<std::string>{"examples/all.yaml"});
  EXPECT_EQ(c.refresh_interval, std::chrono::minutes(2));
  EXPECT_EQ(c.limits.request_timeout, std::chrono::seconds(10));
  EXPECT_EQ(c.rules.rules.size(), 1u);
  EXPECT_EQ(c.allowed_roots.size(), 1u);
}

TEST_F(ConfigTest, EveryKeyIsRead) {
  ServerConfig c;
  Status s = LoadConfigFile(Write(R"(
backend:
  listen: ":0"
  threads: 3
  queryThreads: 4
  database: {connection: {filename: /tmp/x.db}}
  accessLog: false
  auth:
    readsRequireToken: true
    externalAccess:
      - {type: static, options: {token: abcdefgh1, subject: a}}
      - {type: static, options: {token: 123456789, subject: b}}
  reading: {allow: [{host: example.com, paths: [/a/]}]}
  limits:
    maxBodyBytes: 10
    maxHeaderBytes: 2048
    maxConnections: 5
    requestTimeout: {seconds: 2}
    idleTimeout: 1500
    maxCachedBytes: 0
catalog:
  locations: [{type: file, target: a.yaml}, {type: file, target: b.yaml}]
  rules: [{allow: [Component], locations: [{type: file, pattern: "/x/**"}]}]
  processingInterval: false
  orphanStrategy: keep
  readonly: true
  allowedRoots: [/srv]
)"),
                            c);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.port, 0);
  EXPECT_EQ(c.threads, 3u);
  EXPECT_EQ(c.query_threads, 4u);
  EXPECT_EQ(c.db_path, "/tmp/x.db");
  EXPECT_FALSE(c.access_log);
  EXPECT_TRUE(c.reads_require_token);
  ASSERT_EQ(c.tokens.size(), 2u);
  EXPECT_EQ(c.tokens[1].token, "123456789");
  ASSERT_EQ(c.url_allow.size(), 1u);
  EXPECT_EQ(c.url_allow[0].paths, std::vector<std::string>{"/a/"});
  EXPECT_EQ(c.limits.max_body_bytes, 10u);
  EXPECT_EQ(c.limits.max_header_bytes, 2048u);
  EXPECT_EQ(c.limits.max_connections, 5u);
  EXPECT_EQ(c.limits.request_timeout, std::chrono::seconds(2));
  EXPECT_EQ(c.limits.idle_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.limits.max_cached_bytes, 0u);
  EXPECT_EQ(c.locations.size(), 2u);
  ASSERT_EQ(c.rules.rules.size(), 1u);
  EXPECT_EQ(c.rules.rules[0].locations->at(0).pattern, "/x/**");
  EXPECT_EQ(c.refresh_interval.count(), 0);
  EXPECT_EQ(c.orphan_strategy, store::OrphanStrategy::kKeep);
  EXPECT_TRUE(c.readonly);
  EXPECT_EQ(c.allowed_roots.size(), 1u);
}

TEST_F(ConfigTest, FirstDraftIdpServerKeysStillWork) {
  ServerConfig c;
  Status s = LoadConfigFile(Write("idp:\n  server:\n    readsRequireToken: true\n    accessLog: false\n"
                                  "    limits: {maxBodyBytes: 4096, maxHeaderBytes: 4096, maxConnections: 64,"
                                  " requestTimeoutMs: 1500}\n"),
                            c);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(c.reads_require_token);
  EXPECT_FALSE(c.access_log);
  EXPECT_EQ(c.limits.max_body_bytes, 4096u);
  EXPECT_EQ(c.limits.max_connections, 64u);
  EXPECT_EQ(c.limits.request_timeout, std::chrono::milliseconds(1500));
}

TEST_F(ConfigTest, ErrorsNameFileLineAndKey) {
  struct Case {
    const char* yaml;
    const char* where;
    const char* key;
  } cases[] = {
      {"backend:\n  listen:\n    port: seventy\n", ":3:11", "backend.listen.port"},
      {"backend:\n  auth:\n    externalAccess:\n      - {type: static, options: {token: short, subject: a}}\n", ":4:",
       "backend.auth.externalAccess[].options.token"},
      {"backend:\n  limits:\n    requestTimeout: {fortnights: 1}\n", ":3:", "backend.limits.requestTimeout"},
      {"catalog:\n  locations:\n    - {type: url, target: 'https://x'}\n", ":3:", "catalog.locations[].type"},
      {"catalog:\n  orphanStrategy: sometimes\n", ":2:", "catalog.orphanStrategy"},
  };
  for (const Case& k : cases) {
    ServerConfig c;
    const std::string file = Write(k.yaml);
    Status s = LoadConfigFile(file, c);
    ASSERT_FALSE(s.ok()) << k.yaml;
    EXPECT_NE(s.message().find(file + k.where), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(k.key), std::string::npos) << s.message();
  }
  ServerConfig c;
  Status broken = LoadConfigFile(Write("backend: [unclosed\n"), c);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.message().find(path_.string() + ":"), std::string::npos) << broken.message();
  EXPECT_FALSE(LoadConfigFile("/nonexistent/app-config.yaml", c).ok());
}

TEST_F(ConfigTest, ListenStrings) {
  ServerConfig c;
  ASSERT_TRUE(ParseListen("127.0.0.1:0", c).ok());
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 0);
  ASSERT_TRUE(ParseListen("[::1]:8080", c).ok());
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.port, 8080);
  EXPECT_FALSE(ParseListen("localhost", c).ok());
  EXPECT_FALSE(ParseListen("h:65536", c).ok());
  EXPECT_FALSE(ParseListen("h:", c).ok());
}

}  // namespace
}  // namespace idp::http::testing
