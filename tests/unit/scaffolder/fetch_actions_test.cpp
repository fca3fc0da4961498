// fetch:plain, fetch:plain:file, fetch:template, fetch:template:file against
// real skeleton directories.
#include "test_util.h"

namespace idp::scaffolder {
namespace {

using testing::ReadFile;
using testing::Runner;
using testing::Steps;
using testing::TempDir;
using testing::WriteFile;
namespace fs = std::filesystem;

class Fetch : public ::testing::Test {
 protected:
  TempDir tmp;
  Runner runner{tmp.path()};
  fs::path sk() { return tmp.path() / "skeleton"; }
  fs::path ws() { return runner.workspace(); }
};

TEST_F(Fetch, TemplateRendersNamesContentsAndConditionalEntries) {
  WriteFile(sk() / "${{ values.name }}/README.md", "# ${{ values.name | upper }}\n");
  WriteFile(sk() / "{% if values.db %}db{% endif %}/schema.sql", "create table ${{ values.name }};\n");
  WriteFile(sk() / "{% if values.docs %}docs.md{% endif %}", "docs\n");
  WriteFile(sk() / ".hidden", "${{ values.name }}\n");
  auto r = runner.Run(Steps(R"(    - action: fetch:template
      input:
        url: ./skeleton
        values: {name: svc, db: false, docs: true}
)"),
                      "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ReadFile(ws() / "svc/README.md"), "# SVC\n");
  EXPECT_FALSE(fs::exists(ws() / "db"));
  EXPECT_EQ(ReadFile(ws() / "docs.md"), "docs\n");
  EXPECT_EQ(ReadFile(ws() / ".hidden"), "svc\n");
  EXPECT_NE(r.AllMessages().find("Writing file .hidden to template output path with mode 33188."), std::string::npos)
      << r.AllMessages();
}

TEST_F(Fetch, CopyWithoutTemplatingKeepsContentsButRendersNames) {
  WriteFile(sk() / "raw/${{ values.name }}.txt", "${{ keep }}\n");
  WriteFile(sk() / "raw/skip.md", "${{ keep }}\n");
  WriteFile(sk() / "cooked.txt", "${{ values.name }}\n");
  auto r = runner.Run(Steps(R"(    - action: fetch:template
      input:
        url: ./skeleton
        targetPath: out
        values: {name: svc}
        copyWithoutTemplating: ['raw/**', '!raw/*.md']
)"),
                      "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ReadFile(ws() / "out/raw/svc.txt"), "${{ keep }}\n");
  // Negated back out of the list: rendered (`keep` is undefined).
  EXPECT_EQ(ReadFile(ws() / "out/raw/skip.md"), "\n");
  EXPECT_EQ(ReadFile(ws() / "out/cooked.txt"), "svc\n");
}

TEST_F(Fetch, NjkExtensionRendersOnlyThoseFiles) {
  WriteFile(sk() / "app.py.njk", "name = '${{ values.name }}'\n");
  WriteFile(sk() / "plain.txt", "${{ values.name }}\n");
  auto r = runner.Run(Steps(R"(    - action: fetch:template
      input: {url: ./skeleton, values: {name: svc}, templateFileExtension: true}
)"),
                      "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ReadFile(ws() / "app.py"), "name = 'svc'\n");
  EXPECT_EQ(ReadFile(ws() / "plain.txt"), "${{ values.name }}\n");
  auto bad = runner.Run(Steps(R"(    - action: fetch:template
      input: {url: ./skeleton, templateFileExtension: true, cookiecutterCompat: true, targetPath: other}
)"),
                        "{}");
  ASSERT_FALSE(bad.outcome.ok);
  EXPECT_EQ(bad.outcome.error.name, "InputError");
  EXPECT_EQ(bad.outcome.error.message,
            "Fetch action input extension incompatible with copyWithoutTemplating and cookiecutterCompat");
}

TEST_F(Fetch, CookiecutterCompatUsesTheCookiecutterContext) {
  WriteFile(sk() / "{{ cookiecutter.name }}.txt", "{{ cookiecutter.name | jsonify }}\n");
  auto r = runner.Run(Steps(R"(    - action: fetch:template
      input: {url: ./skeleton, values: {name: svc}, cookiecutterCompat: true}
)"),
                      "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ReadFile(ws() / "svc.txt"), "\"svc\"\n");
}

TEST_F(Fetch, ExistingFilesAreKeptUnlessReplace) {
  WriteFile(sk() / "a.txt", "new ${{ values.v }}\n");
  WriteFile(ws() / "a.txt", "old\n");
  auto keep = runner.Run(Steps("    - action: fetch:template\n      input: {url: ./skeleton, values: {v: 1}}\n"), "{}");
  ASSERT_TRUE(keep.outcome.ok) << keep.outcome.error.message;
  EXPECT_EQ(ReadFile(ws() / "a.txt"), "old\n");
  auto replace = runner.Run(
      Steps("    - action: fetch:template\n      input: {url: ./skeleton, values: {v: 1}, replace: true}\n"), "{}");
  ASSERT_TRUE(replace.outcome.ok) << replace.outcome.error.message;
  EXPECT_EQ(ReadFile(ws() / "a.txt"), "new 1\n");
}

TEST_F(Fetch, BinaryFilesAreCopiedAsTheyAre) {
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0${{ values.x }}\xff", 20);
  WriteFile(sk() / "logo.png", png);
  auto r = runner.Run(Steps("    - action: fetch:template\n      input: {url: ./skeleton, values: {x: 1}}\n"), "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ReadFile(ws() / "logo.png"), png);
}

TEST_F(Fetch, RenderedPathEscapingTheWorkspaceIsNotAllowed) {
  WriteFile(sk() / "${{ values.p }}", "x\n");
  auto r = runner.Run(Steps("    - action: fetch:template\n      input: {url: ./skeleton, values: {p: ../../escaped}}\n"),
                      "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.name, "NotAllowedError");
  EXPECT_EQ(r.outcome.error.message, "Relative path is not allowed to refer to a directory outside its parent");
  EXPECT_FALSE(fs::exists(tmp.path() / "escaped"));
  EXPECT_FALSE(fs::exists(tmp.path().parent_path() / "escaped"));
}

TEST_F(Fetch, TargetPathAndUrlEscapesAreNotAllowed) {
  WriteFile(sk() / "a.txt", "a\n");
  for (std::string_view input : {"{url: ./skeleton, targetPath: ../out}", "{url: ./skeleton, targetPath: /tmp/x}",
                                 "{url: ../../etc}"}) {
    auto r = runner.Run(Steps("    - action: fetch:template\n      input: " + std::string(input) + "\n"), "{}");
    ASSERT_FALSE(r.outcome.ok) << input;
    EXPECT_EQ(r.outcome.error.name, "NotAllowedError") << input << ": " << r.outcome.error.message;
  }
}

TEST_F(Fetch, SkeletonSymlinksAreCopiedAsLinksNeverFollowed) {
  WriteFile(tmp.path() / "outside.txt", "SECRET ${{ values.x }}\n");
  WriteFile(sk() / "a.txt", "a\n");
  fs::create_symlink("a.txt", sk() / "inner-link");
  fs::create_symlink(tmp.path() / "outside.txt", sk() / "outer-link");
  auto r = runner.Run(Steps("    - action: fetch:template\n      input: {url: ./skeleton, values: {x: 1}}\n"), "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_TRUE(fs::is_symlink(ws() / "inner-link"));
  EXPECT_EQ(fs::read_symlink(ws() / "inner-link"), "a.txt");
  // The link leaving the skeleton is not copied at all (fetchContents' filter).
  EXPECT_FALSE(fs::exists(fs::symlink_status(ws() / "outer-link")));
}

TEST_F(Fetch, WorkspaceLinkCannotRedirectAWrite) {
  WriteFile(sk() / "out/file.txt", "data\n");
  fs::create_directories(ws());
  fs::create_directories(tmp.path() / "elsewhere");
  fs::create_directory_symlink(tmp.path() / "elsewhere", ws() / "out");
  auto r = runner.Run(Steps("    - action: fetch:template\n      input: {url: ./skeleton, replace: true}\n"), "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.name, "NotAllowedError");
  EXPECT_FALSE(fs::exists(tmp.path() / "elsewhere/file.txt"));
}

TEST_F(Fetch, PlainCopiesVerbatimAndPlainFileOneFile) {
  WriteFile(sk() / "x/${{ values.n }}.txt", "${{ values.n }}\n");
  WriteFile(sk() / "x/lit.txt", "${{ values.n }}\n");
  auto r = runner.Run(Steps(R"(    - action: fetch:plain
      input: {url: ./skeleton, targetPath: plain}
    - action: fetch:plain:file
      input: {url: ./skeleton/x/lit.txt, targetPath: one/file.txt}
    - action: fetch:template:file
      input: {url: ./skeleton/x/lit.txt, targetPath: rendered.txt, values: {n: 7}}
)"),
                      "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ReadFile(ws() / "plain/x/${{ values.n }}.txt"), "${{ values.n }}\n");
  EXPECT_EQ(ReadFile(ws() / "one/file.txt"), "${{ values.n }}\n");
  EXPECT_EQ(ReadFile(ws() / "rendered.txt"), "7\n");
}

// Templates that loop forever or grow gigabytes hit the engine's limits:
// the step fails with a clear error, nothing half-written is left behind.
TEST_F(Fetch, RunawayTemplatesFailOnLimits) {
  WriteFile(sk() / "loop.txt", "{% for i in range(0, 1000000000) %}x{% endfor %}\n");
  auto loop = runner.Run(Steps("    - action: fetch:template\n      input: {url: ./skeleton}\n"), "{}");
  ASSERT_FALSE(loop.outcome.ok);
  EXPECT_NE(loop.outcome.error.message.find("template limit exceeded"), std::string::npos) << loop.outcome.error.message;
  EXPECT_FALSE(fs::exists(ws() / "loop.txt"));
  fs::remove(sk() / "loop.txt");
  WriteFile(sk() / "grow.txt", "{% set s = \"x\" %}{% for i in range(0, 40) %}{% set s = s + s %}{% endfor %}${{ s }}\n");
  auto grow = runner.Run(Steps("    - action: fetch:template\n      input: {url: ./skeleton}\n"), "{}");
  ASSERT_FALSE(grow.outcome.ok);
  EXPECT_NE(grow.outcome.error.message.find("template limit exceeded: string longer than"), std::string::npos)
      << grow.outcome.error.message;
  EXPECT_FALSE(fs::exists(ws() / "grow.txt"));
}

TEST_F(Fetch, RemoteUrlsAreAClearError) {
  auto r = runner.Run(Steps("    - action: fetch:plain\n      input: {url: 'https://github.com/o/r'}\n"), "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_NE(r.outcome.error.message.find("https://github.com/o/r"), std::string::npos);
}

}  // namespace
}  // namespace idp::scaffolder
