// The one containment rule (spec 8.1) and a regression test per path
// advisory of spec 8.3, on a real file system.
#include "scaffolder/path_safety.h"

#include "test_util.h"

namespace idp::scaffolder {
namespace {

using testing::TempDir;
using testing::WriteFile;
namespace fs = std::filesystem;

class PathSafety : public ::testing::Test {
 protected:
  TempDir tmp;
  fs::path ws() { return tmp.path() / "ws"; }
  fs::path outside() { return tmp.path() / "outside"; }
  void SetUp() override {
    fs::create_directories(ws());
    fs::create_directories(outside());
    WriteFile(outside() / "secret.txt", "s3cret");
  }
  void ExpectRefused(std::string_view rel) {
    auto r = ResolveSafeChildPath(ws(), rel);
    ASSERT_FALSE(r.ok()) << rel << " resolved to " << r->string();
    EXPECT_EQ(r.status().code(), Code::kNotAllowed);
    EXPECT_EQ(r.status().message(), kOutsideParentMessage);
  }
};

TEST_F(PathSafety, PlainChildrenAreAccepted) {
  auto r = ResolveSafeChildPath(ws(), "a/b/c.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, ws() / "a/b/c.txt");
  auto self = ResolveSafeChildPath(ws(), "./");
  ASSERT_TRUE(self.ok());
  EXPECT_EQ(*self, ws());
  auto folded = ResolveSafeChildPath(ws(), "a/../b");
  ASSERT_TRUE(folded.ok());
  EXPECT_EQ(*folded, ws() / "b");
}

// resolveSafeChildPath's original rule: `..` leaving the base is refused.
TEST_F(PathSafety, DotDotEscapeIsRefused) {
  ExpectRefused("../outside/secret.txt");
  ExpectRefused("a/../../x");
  ExpectRefused("..");
}

// path.resolve semantics: an absolute path replaces the base.
TEST_F(PathSafety, AbsolutePathIsRefused) {
  ExpectRefused("/etc/passwd");
  ExpectRefused(outside().string());
  // An absolute path that happens to lie inside is a child.
  EXPECT_TRUE(ResolveSafeChildPath(ws(), (ws() / "x").string()).ok());
}

// A sibling whose name shares the base's prefix is not a child.
TEST_F(PathSafety, PrefixSiblingIsNotAChild) {
  fs::create_directories(tmp.path() / "ws2");
  ExpectRefused("../ws2/file");
}

// CVE-2024-26150: a symlink inside the workspace pointing outside.
TEST_F(PathSafety, Cve2024_26150_SymlinkToOutsideIsRefused) {
  fs::create_directory_symlink(outside(), ws() / "link");
  ExpectRefused("link/secret.txt");
  ExpectRefused("link");
  ExpectRefused("link/new-file");  // a write through the link
}

// CVE-2026-24047: chains of links, each hop looking harmless.
TEST_F(PathSafety, Cve2026_24047_SymlinkChainIsRefused) {
  fs::create_directories(ws() / "d");
  fs::create_directory_symlink(outside(), ws() / "d/hop2");
  fs::create_symlink("d/hop2", ws() / "hop1");
  ExpectRefused("hop1/secret.txt");
  // A relative link climbing out through `..`.
  fs::create_symlink("../../outside", ws() / "d/up");
  ExpectRefused("d/up/secret.txt");
}

// CVE-2026-24047: a dangling link whose (future) target lies outside.
TEST_F(PathSafety, Cve2026_24047_DanglingSymlinkIsRefused) {
  fs::create_symlink(outside() / "not-yet-there.txt", ws() / "dangling");
  ExpectRefused("dangling");
  // A dangling link to a dangling link to outside.
  fs::create_symlink("dangling", ws() / "dangling2");
  ExpectRefused("dangling2");
  // A dangling link inside stays a child.
  fs::create_symlink("missing-inside", ws() / "ok-dangling");
  EXPECT_TRUE(ResolveSafeChildPath(ws(), "ok-dangling").ok());
}

TEST_F(PathSafety, SymlinkLoopIsAnErrorNotAHang) {
  fs::create_symlink("loop-b", ws() / "loop-a");
  fs::create_symlink("loop-a", ws() / "loop-b");
  auto r = ResolveSafeChildPath(ws(), "loop-a/x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotAllowed);
}

TEST_F(PathSafety, LinkInsideStaysInside) {
  fs::create_directories(ws() / "real");
  fs::create_directory_symlink(ws() / "real", ws() / "alias");
  EXPECT_TRUE(ResolveSafeChildPath(ws(), "alias/file").ok());
  auto real = RealPathOf(ws() / "alias/file");
  ASSERT_TRUE(real.ok());
  EXPECT_EQ(*real, ws() / "real/file");
}

TEST_F(PathSafety, BaseBehindALinkIsComparedByRealPath) {
  fs::create_directory_symlink(ws(), tmp.path() / "ws-link");
  auto r = ResolveSafeChildPath(tmp.path() / "ws-link", "a.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, tmp.path() / "ws-link/a.txt");
}

TEST_F(PathSafety, NulByteIsRefused) {
  auto r = ResolveSafeChildPath(ws(), std::string_view("a\0b", 3));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace idp::scaffolder
