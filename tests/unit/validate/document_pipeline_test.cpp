// Per-document verdicts. Expected stages and error texts were taken from the
// oracle (shared/oracle/validate.mjs, real Backstage code) run on the same
// YAML under the same file name.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "test_support.h"
#include "validate/validator.h"

namespace idp::catalog {
namespace {

using testing::FindDiagnostic;
using testing::Get;
using testing::LineOf;

constexpr std::string_view kMulti = R"(apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc
spec:
  type: service
  lifecycle: production
  owner: team-a
  providesApis: [zeta, alpha]
---
42
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
)";

TEST(DocumentPipeline, OneFileFatalDocumentMakesTheWholeFileNotOk) {
  const FileVerdict f = ValidateText("multi.yaml", kMulti);
  ASSERT_EQ(f.documents.size(), 3u);
  EXPECT_FALSE(f.file_ok);

  const DocumentVerdict& svc = f.documents[0];
  EXPECT_TRUE(svc.valid);
  EXPECT_FALSE(svc.file_fatal);
  EXPECT_EQ(svc.ref, "component:default/svc");
  EXPECT_FALSE(svc.error.has_value());
  const std::vector<Relation> expected = {
      {"api:default/alpha", "apiProvidedBy", "component:default/svc"},
      {"api:default/zeta", "apiProvidedBy", "component:default/svc"},
      {"component:default/svc", "ownedBy", "group:default/team-a"},
      {"component:default/svc", "providesApi", "api:default/alpha"},
      {"component:default/svc", "providesApi", "api:default/zeta"},
      {"group:default/team-a", "ownerOf", "component:default/svc"},
  };
  EXPECT_EQ(svc.relations, expected);

  const DocumentVerdict& number = f.documents[1];
  EXPECT_FALSE(number.valid);
  EXPECT_TRUE(number.file_fatal);
  EXPECT_EQ(number.stage, Stage::kRootNotObject);
  EXPECT_EQ(number.error, "Error: Expected object at root, got number");
  EXPECT_FALSE(number.kind.has_value());
  EXPECT_EQ(number.start.line, 11u);

  EXPECT_TRUE(f.documents[2].valid);
  EXPECT_EQ(f.documents[2].index, 2u);
}

TEST(DocumentPipeline, FileIsOkWhenNoDocumentIsFileFatal) {
  const std::string text = std::string(kMulti).replace(std::string(kMulti).find("42\n"), 3, "");
  const FileVerdict f = ValidateText("multi.yaml", text);
  EXPECT_TRUE(f.file_ok);
  ASSERT_EQ(f.documents.size(), 3u);
  EXPECT_EQ(f.documents[1].stage, Stage::kIgnored);
  EXPECT_FALSE(f.documents[1].valid);
  EXPECT_TRUE(f.documents[1].errors.empty());
}

constexpr std::string_view kStages = R"(apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: policy-bad
  labels:
    tier: null
spec:
  type: service
  lifecycle: production
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Widget
metadata:
  name: unknown-kind
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: kind-bad
spec:
  type: service
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: loc-type
spec:
  type: github
  target: https://example.com/x.yaml
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: loc-slash
spec:
  target: ./dir/
  targets:
    - ./ok.yaml
    - ./other/
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: post-bad
spec:
  type: service
  lifecycle: production
  owner: team-a
  dependsOn: [db]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: pre-bad
  description:
    $text: ./README.md
spec:
  type: service
  lifecycle: production
  owner: team-a
)";

class StagesTest : public ::testing::Test {
 protected:
  void SetUp() override { file_ = ValidateText("stages.yaml", kStages); }
  const DocumentVerdict& Doc(std::size_t i) const { return file_.documents.at(i); }
  FileVerdict file_;
};

TEST_F(StagesTest, EntityLevelFailuresDoNotBreakTheFile) {
  ASSERT_EQ(file_.documents.size(), 7u);
  EXPECT_TRUE(file_.file_ok);
  for (const DocumentVerdict& d : file_.documents) {
    EXPECT_FALSE(d.valid) << d.index;
    EXPECT_FALSE(d.file_fatal) << d.index;
    EXPECT_TRUE(d.relations.empty()) << d.index;
  }
}

TEST_F(StagesTest, Policy) {
  EXPECT_EQ(Doc(0).stage, Stage::kPolicy);
  EXPECT_EQ(Doc(0).error,
            "InputError: Policy check failed for component:default/policy-bad; caused by Error: "
            "Malformed envelope, /metadata/labels/tier must be string");
  const Diagnostic* d = FindDiagnostic(Doc(0), Stage::kPolicy, "labels");
  ASSERT_NE(d, nullptr);
  // Positioned on the key where the offending field is written.
  EXPECT_EQ(d->mark.line, LineOf(kStages, "tier: null"));
  EXPECT_EQ(d->mark.column, 5u);
}

TEST_F(StagesTest, KindNotRecognised) {
  EXPECT_EQ(Doc(1).stage, Stage::kKind);
  EXPECT_EQ(Doc(1).error,
            "InputError: No processor recognized the entity widget:default/unknown-kind as valid, "
            "possibly caused by a foreign kind or apiVersion");
  EXPECT_EQ(Doc(1).ref, "widget:default/unknown-kind");
}

TEST_F(StagesTest, KindSchema) {
  EXPECT_EQ(Doc(2).stage, Stage::kKind);
  EXPECT_EQ(Doc(2).error,
            "InputError: Processor BuiltinKindsEntityProcessor threw an error while validating "
            "the entity component:default/kind-bad; caused by TypeError: /spec must have required "
            "property 'lifecycle' - missingProperty: lifecycle");
  const Diagnostic* d = FindDiagnostic(Doc(2), Stage::kKind, "lifecycle");
  ASSERT_NE(d, nullptr);
  // A missing field is reported where its parent is written.
  const std::uint32_t spec_line = LineOf(kStages.substr(kStages.find("name: kind-bad")), "spec:") +
                                  LineOf(kStages, "name: kind-bad") - 1;
  EXPECT_EQ(d->mark.line, spec_line);
  EXPECT_EQ(d->mark.column, 1u);
}

TEST_F(StagesTest, LocationTypeNotAllowed) {
  EXPECT_EQ(Doc(3).stage, Stage::kLocation);
  EXPECT_EQ(Doc(3).error, R"(InputError: Registered locations must be of an allowed type ["url"])");
  ASSERT_EQ(Doc(3).errors.size(), 1u);
  EXPECT_EQ(Doc(3).errors[0].path, "spec.type");
  EXPECT_EQ(Doc(3).errors[0].mark.line, LineOf(kStages, "type: github"));
}

TEST_F(StagesTest, LocationFileTargetsEndingWithSlashQuoteTheContainingFile) {
  const std::string one =
      "InputError: LocationEntityProcessor cannot handle file type location with target "
      "stages.yaml that ends with a path separator";
  EXPECT_EQ(Doc(4).stage, Stage::kLocation);
  EXPECT_EQ(Doc(4).error, one + "; " + one);
  ASSERT_EQ(Doc(4).errors.size(), 2u);
  EXPECT_EQ(Doc(4).errors[0].path, "spec.target");
  EXPECT_EQ(Doc(4).errors[1].path, "spec.targets[1]");
  EXPECT_EQ(Doc(4).errors[1].mark.line, LineOf(kStages, "- ./other/"));
  EXPECT_EQ(Doc(4).errors[1].mark.column, 7u);
}

TEST_F(StagesTest, Postprocess) {
  EXPECT_EQ(Doc(5).stage, Stage::kPostprocess);
  EXPECT_EQ(Doc(5).error,
            "InputError: Processor BuiltinKindsEntityProcessor threw an error while "
            "postprocessing; caused by Error: Entity reference \"db\" had missing or empty kind "
            "(e.g. did not start with \"component:\" or similar)");
  const Diagnostic* d = FindDiagnostic(Doc(5), Stage::kPostprocess, "\"db\"");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->mark.line, LineOf(kStages, "dependsOn: [db]"));
  EXPECT_EQ(d->mark.column, 15u);  // the list item itself
}

TEST_F(StagesTest, PreprocessWithoutPlaceholderRootFailsLikeBackstage) {
  EXPECT_EQ(Doc(6).stage, Stage::kPreprocess);
  EXPECT_EQ(Doc(6).error,
            "InputError: Processor PlaceholderProcessor threw an error while preprocessing; "
            "caused by Error: Placeholder $text could not form a URL out of stages.yaml and "
            "./README.md, TypeError: Invalid URL");
  ASSERT_FALSE(Doc(6).errors.empty());
  EXPECT_EQ(Doc(6).errors[0].path, "metadata.description");
  EXPECT_EQ(Doc(6).errors[0].mark.line, LineOf(kStages, "  description:"));
}

TEST(DocumentPipeline, SortedArraysStillPointAtTheWrittenItem) {
  constexpr std::string_view kText = R"(apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: sorted
spec:
  type: service
  lifecycle: production
  owner: team-a
  dependsOn: [resource:zz, db]
)";
  const FileVerdict f = ValidateText("sorted.yaml", kText);
  ASSERT_EQ(f.documents.size(), 1u);
  const DocumentVerdict& d = f.documents[0];
  EXPECT_EQ(d.stage, Stage::kPostprocess);
  EXPECT_NE(d.error->find("Entity reference \"db\" had missing or empty kind"), std::string::npos);
  const Diagnostic* diag = FindDiagnostic(d, Stage::kPostprocess, "\"db\"");
  ASSERT_NE(diag, nullptr);
  // Pre-processing sorted the list to [db, resource:zz]; the mark is db's.
  EXPECT_EQ(diag->mark.line, 9u);
  EXPECT_EQ(diag->mark.column, 28u);
}

TEST(DocumentPipeline, EveryProblemOfEveryStageIsListed) {
  constexpr std::string_view kText = R"(apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: many
  tags: [Java]
status: {}
spec:
  type: service
  lifecycle: production
  owner: 5
)";
  const FileVerdict f = ValidateText("many.yaml", kText);
  ASSERT_EQ(f.documents.size(), 1u);
  const DocumentVerdict& d = f.documents[0];
  EXPECT_EQ(d.stage, Stage::kPolicy);
  // Backstage reports only the first problem...
  EXPECT_EQ(d.error,
            "InputError: Policy check failed for component:default/many; caused by Error: "
            "Unknown field status");
  // ...we keep all of them, each with its stage and position.
  const Diagnostic* unknown = FindDiagnostic(d, Stage::kPolicy, "Unknown field status");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->mark.line, 6u);
  const Diagnostic* tag = FindDiagnostic(d, Stage::kPolicy, "Java");
  ASSERT_NE(tag, nullptr);
  EXPECT_EQ(tag->mark.line, 5u);
  const Diagnostic* owner = FindDiagnostic(d, Stage::kKind, "owner");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->mark.line, 10u);
  EXPECT_EQ(owner->mark.column, 3u);
  EXPECT_TRUE(f.file_ok);
}

TEST(DocumentPipeline, EnvelopeErrorsAreFileFatal) {
  constexpr std::string_view kText = R"(kind: Component
metadata:
  name: no-api
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: fine
spec:
  type: service
  lifecycle: production
  owner: team-a
)";
  const FileVerdict f = ValidateText("env.yaml", kText);
  ASSERT_EQ(f.documents.size(), 2u);
  EXPECT_FALSE(f.file_ok);
  EXPECT_EQ(f.documents[0].stage, Stage::kEnvelope);
  EXPECT_TRUE(f.documents[0].file_fatal);
  EXPECT_EQ(f.documents[0].error,
            "TypeError: <root> must have required property 'apiVersion' - missingProperty: "
            "apiVersion");
  EXPECT_EQ(f.documents[0].ref, "component:default/no-api");
  EXPECT_TRUE(f.documents[1].valid);
  EXPECT_FALSE(f.documents[1].file_fatal);
}

TEST(DocumentPipeline, AnnotationsThatAreNotAMapAreAnEnvelopeError) {
  constexpr std::string_view kText = R"(apiVersion: v1
kind: Component
metadata:
  name: y
  annotations: [a]
)";
  const FileVerdict f = ValidateText("b.yaml", kText);
  ASSERT_EQ(f.documents.size(), 1u);
  EXPECT_EQ(f.documents[0].stage, Stage::kEnvelope);
  EXPECT_EQ(f.documents[0].error, "Error: metadata.annotations must be a valid object");
  EXPECT_FALSE(f.file_ok);
}

TEST(DocumentPipeline, YamlErrorsAreFileFatal) {
  constexpr std::string_view kText = R"(apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: dup
  name: again
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: g
spec:
  type: team
  children: []
)";
  const FileVerdict f = ValidateText("yamlerr.yaml", kText);
  ASSERT_EQ(f.documents.size(), 2u);
  EXPECT_FALSE(f.file_ok);
  const DocumentVerdict& bad = f.documents[0];
  EXPECT_EQ(bad.stage, Stage::kYaml);
  EXPECT_TRUE(bad.file_fatal);
  ASSERT_TRUE(bad.error.has_value());
  // The oracle's text: yaml's message, position and source excerpt.
  EXPECT_EQ(*bad.error,
            "Error: YAML error at file:yamlerr.yaml, YAMLParseError: Map keys must be unique at "
            "line 5, column 3:\n\n  name: dup\n  name: again\n  ^\n");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].mark.line, 5u);
  EXPECT_FALSE(bad.kind.has_value());
  EXPECT_TRUE(f.documents[1].valid);
}

TEST(DocumentPipeline, AbortedParseMakesTheRestOfTheFileUnreadable) {
  constexpr std::string_view kText = R"(apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: before
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: *missing
---
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: after
)";
  const FileVerdict f = ValidateText("./abort.yaml", kText);
  EXPECT_FALSE(f.file_ok);
  ASSERT_EQ(f.documents.size(), 4u);
  EXPECT_TRUE(f.documents[0].valid);
  EXPECT_FALSE(f.documents[0].file_fatal);
  const DocumentVerdict& aborted = f.documents[1];
  EXPECT_EQ(aborted.index, 1u);
  EXPECT_EQ(aborted.stage, Stage::kYaml);
  EXPECT_TRUE(aborted.file_fatal);
  // The target is the normalized label, as Backstage registers it.
  EXPECT_EQ(aborted.error,
            "file abort.yaml could not be read, ReferenceError: Unresolved alias (the anchor must "
            "be set before the alias): missing");
  EXPECT_EQ(aborted.errors.at(0).mark.line, 12u);
  EXPECT_EQ(aborted.errors.at(0).mark.column, 9u);
  // Later documents were never read by Backstage; the oracle still lists them.
  EXPECT_EQ(f.documents[2].stage, Stage::kIgnored);
  EXPECT_FALSE(f.documents[2].file_fatal);
  const DocumentVerdict& later = f.documents[3];
  EXPECT_EQ(later.index, 3u);
  EXPECT_EQ(later.stage, Stage::kYaml);
  EXPECT_TRUE(later.file_fatal);
  EXPECT_EQ(later.error, aborted.error);
  EXPECT_EQ(later.name, "after");
  EXPECT_EQ(later.ref, "group:default/after");
  EXPECT_EQ(later.start.line, 15u);
}

TEST(DocumentPipeline, SeveralAbortsStillListEveryDocument) {
  constexpr std::string_view kText = "a: *x\n---\nb: *y\n---\nkind: K\nmetadata: {name: n}\n";
  const FileVerdict f = ValidateText("aborts.yaml", kText);
  ASSERT_EQ(f.documents.size(), 3u);
  for (const DocumentVerdict& d : f.documents) {
    EXPECT_EQ(d.stage, Stage::kYaml) << d.index;
    EXPECT_EQ(d.error,
              "file aborts.yaml could not be read, ReferenceError: Unresolved alias (the "
              "anchor must be set before the alias): x")
        << d.index;
  }
  EXPECT_EQ(f.documents[2].kind, "K");
  EXPECT_EQ(f.documents[2].start.line, 5u);
}

TEST(DocumentPipeline, LocationAnnotationsAreStampedOnACopy) {
  constexpr std::string_view kText = R"(apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ann
  annotations: ~
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ann2
  annotations:
    backstage.io/managed-by-location: url:https://elsewhere
    a.b/c: d
spec:
  type: team
  children: []
)";
  const FileVerdict f = ValidateText("ann.yaml", kText);
  ASSERT_EQ(f.documents.size(), 2u);
  for (const DocumentVerdict& d : f.documents) {
    ASSERT_TRUE(d.valid) << d.index << ": " << d.error.value_or("");
    const JsonValue* annotations = Get(d.entity, {"metadata", "annotations"});
    ASSERT_NE(annotations, nullptr);
    ASSERT_TRUE(annotations->IsObject());
    // Backstage's order: location, origin, then the entity's own.
    auto it = annotations->MemberBegin();
    EXPECT_EQ(AsView(it->name), "backstage.io/managed-by-location");
    EXPECT_EQ(AsView(it->value), "file:ann.yaml");
    ++it;
    EXPECT_EQ(AsView(it->name), "backstage.io/managed-by-origin-location");
    EXPECT_EQ(AsView(it->value), "file:ann.yaml");
    EXPECT_EQ(annotations->MemberCount(), d.index == 0 ? 2u : 3u);
    EXPECT_EQ(AsView(d.entity.MemberBegin()->name), "metadata");
  }
  const JsonValue* other = Get(f.documents[1].entity, {"metadata", "annotations", "a.b/c"});
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(AsView(*other), "d");
}

TEST(DocumentPipeline, SameRefTwiceInOneFileIsNotAnError) {
  constexpr std::string_view kText = R"(apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: twin
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: Twin
spec:
  type: team
  children: []
)";
  const FileVerdict f = ValidateText("twins.yaml", kText);
  ASSERT_EQ(f.documents.size(), 2u);
  EXPECT_TRUE(f.file_ok);
  EXPECT_TRUE(f.documents[0].valid);
  EXPECT_TRUE(f.documents[1].valid);
  EXPECT_EQ(f.documents[0].ref, f.documents[1].ref);
  EXPECT_EQ(f.documents[1].name, "Twin");
}

TEST(DocumentPipeline, TemplateKindErrorsNameTheScaffolderProcessor) {
  constexpr std::string_view kText = R"(apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: t1
spec:
  type: x
)";
  const FileVerdict f = ValidateText("e.yaml", kText);
  ASSERT_EQ(f.documents.size(), 1u);
  EXPECT_EQ(f.documents[0].stage, Stage::kKind);
  EXPECT_EQ(f.documents[0].error,
            "InputError: Processor ScaffolderEntitiesProcessor threw an error while validating the "
            "entity template:default/t1; caused by TypeError: /spec must have required property "
            "'steps' - missingProperty: steps");
}

TEST(DocumentPipeline, EntitiesAreKeptOnlyWhenAskedFor) {
  ValidateOptions options;
  options.keep_entity = false;
  const FileVerdict f = ValidateText("multi.yaml", kMulti, options);
  ASSERT_EQ(f.documents.size(), 3u);
  EXPECT_TRUE(f.documents[0].valid);
  EXPECT_TRUE(f.documents[0].entity.IsNull());
  EXPECT_FALSE(f.documents[0].relations.empty());
  const FileVerdict kept = ValidateText("multi.yaml", kMulti);
  EXPECT_TRUE(kept.documents[0].entity.IsObject());
}

TEST(DocumentPipeline, EmptyTextHasNoDocuments) {
  const FileVerdict f = ValidateText("empty.yaml", "# only a comment\n");
  EXPECT_TRUE(f.documents.empty());
  EXPECT_TRUE(f.file_ok);
}

TEST(DocumentPipeline, ValidatingInParallelGivesTheSameVerdicts) {
  const std::string expected = [] {
    const FileVerdict f = ValidateText("stages.yaml", kStages);
    std::string all;
    for (const DocumentVerdict& d : f.documents) all += DocumentVerdictJson(f, d, true) + "\n";
    return all;
  }();
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&results, t] {
      for (int round = 0; round < 20; ++round) {
        const FileVerdict f = ValidateText("stages.yaml", kStages);
        std::string all;
        for (const DocumentVerdict& d : f.documents) all += DocumentVerdictJson(f, d, true) + "\n";
        results[t] = std::move(all);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (const std::string& r : results) EXPECT_EQ(r, expected);
}

}  // namespace
}  // namespace idp::catalog
