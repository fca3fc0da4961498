// ContainingRoot with and without a refresh's directory cache: the same
// answer for plain files, links (file and directory) leading out, missing
// files and dot segments, on real files.
#include "catalog/allowed_roots.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "catalog_test_support.h"

namespace idp::catalog {
namespace {

namespace fs = std::filesystem;
using test::TempTree;

TEST(AllowedRoots, CacheGivesTheSameAnswers) {
  TempTree outside;
  outside.Write("secret.yaml", "x");
  outside.Write("dir/secret.yaml", "x");
  TempTree tree;
  tree.Write("a/b/in.yaml", "x");
  fs::create_symlink(outside.root() / "secret.yaml", tree.root() / "a/link.yaml");
  fs::create_directory_symlink(outside.root() / "dir", tree.root() / "a/linkdir");
  fs::create_directory_symlink(tree.root() / "a/b", tree.root() / "a/inner");  // stays inside
  const fs::path roots[] = {tree.root()};
  RealDirCache cache;
  struct Case {
    fs::path path;
    bool inside;
  };
  const Case cases[] = {
      {tree.root() / "a/b/in.yaml", true},
      {tree.root() / "a/b/missing.yaml", true},  // not there yet: still inside
      {tree.root() / "a/inner/in.yaml", true},
      {tree.root() / "a/link.yaml", false},
      {tree.root() / "a/linkdir/secret.yaml", false},
      {tree.root() / "a/b/../../../outside.yaml", false},
      {tree.root() / "a/linkdir/..", false},  // the link's parent, outside
      {outside.root() / "secret.yaml", false},
  };
  for (int pass = 0; pass < 2; ++pass) {  // the second pass answers from the cache
    for (const Case& c : cases) {
      EXPECT_EQ(ContainingRoot(c.path, roots).has_value(), c.inside) << c.path;
      EXPECT_EQ(ContainingRoot(c.path, roots, &cache).has_value(), c.inside) << c.path << " cached";
    }
  }
  // "/" holds everything; a root reached through a link (with a trailing
  // separator) holds what is below its target.
  const fs::path slash[] = {"/"};
  RealDirCache slash_cache;
  EXPECT_TRUE(ContainingRoot(tree.root() / "a/link.yaml", slash, &slash_cache).has_value());
  TempTree links;
  fs::create_directory_symlink(tree.root() / "a", links.root() / "alias");
  const fs::path aliased[] = {links.root() / "alias/"};
  for (int pass = 0; pass < 2; ++pass) {
    RealDirCache c;
    RealDirCache* maybe = pass == 0 ? nullptr : &c;
    EXPECT_TRUE(ContainingRoot(tree.root() / "a/b/in.yaml", aliased, maybe).has_value()) << pass;
    EXPECT_FALSE(ContainingRoot(tree.root() / "a/link.yaml", aliased, maybe).has_value()) << pass;
    EXPECT_FALSE(ContainingRoot(tree.root() / "ab.yaml", aliased, maybe).has_value()) << pass;
  }
  // A cache lives for one refresh: a link made later is seen by a new one.
  fs::remove(tree.root() / "a/b/in.yaml");
  fs::create_symlink(outside.root() / "secret.yaml", tree.root() / "a/b/in.yaml");
  RealDirCache next;
  EXPECT_FALSE(ContainingRoot(tree.root() / "a/b/in.yaml", roots, &next).has_value());
  // Even the old cache checks the file itself each time.
  EXPECT_FALSE(ContainingRoot(tree.root() / "a/b/in.yaml", roots, &cache).has_value());
}

}  // namespace
}  // namespace idp::catalog
