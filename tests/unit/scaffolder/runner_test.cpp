// The workflow runner: if, each, step outputs, spec.output, secrets kept out
// of every event, dry-run skipping, input validation, unknown actions,
// throwing steps and cancellation.
#include "scaffolder/runner.h"

#include <thread>

#include "test_util.h"

namespace idp::scaffolder {
namespace {

using testing::ParseJson;
using testing::Runner;
using testing::TempDir;

constexpr std::string_view kHead = R"(apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: t}
spec:
  type: service
)";

// test:echo outputs its `value` input as `echo` and logs it.
Status AddEcho(ActionRegistry& r) {
  ActionSpec spec;
  spec.id = "test:echo";
  spec.description = "echo";
  spec.input_schema_json = R"({"type":"object","properties":{"value":{}},"additionalProperties":false})";
  spec.output_schema_json = R"({"type":"object","properties":{"echo":{"type":"string"}}})";
  spec.supports_dry_run = true;
  spec.handler = [](ActionContext& ctx) {
    const JsonValue* v = FindMember(ctx.input(), "value");
    JsonValue copy;
    if (v) ctx.Output("echo", *v);
    ctx.Info("echo " + (v ? ToJsonString(*v) : std::string("undefined")));
    return Status::Ok();
  };
  return r.Register(std::move(spec));
}

std::string Yaml(std::string_view rest) { return std::string(kHead) + std::string(rest); }

class RunnerTest : public ::testing::Test {
 protected:
  TempDir tmp;
  Runner runner{tmp.path()};
  void SetUp() override { ASSERT_TRUE(AddEcho(runner.registry).ok()); }
};

TEST_F(RunnerTest, StepOutputsFeedLaterStepsAndSpecOutput) {
  auto r = runner.Run(Yaml(R"(  steps:
    - id: first
      action: test:echo
      input: {value: '${{ parameters.name | upper }}'}
    - id: second
      action: test:echo
      input: {value: '${{ steps.first.output.echo }}-2'}
  output:
    links:
      - {title: Repo, url: 'https://x/${{ steps.second.output.echo }}'}
      - {title: Hidden, url: 'https://y', if: '${{ false }}'}
    text:
      - {title: T, content: 'made ${{ parameters.name }}'}
)"),
                      R"({"name":"svc"})");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ToJsonString(r.outcome.output),
            R"({"links":[{"title":"Repo","url":"https://x/SVC-2"}],"text":[{"title":"T","content":"made svc"}]})");
  EXPECT_NE(r.AllMessages().find("Finished step test:echo"), std::string::npos);
}

TEST_F(RunnerTest, IfSkipsAndLeavesStepsOutputAbsent) {
  auto r = runner.Run(Yaml(R"(  steps:
    - id: off
      if: '${{ parameters.enabled }}'
      action: test:echo
      input: {value: on}
    - id: literal
      if: false
      action: test:echo
    - id: after
      action: test:echo
      input: {value: '${{ steps.off.output.echo | default("absent") }}'}
  output:
    result: '${{ steps.after.output.echo }}'
)"),
                      R"({"enabled":false})");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ToJsonString(r.outcome.output), R"({"result":"absent"})");
  const std::string m = r.AllMessages();
  EXPECT_NE(m.find("Skipping step off because its if condition was false"), std::string::npos) << m;
  EXPECT_NE(m.find("Skipping step literal because its if condition was false"), std::string::npos) << m;
}

TEST_F(RunnerTest, EachIteratesAndAccumulatesOutputs) {
  auto r = runner.Run(Yaml(R"(  steps:
    - id: loop
      each: '${{ parameters.items }}'
      if: '${{ each.value != "skip" }}'
      action: test:echo
      input: {value: '${{ each.key }}=${{ each.value }}'}
  output:
    all: '${{ steps.loop.output.echo }}'
)"),
                      R"({"items":["a","skip","c"]})");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ToJsonString(r.outcome.output), R"({"all":["0=a","2=c"]})");
  const std::string m = r.AllMessages();
  EXPECT_NE(m.find("Running step each: {\"key\":\"0\",\"value\":\"a\"}"), std::string::npos) << m;
  EXPECT_NE(m.find("Skipping step each: {\"key\":\"1\",\"value\":\"skip\"}"), std::string::npos) << m;
}

TEST_F(RunnerTest, EachOnNothingFailsWithBackstagesMessage) {
  auto r = runner.Run(Yaml(R"(  steps:
    - id: loop
      each: '${{ parameters.missing }}'
      action: test:echo
)"),
                      "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.name, "InputError");
  EXPECT_EQ(r.outcome.error.message,
            "Invalid value on action test:echo.each parameter, \"${{ parameters.missing }}\" cannot be resolved to a value");
}

TEST_F(RunnerTest, SecretsAndTheirRenderingsNeverReachEvents) {
  auto r = runner.Run(Yaml(R"(  steps:
    - id: s
      action: test:echo
      input: {value: 'token=${{ secrets.token }} up=${{ secrets.token | upper }}'}
    - id: d
      action: debug:log
      input: {message: 'the token is ${{ secrets.token }}'}
  output:
    leaked: '${{ secrets.token }}'
)"),
                      "{}", R"({"token":"hunter2-secret"})");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  std::string all = r.AllMessages() + ToJsonString(r.outcome.output);
  for (const auto& e : r.log.events) all += ToJsonString(e.body);
  EXPECT_EQ(all.find("hunter2"), std::string::npos) << all;
  EXPECT_EQ(all.find("HUNTER2"), std::string::npos) << all;
  EXPECT_NE(all.find("***"), std::string::npos) << all;
}

TEST_F(RunnerTest, UnknownInputKeyIsRejectedBeforeRunning) {
  auto r = runner.Run(Yaml(R"(  steps:
    - id: bad
      action: debug:log
      input: {message: hi, colour: red}
)"),
                      "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.name, "InputError");
  EXPECT_NE(r.outcome.error.message.find("Invalid input passed to action debug:log, instance is not allowed to have the additional property \"colour\""),
            std::string::npos)
      << r.outcome.error.message;
}

TEST_F(RunnerTest, UnknownActionFailsAndLaterStepsAreSkipped) {
  auto r = runner.Run(Yaml(R"(  steps:
    - id: nope
      action: does:not-exist
    - id: later
      action: test:echo
)"),
                      "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.name, "NotFoundError");
  EXPECT_NE(r.AllMessages().find("Skipping step later because a previous step failed"), std::string::npos);
}

TEST_F(RunnerTest, AThrowingStepIsAFailureNotACrash) {
  ActionSpec spec;
  spec.id = "test:throw";
  spec.handler = [](ActionContext&) -> Status { throw std::runtime_error("boom"); };
  ASSERT_TRUE(runner.registry.Register(std::move(spec)).ok());
  auto r = runner.Run(Yaml("  steps:\n    - action: test:throw\n"), "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.message, "boom");
}

TEST_F(RunnerTest, DryRunSkipsActionsWithoutDryRunAndUsesExampleOutputs) {
  ActionSpec spec;
  spec.id = "test:publish";
  spec.output_schema_json =
      R"({"type":"object","properties":{"remoteUrl":{"type":"string"},"n":{"type":"number"},)"
      R"("list":{"type":"array","items":{"type":"boolean"}},"ex":{"type":"string","examples":["given"]}}})";
  spec.handler = [](ActionContext&) { return Status(Code::kInternal, "must not run in dry-run"); };
  ASSERT_TRUE(runner.registry.Register(std::move(spec)).ok());
  auto r = runner.Run(Yaml(R"(  steps:
    - id: pub
      action: test:publish
    - id: wait
      action: debug:wait
      input: {minutes: 5}
  output:
    url: '${{ steps.pub.output.remoteUrl }}'
    all: '${{ steps.pub.output }}'
)"),
                      "{}", "{}", /*dry_run=*/true);
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ToJsonString(r.outcome.output),
            R"({"url":"<example>","all":{"remoteUrl":"<example>","n":0,"list":[false],"ex":"given"}})");
  EXPECT_NE(r.AllMessages().find("Skipping because debug:wait does not support dry-run"), std::string::npos);
}

TEST_F(RunnerTest, CancellationStopsALongStep) {
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  auto r = runner.Run(Yaml(R"(  steps:
    - id: w
      action: debug:wait
      input: {minutes: 5}
)"),
                      "{}", "{}", false, &cancel);
  canceller.join();
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_NE(r.outcome.error.message.find("cancelled"), std::string::npos) << r.outcome.error.message;
}

TEST_F(RunnerTest, UserContextIsAvailable) {
  // No user given: `user.ref` renders undefined and the key disappears.
  auto r = runner.Run(Yaml(R"(  steps:
    - action: test:echo
  output:
    who: '${{ user.ref }}'
    task: '${{ context.task.id }}'
)"),
                      "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(ToJsonString(r.outcome.output), R"({"task":"task-1"})");
}

}  // namespace
}  // namespace idp::scaffolder
