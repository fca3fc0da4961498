// A real idp-server (in process) over a real SQLite file in a fresh folder,
// with a small catalog written to disk, plus the clients the tests use.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "http/config.h"
#include "http/server.h"

namespace idp::http::testing {

inline constexpr const char* kToken = "s3cret-token-for-tests";

inline void WriteFile(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

inline std::string ReadFile(const std::filesystem::path& p) {
  std::string out;
  if (std::FILE* f = std::fopen(p.c_str(), "rb")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

// 1 group, 30 components (services and websites), 1 API, under one root Location.
inline void WriteCatalog(const std::filesystem::path& dir) {
  WriteFile(dir / "root.yaml",
            "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\n"
            "spec:\n  targets: [./team.yaml, ./services.yaml]\n");
  WriteFile(dir / "team.yaml",
            "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n"
            "spec:\n  type: team\n  children: []\n");
  std::string services;
  for (int i = 1; i <= 30; ++i) {
    services += "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-" +
                std::to_string(i) + "\n  tags: [" + (i % 3 == 0 ? "java" : "go") +
                "]\nspec:\n  type: " + (i % 2 == 0 ? "website" : "service") +
                "\n  lifecycle: production\n  owner: team-a\n";
  }
  services +=
      "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: orders-api\n"
      "spec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition: openapi\n";
  WriteFile(dir / "services.yaml", services);
}

class ServerTest : public ::testing::Test {
 protected:
  // Tests adjust `config` in their own SetUp before calling StartServer.
  void SetUp() override {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("idp-http-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(dir_);
    WriteCatalog(dir_ / "catalog");
    config.port = 0;
    config.db_path = (dir_ / "catalog.db").string();
    config.locations = {(dir_ / "catalog" / "root.yaml").string()};
    config.refresh_interval = std::chrono::milliseconds(0);
    config.access_log = false;
    config.tokens = {{kToken, "tests"}};
    config.threads = 2;
  }

  void TearDown() override {
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void StartServer() {
    auto s = Server::Start(config);
    ASSERT_TRUE(s.ok()) << s.status().message();
    server_ = std::move(s).value();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(30, 0);  // a safety net, not an assertion
  }

  httplib::Client& client() { return *client_; }
  std::uint16_t port() const { return server_->port(); }
  static httplib::Headers Auth() { return {{"Authorization", std::string("Bearer ") + kToken}}; }

  static rapidjson::Document Parse(const std::string& body) {
    rapidjson::Document d;
    d.Parse(body.c_str());
    EXPECT_FALSE(d.HasParseError()) << body;
    return d;
  }

  ServerConfig config;
  std::filesystem::path dir_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace idp::http::testing
