// fs:delete, fs:rename, fs:readdir, debug:log and debug:wait, including the
// CVE-2026-24046 cases (deleting and reading through links).
#include "scaffolder/files.h"
#include "test_util.h"

namespace idp::scaffolder {
namespace {

using testing::ReadFile;
using testing::Runner;
using testing::Steps;
using testing::TempDir;
using testing::WriteFile;
namespace fs = std::filesystem;

class FsActions : public ::testing::Test {
 protected:
  TempDir tmp;
  Runner runner{tmp.path()};
  fs::path ws() { return runner.workspace(); }
  fs::path outside() { return tmp.path() / "outside"; }
  void SetUp() override {
    WriteFile(ws() / "keep.txt", "k");
    WriteFile(ws() / "tmp/a.log", "a");
    WriteFile(ws() / "tmp/sub/b.log", "b");
    WriteFile(ws() / ".env", "e");
    WriteFile(outside() / "precious.txt", "p");
  }
};

TEST_F(FsActions, DeleteGlobsAndDotFiles) {
  auto r = runner.Run(Steps("    - action: fs:delete\n      input: {files: ['tmp/**/*.log', '.env', 'nothing-*']}\n"),
                      "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_FALSE(fs::exists(ws() / "tmp/a.log"));
  EXPECT_FALSE(fs::exists(ws() / "tmp/sub/b.log"));
  EXPECT_FALSE(fs::exists(ws() / ".env"));
  EXPECT_TRUE(fs::exists(ws() / "keep.txt"));
}

TEST_F(FsActions, DeleteOutsideIsNotAllowed) {
  auto r = runner.Run(Steps("    - action: fs:delete\n      input: {files: ['../outside/*']}\n"), "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.name, "NotAllowedError");
  EXPECT_TRUE(fs::exists(outside() / "precious.txt"));
}

// CVE-2026-24046: fs:delete deleted through symlinks.
TEST_F(FsActions, Cve2026_24046_DeleteThroughALinkIsRefused) {
  fs::create_directory_symlink(outside(), ws() / "link");
  auto r = runner.Run(Steps("    - action: fs:delete\n      input: {files: ['link/precious.txt']}\n"), "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.name, "NotAllowedError");
  EXPECT_TRUE(fs::exists(outside() / "precious.txt"));
}

TEST_F(FsActions, RenameMovesAndRespectsOverwrite) {
  auto r = runner.Run(Steps(R"(    - action: fs:rename
      input:
        files:
          - {from: keep.txt, to: moved/kept.txt}
          - {from: tmp, to: logs}
)"),
                      "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ReadFile(ws() / "moved/kept.txt"), "k");
  EXPECT_TRUE(fs::exists(ws() / "logs/sub/b.log"));
  auto clash = runner.Run(Steps("    - action: fs:rename\n      input: {files: [{from: .env, to: logs}]}\n"), "{}");
  ASSERT_FALSE(clash.outcome.ok);
  EXPECT_EQ(clash.outcome.error.message, "dest already exists.");
  auto over = runner.Run(
      Steps("    - action: fs:rename\n      input: {files: [{from: .env, to: logs, overwrite: true}]}\n"), "{}");
  ASSERT_TRUE(over.outcome.ok) << over.outcome.error.message;
  EXPECT_EQ(ReadFile(ws() / "logs"), "e");
}

TEST_F(FsActions, RenameOutOfTheWorkspaceIsNotAllowed) {
  auto r = runner.Run(Steps("    - action: fs:rename\n      input: {files: [{from: keep.txt, to: ../outside/k}]}\n"),
                      "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.name, "NotAllowedError");
  EXPECT_TRUE(fs::exists(ws() / "keep.txt"));
  EXPECT_FALSE(fs::exists(outside() / "k"));
}

TEST_F(FsActions, ReaddirListsFilesAndFolders) {
  auto r = runner.Run(Steps(R"(    - id: top
      action: fs:readdir
      input: {paths: [tmp]}
    - id: deep
      action: fs:readdir
      input: {paths: [tmp], recursive: true}
  output:
    top: '${{ steps.top.output }}'
    deep: '${{ steps.deep.output.files }}'
)"),
                      "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  const JsonValue& top = r.outcome.output["top"];
  ASSERT_EQ(top["files"].Size(), 1u) << ToJsonString(top);
  EXPECT_EQ(AsView(top["files"][0]["name"]), "a.log");
  EXPECT_EQ(AsView(top["files"][0]["path"]), "tmp/a.log");
  EXPECT_EQ(AsView(top["files"][0]["fullPath"]), (ws() / "tmp/a.log").string());
  ASSERT_EQ(top["folders"].Size(), 1u);
  EXPECT_EQ(AsView(top["folders"][0]["path"]), "tmp/sub");
  const JsonValue& deep = r.outcome.output["deep"];
  ASSERT_EQ(deep.Size(), 2u) << ToJsonString(deep);
  EXPECT_EQ(AsView(deep[1]["path"]), "tmp/sub/b.log");
  auto escape = runner.Run(Steps("    - action: fs:readdir\n      input: {paths: ['..']}\n"), "{}");
  ASSERT_FALSE(escape.outcome.ok);
  EXPECT_EQ(escape.outcome.error.name, "NotAllowedError");
}

// CVE-2026-24046: debug:log with-contents read files through symlinks.
TEST_F(FsActions, Cve2026_24046_DebugLogDoesNotReadThroughLinks) {
  fs::create_symlink(outside() / "precious.txt", ws() / "peek");
  auto r = runner.Run(Steps(R"(    - action: debug:log
      input: {message: hello, listWorkspace: with-contents}
)"),
                      "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  const std::string m = r.AllMessages();
  EXPECT_NE(m.find("hello"), std::string::npos);
  EXPECT_NE(m.find("  - keep.txt:\n\n  k"), std::string::npos) << m;
  EXPECT_NE(m.find("  - peek:\n\n  [skipped]"), std::string::npos) << m;
}

TEST_F(FsActions, DebugWaitOverTheLimitIsAnInputError) {
  auto r = runner.Run(Steps("    - action: debug:wait\n      input: {minutes: 11}\n"), "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_NE(r.outcome.error.message.find("longer than the maximum threshold"), std::string::npos);
  auto ok = runner.Run(Steps("    - action: debug:wait\n      input: {milliseconds: 5}\n"), "{}");
  EXPECT_TRUE(ok.outcome.ok) << ok.outcome.error.message;
}

}  // namespace
}  // namespace idp::scaffolder

namespace idp::scaffolder {
namespace {

// A full disk: the write error says so (the step's error names the file and
// the reason). /dev/full answers every write with ENOSPC.
TEST(Files, AFullDiskIsAClearError) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  Status s = WriteWholeFile("/dev/full", "some bytes");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kIo);
  EXPECT_NE(s.message().find("/dev/full: No space left on device"), std::string::npos) << s.message();
}

TEST(Files, OversizedFilesAreRefusedBeforeReading) {
  testing::TempDir tmp;
  testing::WriteFile(tmp.path() / "big", std::string(4096, 'x'));
  auto r = ReadWholeFile(tmp.path() / "big", 1024);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kLimit);
  EXPECT_EQ(ReadWholeFile(tmp.path() / "big", 4096).value().size(), 4096u);
}

}  // namespace
}  // namespace idp::scaffolder
