// $text / $json / $yaml placeholders. Without a placeholder root the errors
// are the oracle's; with one, files below the root are read (our documented
// divergence from Backstage issue 14372) and everything else is refused.
#include "validate/placeholders.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.h"
#include "validate/validator.h"

namespace idp::catalog {
namespace {

using testing::FindDiagnostic;
using testing::Get;
using testing::Str;
using testing::TempDir;

std::string Component(std::string_view name, std::string_view metadata_extra) {
  return "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: " +
         std::string(name) + "\n" + std::string(metadata_extra) +
         "spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n";
}

constexpr std::string_view kPreprocessPrefix =
    "InputError: Processor PlaceholderProcessor threw an error while preprocessing; caused by "
    "Error: ";

TEST(PlaceholdersWithoutRoot, ErrorsMatchBackstage) {
  const std::string text =
      Component("ph-num", "  description: {$text: 7}\n") + "---\n" +
      Component("ph-url", "  description: {$json: \"https://example.com/x.json\"}\n") + "---\n" +
      Component("ph-abs", "  description: {$yaml: /etc/x.yaml}\n");
  const FileVerdict f = ValidateText("ph.yaml", text);
  ASSERT_EQ(f.documents.size(), 3u);
  EXPECT_TRUE(f.file_ok);
  for (const DocumentVerdict& d : f.documents) EXPECT_EQ(d.stage, Stage::kPreprocess);
  EXPECT_EQ(f.documents[0].error,
            std::string(kPreprocessPrefix) +
                "Placeholder $text expected a string value parameter, in the form of an absolute "
                "URL or a relative path");
  EXPECT_EQ(f.documents[1].error,
            std::string(kPreprocessPrefix) +
                "Placeholder $json could not read location https://example.com/x.json, "
                "NotFoundError: oracle is offline, cannot read https://example.com/x.json");
  EXPECT_EQ(f.documents[2].error,
            std::string(kPreprocessPrefix) +
                "Placeholder $yaml could not form a URL out of ph.yaml and /etc/x.yaml, Error: URL "
                "parsing failed.");
}

TEST(PlaceholdersWithoutRoot, GitShorthandBaseFailsInNewUrl) {
  // Backstage (git-url-parse) reads `sub/f.yaml` as a GitHub `owner/repo`.
  const FileVerdict f =
      ValidateText("sub/f.yaml", Component("ph", "  description: {$text: /abs/x.txt}\n"));
  ASSERT_EQ(f.documents.size(), 1u);
  EXPECT_EQ(f.documents[0].error,
            std::string(kPreprocessPrefix) +
                "Placeholder $text could not form a URL out of sub/f.yaml and /abs/x.txt, "
                "TypeError: Invalid URL");
}

TEST(PlaceholdersWithoutRoot, UnknownOrMixedKeysAreLeftUntouched) {
  const std::string text =
      "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: untouched\n"
      "spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
      "  extra: {$file: x}\n  other: {$text: x, more: y}\n";
  const FileVerdict f = ValidateText("ph.yaml", text);
  ASSERT_EQ(f.documents.size(), 1u);
  const DocumentVerdict& d = f.documents[0];
  ASSERT_TRUE(d.valid) << d.error.value_or("");
  const JsonValue* extra = Get(d.entity, {"spec", "extra", "$file"});
  ASSERT_NE(extra, nullptr);
  EXPECT_EQ(AsView(*extra), "x");
  const JsonValue* other = Get(d.entity, {"spec", "other"});
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->MemberCount(), 2u);
}

class PlaceholdersWithRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("repo/catalog/README.md", "hello\n");
    dir_.Write("repo/catalog/data.json", R"({"b": true, "n": 1.5, "b": false})");
    dir_.Write("repo/catalog/one.yaml", "x: 1\nlist: [a, b]\n");
    dir_.Write("repo/catalog/two.yaml", "a: 1\n---\nb: 2\n");
    dir_.Write("repo/catalog/bad.json", "{nope");
    dir_.Write("repo/shared/common.txt", "shared\n");
    dir_.Write("outside/secret.txt", "secret\n");
    dir_.Write("repo-evil/secret.txt", "secret\n");
    std::filesystem::create_symlink(dir_.path() / "outside/secret.txt",
                                    dir_.path() / "repo/catalog/link.txt");
    std::filesystem::create_symlink(dir_.path() / "outside", dir_.path() / "repo/catalog/linkdir");
    options_.placeholder_root = dir_.path() / "repo";
    file_ = dir_.path() / "repo/catalog/catalog-info.yaml";
  }

  DocumentVerdict One(std::string_view metadata_extra) {
    FileVerdict f =
        ValidateText("catalog-info.yaml", Component("ph", metadata_extra), options_, file_);
    EXPECT_EQ(f.documents.size(), 1u);
    return std::move(f.documents.at(0));
  }

  std::string ErrorOf(std::string_view metadata_extra) {
    const DocumentVerdict d = One(metadata_extra);
    EXPECT_EQ(d.stage, Stage::kPreprocess);
    const Diagnostic* diag = FindDiagnostic(d, Stage::kPreprocess);
    return diag != nullptr ? diag->message : std::string("<no preprocess problem>");
  }

  TempDir dir_;
  ValidateOptions options_;
  std::filesystem::path file_;
};

TEST_F(PlaceholdersWithRoot, ResolvesTextJsonAndYamlRelativeToTheFile) {
  const DocumentVerdict d =
      One("  description: {$text: ./README.md}\n"
          "  data: {$json: data.json}\n"
          "  conf: {$yaml: one.yaml}\n"
          "  common: {$text: ../shared/common.txt}\n");
  ASSERT_TRUE(d.valid) << d.error.value_or("");
  EXPECT_EQ(Str(Get(d.entity, {"metadata", "description"})), "hello\n");
  EXPECT_EQ(Str(Get(d.entity, {"metadata", "common"})), "shared\n");
  const JsonValue* data = Get(d.entity, {"metadata", "data"});
  ASSERT_NE(data, nullptr);
  ASSERT_TRUE(data->IsObject());
  EXPECT_EQ(data->MemberCount(), 2u);  // JSON.parse: a repeated key keeps the last value
  EXPECT_FALSE((*data)["b"].GetBool());
  EXPECT_DOUBLE_EQ((*data)["n"].GetDouble(), 1.5);
  const JsonValue* conf = Get(d.entity, {"metadata", "conf"});
  ASSERT_NE(conf, nullptr);
  EXPECT_EQ((*conf)["x"].GetInt(), 1);
  EXPECT_EQ((*conf)["list"].Size(), 2u);
}

TEST_F(PlaceholdersWithRoot, InvalidUtf8TextIsDecodedLikeNode) {
  // Buffer.toString('utf-8'): U+FFFD for each ill-formed sequence.
  dir_.Write("repo/catalog/latin1.txt", "a\xff" "b\xe2\x82" "c");
  const DocumentVerdict d = One("  description: {$text: latin1.txt}\n");
  ASSERT_TRUE(d.valid) << d.error.value_or("");
  EXPECT_EQ(Str(Get(d.entity, {"metadata", "description"})), "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c");
}

TEST_F(PlaceholdersWithRoot, AbsolutePathInsideTheRootIsRead) {
  const std::string abs = (dir_.path() / "repo/catalog/README.md").string();
  const DocumentVerdict d = One("  description: {$text: \"" + abs + "\"}\n");
  ASSERT_TRUE(d.valid) << d.error.value_or("");
  EXPECT_EQ(Str(Get(d.entity, {"metadata", "description"})), "hello\n");
}

TEST_F(PlaceholdersWithRoot, DotDotEscapeIsRefused) {
  const std::string message = ErrorOf("  description: {$text: ../../outside/secret.txt}\n");
  EXPECT_NE(message.find("is outside the placeholder root"), std::string::npos) << message;
  EXPECT_TRUE(
      message.starts_with("Placeholder $text could not read location ../../outside/secret.txt, "))
      << message;
}

TEST_F(PlaceholdersWithRoot, SiblingWithTheRootAsNamePrefixIsRefused) {
  const std::string message = ErrorOf("  description: {$text: ../../repo-evil/secret.txt}\n");
  EXPECT_NE(message.find("is outside the placeholder root"), std::string::npos) << message;
}

TEST_F(PlaceholdersWithRoot, SymlinkEscapeIsRefused) {
  EXPECT_NE(ErrorOf("  description: {$text: link.txt}\n").find("is outside the placeholder root"),
            std::string::npos);
  EXPECT_NE(ErrorOf("  description: {$text: linkdir/secret.txt}\n")
                .find("is outside the placeholder root"),
            std::string::npos);
}

TEST_F(PlaceholdersWithRoot, AbsolutePathOutsideIsRefused) {
  const std::string abs = (dir_.path() / "outside/secret.txt").string();
  EXPECT_NE(
      ErrorOf("  description: {$text: \"" + abs + "\"}\n").find("is outside the placeholder root"),
      std::string::npos);
}

TEST_F(PlaceholdersWithRoot, MissingFileIsAReadError) {
  const std::string message = ErrorOf("  description: {$text: nope.md}\n");
  EXPECT_NE(message.find("could not read location nope.md"), std::string::npos) << message;
  EXPECT_NE(message.find("ENOENT"), std::string::npos) << message;
}

TEST_F(PlaceholdersWithRoot, YamlWithTwoDocumentsIsAnError) {
  EXPECT_EQ(ErrorOf("  conf: {$yaml: two.yaml}\n"),
            "Placeholder $yaml expected to find exactly one document of data at two.yaml, found 2");
}

TEST_F(PlaceholdersWithRoot, InvalidJsonIsAnError) {
  const std::string message = ErrorOf("  data: {$json: bad.json}\n");
  EXPECT_TRUE(
      message.starts_with("Placeholder $json failed to parse JSON data at bad.json, SyntaxError: "))
      << message;
}

TEST_F(PlaceholdersWithRoot, DeeplyNestedJsonIsRefusedWithoutCrashing) {
  dir_.Write("repo/catalog/deep.json", std::string(200000, '[') + std::string(200000, ']'));
  const std::string message = ErrorOf("  data: {$json: deep.json}\n");
  EXPECT_NE(message.find("nested deeper than"), std::string::npos) << message;
}

TEST_F(PlaceholdersWithRoot, AbsoluteUrlsStillFailOffline) {
  EXPECT_EQ(ErrorOf("  description: {$text: \"https://example.com/README.md\"}\n"),
            "Placeholder $text could not read location https://example.com/README.md, "
            "NotFoundError: oracle is offline, cannot read https://example.com/README.md");
}

TEST_F(PlaceholdersWithRoot, PlaceholdersInsideListsAreResolved) {
  const DocumentVerdict d = One("  items:\n    - {$text: README.md}\n    - plain\n");
  ASSERT_TRUE(d.valid) << d.error.value_or("");
  const JsonValue* items = Get(d.entity, {"metadata", "items"});
  ASSERT_NE(items, nullptr);
  EXPECT_EQ(AsView((*items)[0]), "hello\n");
  EXPECT_EQ(AsView((*items)[1]), "plain");
}

TEST_F(PlaceholdersWithRoot, WithoutAFilePathNothingIsRead) {
  const FileVerdict f = ValidateText(
      "catalog-info.yaml", Component("ph", "  description: {$text: ./README.md}\n"), options_);
  ASSERT_EQ(f.documents.size(), 1u);
  EXPECT_EQ(f.documents[0].error,
            std::string(kPreprocessPrefix) +
                "Placeholder $text could not form a URL out of catalog-info.yaml and ./README.md, "
                "TypeError: Invalid URL");
}

TEST(AbsoluteUrl, FollowsWhatwgParsing) {
  EXPECT_TRUE(IsAbsoluteUrl("https://example.com/x"));
  EXPECT_TRUE(IsAbsoluteUrl("mailto:x"));
  EXPECT_TRUE(IsAbsoluteUrl("http:example.com"));
  EXPECT_TRUE(IsAbsoluteUrl("file:///etc/passwd"));
  EXPECT_FALSE(IsAbsoluteUrl("http://"));
  EXPECT_FALSE(IsAbsoluteUrl("./x.txt"));
  EXPECT_FALSE(IsAbsoluteUrl("/abs/x"));
  EXPECT_FALSE(IsAbsoluteUrl("1http://x"));
  EXPECT_FALSE(IsAbsoluteUrl("README.md"));
}

}  // namespace
}  // namespace idp::catalog
