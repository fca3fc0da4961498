// The worker pool over a real SQLite file: tasks run to their completion
// event, secrets stay out of every stored row, a task a crash left
// `processing` is recovered (or failed by the janitor) at restart, cancel and
// retry, workspaces removed.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <fstream>

#include "scaffolder/tasks/task_service.h"
#include "tasks_test_util.h"

namespace idp::scaffolder::tasks::testing {
namespace {

class TaskServiceTest : public ::testing::Test {
 protected:
  TaskServiceOptions Options() const {
    TaskServiceOptions o;
    o.db_path = (dir_.path() / "catalog.db").string();
    o.working_directory = dir_.path() / "work";
    o.concurrency = 2;
    return o;
  }
  std::unique_ptr<TaskService> Start(TaskServiceOptions o) {
    auto s = TaskService::Start(std::move(o), registry_, engine_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::string AllRows() const {
    SQLite::Database d((dir_.path() / "catalog.db").string(), SQLite::OPEN_READONLY);
    std::string out;
    SQLite::Statement q(d, "SELECT IFNULL(spec,'') || IFNULL(secrets,'') FROM scaffolder_tasks UNION ALL "
                           "SELECT body FROM scaffolder_task_events");
    while (q.executeStep()) out += q.getColumn(0).getString() + "\n";
    return out;
  }

  TempDir dir_;
  ActionRegistry registry_ = Builtins();
  tmpl::Engine engine_;
};

const char* kLogSteps = R"([{"id":"log","name":"Log it","action":"debug:log","input":{"message":"hello ${{ parameters.name }}"}}])";

TEST_F(TaskServiceTest, RunsATaskToItsCompletionAndRemovesTheWorkspace) {
  auto svc = Start(Options());
  ASSERT_TRUE(svc);
  auto id = svc->Dispatch(SpecWithSteps(kLogSteps, R"({"name":"world"})"), nullptr, std::optional<std::string>("user:default/me"));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(WaitFinal(svc->store(), *id), "completed");
  auto events = Events(svc->store(), *id);
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(ToJsonString(events[0].body), R"({"message":"Starting up task with 1 steps"})");
  EXPECT_EQ(ToJsonString(events[1].body), R"({"message":"Beginning step Log it","stepId":"log","status":"processing"})");
  std::string all;
  for (const auto& e : events) all += ToJsonString(e.body) + "\n";
  EXPECT_NE(all.find("hello world"), std::string::npos) << all;
  EXPECT_EQ(events.back().type, "completion");
  EXPECT_EQ(ToJsonString(events.back().body),
            R"({"message":"Run completed with status: completed","output":{"text":[{"title":"done","content":"world"}]}})");
  for (std::size_t i = 1; i < events.size(); ++i) EXPECT_LT(events[i - 1].id, events[i].id);
  auto task = svc->store().Get(*id);
  ASSERT_TRUE(task.ok() && *task);
  EXPECT_EQ((*task)->created_by.value_or(""), "user:default/me");
  EXPECT_FALSE(fs::exists(svc->working_directory() / *id));
}

TEST_F(TaskServiceTest, SecretsAreInNoStoredRow) {
  auto svc = Start(Options());
  ASSERT_TRUE(svc);
  Json secrets = Parse(R"({"token":"very-secret-token"})");
  auto id = svc->Dispatch(
      SpecWithSteps(R"([{"id":"s","action":"debug:log","input":{"message":"token ${{ secrets.token }} / ${{ secrets.token | upper }}"}}])"),
      &secrets, std::nullopt);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(WaitFinal(svc->store(), *id), "completed");
  const std::string rows = AllRows();
  EXPECT_EQ(rows.find("very-secret-token"), std::string::npos) << rows;
  EXPECT_EQ(rows.find("VERY-SECRET-TOKEN"), std::string::npos) << rows;
  EXPECT_NE(rows.find("***"), std::string::npos) << rows;
}

TEST_F(TaskServiceTest, AFailingStepFailsTheTaskAndTheNextTaskStillRuns) {
  auto svc = Start(Options());
  ASSERT_TRUE(svc);
  auto bad = svc->Dispatch(SpecWithSteps(R"([{"id":"x","action":"no:such-action"}])"), nullptr, std::nullopt);
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(WaitFinal(svc->store(), *bad), "failed");
  auto events = Events(svc->store(), *bad);
  ASSERT_FALSE(events.empty());
  const JsonValue& error = events.back().body["error"];
  EXPECT_EQ(AsView(error["name"]), "NotFoundError");
  EXPECT_NE(AsView(error["message"]).find("no:such-action"), std::string::npos);

  // A spec with an apiVersion the runner does not know (as Backstage's worker words it).
  Json old = SpecWithSteps(kLogSteps);
  old["apiVersion"].SetString("scaffolder.backstage.io/v1beta2");
  auto legacy = svc->Dispatch(old, nullptr, std::nullopt);
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(WaitFinal(svc->store(), *legacy), "failed");
  EXPECT_EQ(ToJsonString(Events(svc->store(), *legacy).back().body),
            R"({"message":"Run completed with status: failed","error":{"name":"Error","message":"Unsupported Template apiVersion scaffolder.backstage.io/v1beta2"}})");

  auto good = svc->Dispatch(SpecWithSteps(kLogSteps, R"({"name":"x"})"), nullptr, std::nullopt);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(WaitFinal(svc->store(), *good), "completed");
}

TEST_F(TaskServiceTest, CancelEndsARunningTaskAsFailed) {
  auto svc = Start(Options());
  ASSERT_TRUE(svc);
  auto id = svc->Dispatch(SpecWithSteps(R"([{"id":"wait","name":"Wait","action":"debug:wait","input":{"minutes":5}}])"),
                          nullptr, std::nullopt);
  ASSERT_TRUE(id.ok());
  // Wait until the step has begun.
  for (;;) {
    auto events = Events(svc->store(), *id);
    if (events.size() >= 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(svc->Cancel(*id).ok());
  EXPECT_EQ(WaitFinal(svc->store(), *id), "failed");
  auto events = Events(svc->store(), *id);
  bool cancelled = false;
  for (const auto& e : events) {
    if (e.type == "cancelled") {
      cancelled = true;
      EXPECT_EQ(ToJsonString(e.body), R"({"message":"Step wait has been cancelled.","stepId":"wait","status":"cancelled"})");
    }
  }
  EXPECT_TRUE(cancelled);
  // The step ends with the cancellation (debug:wait words it itself).
  EXPECT_TRUE(AsView(events.back().body["error"]["message"]).ends_with("has been cancelled."))
      << ToJsonString(events.back().body);
  EXPECT_FALSE(fs::exists(svc->working_directory() / *id));
}

TEST_F(TaskServiceTest, RetryRunsACompletedTaskAgain) {
  auto svc = Start(Options());
  ASSERT_TRUE(svc);
  auto id = svc->Dispatch(SpecWithSteps(kLogSteps, R"({"name":"a"})"), nullptr, std::nullopt);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(WaitFinal(svc->store(), *id), "completed");
  const std::int64_t first_completion = Events(svc->store(), *id).back().id;
  ASSERT_TRUE(svc->Retry(*id, nullptr).ok());
  // The completion event is gone until the second run stores its own.
  for (;;) {
    auto events = Events(svc->store(), *id);
    if (!events.empty() && events.back().type == "completion" && events.back().id > first_completion) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto events = Events(svc->store(), *id);
  int completions = 0, starts = 0, recovered = 0;
  for (const auto& e : events) {
    completions += e.type == "completion";
    recovered += e.type == "recovered";
    starts += AsView(e.body["message"]).starts_with("Starting up task");
  }
  EXPECT_EQ(completions, 1);
  EXPECT_EQ(recovered, 1);
  EXPECT_EQ(starts, 2);
  EXPECT_EQ((*svc->store().Get(*id))->status, "completed");
}

TEST_F(TaskServiceTest, ManyTasksEachCompleteOnceOnTwoWorkers) {
  auto svc = Start(Options());
  ASSERT_TRUE(svc);
  std::vector<std::string> ids;
  for (int i = 0; i < 24; ++i) {
    auto id = svc->Dispatch(SpecWithSteps(kLogSteps, R"({"name":"n)" + std::to_string(i) + R"("})"), nullptr,
                            std::nullopt);
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  for (const std::string& id : ids) {
    EXPECT_EQ(WaitFinal(svc->store(), id), "completed");
    auto events = Events(svc->store(), id);
    int completions = 0, starts = 0;
    for (const auto& e : events) {
      completions += e.type == "completion";
      starts += AsView(e.body["message"]).starts_with("Starting up task");
    }
    EXPECT_EQ(completions, 1) << id;
    EXPECT_EQ(starts, 1) << id;  // claimed by exactly one worker
  }
}

// A crash: the task was claimed (processing) and nobody finishes it.
std::string LeaveProcessing(const std::string& db, const Json& spec) {
  auto store = TaskStore::Open(db);
  EXPECT_TRUE(store.ok());
  auto id = (*store)->Create(spec, nullptr, std::nullopt);
  EXPECT_TRUE(id.ok());
  auto claimed = (*store)->Claim();
  EXPECT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_TRUE((*store)->AppendEvent(*id, "log", Parse(R"({"message":"Beginning step Log it","stepId":"log","status":"processing"})")).ok());
  return *id;
}

TEST_F(TaskServiceTest, ATaskLeftProcessingIsRecoveredAtRestartWhenEnabled) {
  TaskServiceOptions o = Options();
  const std::string id = LeaveProcessing(o.db_path, SpecWithSteps(kLogSteps, R"({"name":"again"})"));
  o.recover_tasks = true;
  o.recover_timeout = std::chrono::milliseconds(0);
  auto svc = Start(o);
  ASSERT_TRUE(svc);
  EXPECT_EQ(WaitFinal(svc->store(), id), "completed");
  auto events = Events(svc->store(), id);
  std::vector<std::string> types;
  for (const auto& e : events) types.push_back(e.type);
  ASSERT_GE(types.size(), 3u);
  EXPECT_EQ(types[0], "log");  // the crashed attempt's event stays ("none" keeps history)
  EXPECT_EQ(types[1], "recovered");
  EXPECT_EQ(ToJsonString(events[1].body), R"({"recoverStrategy":"none"})");
  EXPECT_EQ(types.back(), "completion");
}

TEST_F(TaskServiceTest, ATaskLeftProcessingIsFailedByTheJanitorWithoutRecovery) {
  TaskServiceOptions o = Options();
  const std::string id = LeaveProcessing(o.db_path, SpecWithSteps(kLogSteps));
  {
    // Default timeouts (24 h): a fresh heartbeat is left alone at restart.
    auto svc = Start(Options());
    ASSERT_TRUE(svc);
    EXPECT_EQ((*svc->store().Get(id))->status, "processing");
  }
  o.task_timeout = std::chrono::milliseconds(0);
  auto svc = Start(o);
  ASSERT_TRUE(svc);
  EXPECT_EQ(WaitFinal(svc->store(), id), "failed");
  EXPECT_EQ(ToJsonString(Events(svc->store(), id).back().body),
            R"({"message":"The task was cancelled because the task worker lost connection to the task broker"})");
}

TEST_F(TaskServiceTest, AnUnwritableWorkingDirectoryIsAClearError) {
  TaskServiceOptions o = Options();
  const fs::path file = dir_.path() / "plain-file";
  { std::ofstream(file) << "x"; }
  o.working_directory = file / "work";
  auto s = TaskService::Start(std::move(o), registry_, engine_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("cannot create the scaffolder working directory"), std::string::npos)
      << s.status().message();
}

}  // namespace
}  // namespace idp::scaffolder::tasks::testing
