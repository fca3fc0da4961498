#include "graph/graph_svg.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace idp::graph {
namespace {

namespace fs = std::filesystem;

Traversal Sample() {
  Traversal t;
  t.nodes = {{"component:default/web", 0, true}, {"resource:default/db", 1, false}};
  t.edges = {{"component:default/web", "dependsOn", "resource:default/db"}};
  return t;
}

class GraphSvg : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("idp-svg-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "bin");
    fs::create_directories(dir_ / "plain");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(GraphSvg, FindExecutableSkipsPlainFilesAndEmptyEntries) {
  std::ofstream(dir_ / "plain" / "dot") << "not executable\n";
  fs::create_symlink("/bin/true", dir_ / "bin" / "dot");
  const std::string plain = (dir_ / "plain").string(), bin = (dir_ / "bin").string();
  EXPECT_EQ(FindExecutable("dot", "::" + plain + ":" + bin), (dir_ / "bin" / "dot").string());
  EXPECT_EQ(FindExecutable("dot", plain), std::nullopt);
  EXPECT_EQ(FindExecutable("dot", ""), std::nullopt);
}

TEST_F(GraphSvg, NoDotIsAClearError) {
  auto svg = TraversalSvg(Sample(), (dir_ / "plain").string());
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.status().code(), Code::kNotFound);
  EXPECT_NE(svg.status().message().find("Graphviz's `dot`"), std::string::npos) << svg.status().message();
}

TEST_F(GraphSvg, AFailingDotReportsItsExitStatus) {
  fs::create_symlink("/bin/false", dir_ / "bin" / "dot");  // a real program that fails
  auto svg = TraversalSvg(Sample(), (dir_ / "bin").string());
  ASSERT_FALSE(svg.ok());
  EXPECT_EQ(svg.status().code(), Code::kIo);
  EXPECT_NE(svg.status().message().find("-Tsvg failed (exit status 1)"), std::string::npos) << svg.status().message();
}

TEST_F(GraphSvg, RendersWithGraphviz) {
  const char* path = std::getenv("PATH");
  if (!FindExecutable("dot", path ? path : "")) GTEST_SKIP() << "Graphviz's dot is not installed";
  auto svg = TraversalSvg(Sample());
  ASSERT_TRUE(svg.ok()) << svg.status().message();
  EXPECT_NE(svg->find("<svg"), std::string::npos);
  EXPECT_NE(svg->find("component:default/web"), std::string::npos);
  EXPECT_NE(svg->find("dependsOn"), std::string::npos);
  EXPECT_NE(svg->find("</svg>"), std::string::npos);
}

}  // namespace
}  // namespace idp::graph
