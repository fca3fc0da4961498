// ValidateFile on files that cannot be read: one `io` verdict, never a crash.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "test_support.h"
#include "validate/validator.h"

namespace idp::catalog {
namespace {

using testing::TempDir;

void ExpectIo(const FileVerdict& f, std::string_view label, std::string_view error) {
  EXPECT_EQ(f.file, label);
  EXPECT_FALSE(f.file_ok);
  ASSERT_EQ(f.documents.size(), 1u);
  const DocumentVerdict& d = f.documents[0];
  EXPECT_EQ(d.index, 0u);
  EXPECT_EQ(d.stage, Stage::kIo);
  EXPECT_TRUE(d.file_fatal);
  EXPECT_FALSE(d.valid);
  EXPECT_EQ(d.error, error);
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_NE(d.errors[0].message.find(label), std::string::npos) << d.errors[0].message;
}

TEST(ValidateFile, MissingFile) {
  TempDir dir;
  ExpectIo(ValidateFile("nonexist.yaml", dir.path() / "nonexist.yaml"), "nonexist.yaml",
           "cannot read file: ENOENT: no such file or directory, open 'nonexist.yaml'");
}

TEST(ValidateFile, Directory) {
  TempDir dir;
  ExpectIo(ValidateFile("sub", dir.path()), "sub",
           "cannot read file: EISDIR: illegal operation on a directory, read");
}

TEST(ValidateFile, Unreadable) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files regardless of their mode";
  TempDir dir;
  const auto path = dir.Write("locked.yaml", "kind: x\n");
  std::filesystem::permissions(path, std::filesystem::perms::none);
  ExpectIo(ValidateFile("locked.yaml", path), "locked.yaml",
           "cannot read file: EACCES: permission denied, open 'locked.yaml'");
}

TEST(ValidateFile, LargerThanTheLimit) {
  TempDir dir;
  const auto path = dir.Write("big.yaml", std::string(100, '#') + "\n");
  ValidateOptions options;
  options.yaml_limits.max_file_bytes = 64;
  ExpectIo(ValidateFile("big.yaml", path, options), "big.yaml",
           "cannot read file: big.yaml is larger than the limit of 64 bytes");
}

TEST(ValidateFile, ExactlyAtTheLimitIsRead) {
  TempDir dir;
  const std::string text = "# comment\n";
  const auto path = dir.Write("edge.yaml", text);
  ValidateOptions options;
  options.yaml_limits.max_file_bytes = text.size();
  const FileVerdict f = ValidateFile("edge.yaml", path, options);
  EXPECT_TRUE(f.file_ok);
  EXPECT_TRUE(f.documents.empty());
}

TEST(ValidateFile, ReadsAndValidates) {
  TempDir dir;
  const auto path =
      dir.Write("ok.yaml",
                "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: g\n"
                "spec:\n  type: team\n  children: []\n");
  const FileVerdict f = ValidateFile("ok.yaml", path);
  EXPECT_TRUE(f.file_ok);
  ASSERT_EQ(f.documents.size(), 1u);
  EXPECT_TRUE(f.documents[0].valid) << f.documents[0].error.value_or("");
}

TEST(ValidateFile, ReadsFromPipesWithoutKnownSize) {
  // /proc files report size 0 but have content: reading must go to EOF.
  const FileVerdict f = ValidateFile("self-status", "/proc/self/status");
  ASSERT_FALSE(f.documents.empty());
  EXPECT_NE(f.documents[0].stage, Stage::kIo);
}

}  // namespace
}  // namespace idp::catalog
