// Replays data/entities.jsonl: for each entity, what the real Backstage code
// decided at each step (gen_expectations.cjs), against our rules. Problems
// must be empty exactly when Backstage passes the step, and our first problem
// must be Backstage's message.
#include <gtest/gtest.h>

#include "model/entity_ref.h"
#include "model/entity_rules.h"
#include "test_util.h"

namespace idp::model {
namespace {

using testing::IsNull;
using testing::ReadFixture;
using testing::Str;

std::string Describe(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += "\n  " + FormatPath(p.path) + ": " + p.message;
  return out;
}

TEST(OracleCorpus, EveryEntityMatchesBackstage) {
  const auto cases = ReadFixture("entities.jsonl");
  ASSERT_GT(cases.size(), 300u);
  std::size_t valid = 0;
  for (const Json& c : cases) {
    const std::string name = Str(c, "name");
    SCOPED_TRACE(name);
    const std::string stage = Str(c, "stage");
    const std::string error = Str(c, "error");
    Json entity;
    entity.CopyFrom(*FindMember(c, "entity"), entity.GetAllocator());

    const auto envelope = CheckEnvelope(entity);
    if (stage == "envelope") {
      ASSERT_FALSE(envelope.empty());
      EXPECT_EQ(envelope.front().message, error);
      continue;
    }
    ASSERT_TRUE(envelope.empty()) << Describe(envelope);

    PrepareEntity(entity, entity.GetAllocator());
    const auto policies = CheckPolicies(entity);
    if (stage == "policy") {
      ASSERT_FALSE(policies.empty());
      EXPECT_EQ(policies.front().message, error) << Describe(policies);
      continue;
    }
    ASSERT_TRUE(policies.empty()) << Describe(policies);

    const KindCheck kind = CheckKind(entity);
    if (stage == "kind") {
      ASSERT_NE(kind.status, KindStatus::kValid);
      ASSERT_FALSE(kind.problems.empty());
      EXPECT_EQ(kind.problems.front().message, error) << Describe(kind.problems);
      if (kind.status == KindStatus::kInvalid) {
        EXPECT_EQ(kind.processor, Str(c, "processor"));
      } else {
        EXPECT_TRUE(IsNull(c, "processor"));
      }
      continue;
    }
    ASSERT_EQ(kind.status, KindStatus::kValid) << Describe(kind.problems);
    EXPECT_TRUE(kind.problems.empty());

    const RelationsResult relations = EmitRelations(entity);
    if (stage == "postprocess") {
      ASSERT_FALSE(relations.problems.empty());
      EXPECT_EQ(relations.problems.front().message, error);
      EXPECT_TRUE(relations.relations.empty());
      continue;
    }
    ASSERT_EQ(stage, "");
    ++valid;
    EXPECT_TRUE(relations.problems.empty()) << Describe(relations.problems);
    std::vector<Relation> expected;
    for (const auto& r : FindMember(c, "relations")->GetArray()) {
      expected.push_back({r[0].GetString(), r[1].GetString(), r[2].GetString()});
    }
    EXPECT_EQ(relations.relations, expected);
    // Same content and the same key order as Backstage's processed entity.
    EXPECT_EQ(ToJsonString(entity), ToJsonString(*FindMember(c, "prepared")));
  }
  EXPECT_GT(valid, 100u);
}

// Stages after a failure: we list every problem, and never one on a step
// Backstage would pass. Here: entities that fail one step only must not show
// problems in the steps Backstage passed before it.
TEST(OracleCorpus, ProblemsAreListedInFull) {
  Json e = testing::ParseJson(R"({"apiVersion":"Bad/v1","kind":"a-b","metadata":{"name":"x y","namespace":"NS",
    "labels":{"a b":"c d"},"tags":["Q","ok","R"],"links":[{"url":"nope","title":" "}]},"spec":{},"extra":1})");
  const auto problems = CheckPolicies(e);
  std::vector<std::string> paths;
  for (const auto& p : problems) paths.push_back(FormatPath(p.path));
  const std::vector<std::string> expected = {
      "", "extra", "apiVersion", "kind", "metadata.name", "metadata.namespace", "metadata.labels['a b']",
      "metadata.labels['a b']", "metadata.tags[0]", "metadata.tags[2]", "metadata.links[0].url",
      "metadata.links[0].title"};
  EXPECT_EQ(paths, expected);
}

}  // namespace
}  // namespace idp::model
