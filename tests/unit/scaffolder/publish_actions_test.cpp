// publish:github against a GitHub stand-in (a real cpp-httplib server on
// 127.0.0.1 answering as GitHub's REST API does) whose clone_url is a real
// bare repository; publish:git against a bare repository. Every run goes
// through the runner, so input validation and dry-run are Backstage's.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "publish/git_run.h"
#include "publish/publish_actions.h"
#include "test_util.h"

namespace idp::scaffolder {
namespace {

using actions::GitEnv;
using actions::RunGit;
using testing::ParseJson;
using testing::Runner;
using testing::Steps;
using testing::TempDir;
using testing::WriteFile;
namespace fs = std::filesystem;

constexpr char kToken[] = "ghp_integrationTOKEN0123456789";
constexpr char kStepToken[] = "ghp_stepTOKEN9876543210";

struct Recorded {
  std::string method, path, auth;
  Json body;
};

// GitHub's REST API as far as publish:github uses it. `acme` is an
// organization, everyone else a user; repos are created once (422 after).
class GithubStandIn {
 public:
  explicit GithubStandIn(fs::path bare) : clone_url_(bare.string()) {
    auto record = [this](const httplib::Request& req) {
      std::lock_guard lock(mu_);
      Recorded r{req.method, req.path, req.get_header_value("Authorization"), Json()};
      r.body.Parse(req.body.c_str(), req.body.size());
      if (req.body.empty() || r.body.HasParseError()) r.body.SetNull();
      requests_.push_back(std::move(r));
      return unauthorized_;
    };
    auto bad_credentials = [](httplib::Response& res) {
      res.status = 401;
      res.set_content(R"({"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"})", "application/json");
    };
    server_.Get(R"(/api/v3/users/([^/]+))", [=, this](const httplib::Request& req, httplib::Response& res) {
      if (record(req)) return bad_credentials(res);
      const std::string login = req.matches[1];
      res.set_content(R"({"login":")" + login + R"(","type":")" + (login == "acme" ? "Organization" : "User") + R"("})",
                      "application/json");
    });
    auto create = [=, this](const httplib::Request& req, httplib::Response& res, const std::string& owner) {
      if (record(req)) return bad_credentials(res);
      Json body = ParseJson(req.body);
      const std::string name(AsView(body["name"]));
      std::lock_guard lock(mu_);
      if (created_) {
        res.status = 422;
        res.set_content(
            R"({"message":"Repository creation failed.","errors":[{"resource":"Repository","code":"custom","field":"name","message":"name already exists on this account"}],"documentation_url":"https://docs.github.com/rest/repos/repos#create-an-organization-repository"})",
            "application/json");
        return;
      }
      created_ = true;
      res.status = 201;
      res.set_content(R"({"name":")" + name + R"(","full_name":")" + owner + "/" + name + R"(","clone_url":")" + clone_url_ +
                          R"(","html_url":"https://github.example/)" + owner + "/" + name + R"("})",
                      "application/json");
    };
    server_.Post(R"(/api/v3/orgs/([^/]+)/repos)",
                 [=](const httplib::Request& req, httplib::Response& res) { create(req, res, req.matches[1]); });
    server_.Post("/api/v3/user/repos", [=](const httplib::Request& req, httplib::Response& res) { create(req, res, "jane"); });
    // git's smart HTTP discovery: recorded, then refused, so the header git sent can be checked.
    server_.Get(R"(/git/.*)", [=](const httplib::Request& req, httplib::Response& res) {
      record(req);
      res.status = 403;
      res.set_content("forbidden\n", "text/plain");
    });
    // A git remote that never answers, until the test is over.
    server_.Get(R"(/hang/.*)", [=, this](const httplib::Request& req, httplib::Response& res) {
      record(req);
      std::unique_lock lock(mu_);
      released_.wait_for(lock, std::chrono::seconds(60), [this] { return release_; });
      res.status = 503;
    });
    server_.Put(R"(/api/v3/.*)", [=, this](const httplib::Request& req, httplib::Response& res) {
      if (record(req)) return bad_credentials(res);
      if (req.path.find("/topics") != std::string::npos) {
        res.status = 422;  // topics are best effort: a failure is a warning
        res.set_content(R"({"message":"Validation Failed"})", "application/json");
        return;
      }
      res.status = 200;
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // The socket listens already; wait for the loop so stop() cannot come first.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~GithubStandIn() {
    {
      std::lock_guard lock(mu_);
      release_ = true;
    }
    released_.notify_all();
    server_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/v3"; }
  std::vector<Recorded> requests() {
    std::lock_guard lock(mu_);
    std::vector<Recorded> copy;
    for (const auto& r : requests_) {
      Recorded c{r.method, r.path, r.auth, Json()};
      c.body.CopyFrom(r.body, c.body.GetAllocator());
      copy.push_back(std::move(c));
    }
    return copy;
  }
  void set_unauthorized() { unauthorized_ = true; }
  void set_clone_url(std::string url) {
    std::lock_guard lock(mu_);
    clone_url_ = std::move(url);
  }

 private:
  std::string clone_url_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<Recorded> requests_;
  bool created_ = false;
  bool unauthorized_ = false;
  bool release_ = false;
  std::condition_variable released_;
};

std::string Git(const fs::path& dir, std::vector<std::string> args) {
  auto r = RunGit(args, dir, GitEnv{});
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok()) return "";
  EXPECT_EQ(r->exit_code, 0) << r->output;
  return r->output;
}

class Publish : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(bare());
    Git(bare(), {"init", "--quiet", "--bare"});
    WriteFile(tmp.path() / "skeleton/README.md", "# svc\n");
    WriteFile(tmp.path() / "skeleton/src/main.go", "package main\n");
  }
  fs::path bare() const { return tmp.path() / "remote.git"; }
  void Register(std::string api_base, std::string token = kToken) {
    actions::PublishOptions o;
    o.github.push_back({"github.example", std::move(api_base), std::move(token)});
    ASSERT_TRUE(actions::RegisterPublishActions(runner.registry, o).ok());
  }
  // Neither token, nor its basic-auth rendering, in any event or output.
  void ExpectNoToken(const testing::RunResult& r) {
    std::string all = ToJsonString(r.outcome.output) + r.outcome.error.message;
    for (const auto& e : r.log.events) all += ToJsonString(e.body);
    for (std::string secret : {std::string(kToken), std::string(kStepToken)}) {
      EXPECT_EQ(all.find(secret), std::string::npos) << all;
      EXPECT_EQ(all.find(actions::BasicAuthHeader("x-access-token", secret).substr(21)), std::string::npos);
    }
  }

  TempDir tmp;
  Runner runner{tmp.path()};
  GithubStandIn github{bare()};
};

constexpr char kPublishOrg[] = R"(    - action: fetch:plain
      input: {url: ./skeleton}
    - id: publish
      action: publish:github
      input:
        repoUrl: github.example?owner=acme&repo=svc
        description: The service
        access: acme/platform
        topics: [Go, Backend]
        collaborators:
          - {user: "user:default/jo", access: push}
          - {team: "group:default/ops", access: admin}
  output:
    remoteUrl: ${{ steps.publish.output.remoteUrl }}
    repoContentsUrl: ${{ steps.publish.output.repoContentsUrl }}
    commitHash: ${{ steps.publish.output.commitHash }}
)";

TEST_F(Publish, OrganizationRepoCreatedThroughRestAndWorkspacePushed) {
  Register(github.base());
  auto r = runner.Run(Steps(kPublishOrg), "{}");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message << "\n" << r.AllMessages();

  auto calls = github.requests();
  ASSERT_EQ(calls.size(), 7u);
  for (const auto& c : calls) EXPECT_EQ(c.auth, std::string("token ") + kToken) << c.path;
  EXPECT_EQ(calls[0].method + " " + calls[0].path, "GET /api/v3/users/acme");
  EXPECT_EQ(calls[1].method + " " + calls[1].path, "POST /api/v3/orgs/acme/repos");
  EXPECT_EQ(ToJsonString(calls[1].body),
            R"({"name":"svc","private":true,"visibility":"private","description":"The service","delete_branch_on_merge":false,)"
            R"("allow_merge_commit":true,"allow_squash_merge":true,"squash_merge_commit_title":"COMMIT_OR_PR_TITLE",)"
            R"("squash_merge_commit_message":"COMMIT_MESSAGES","allow_rebase_merge":true,"allow_auto_merge":false,"allow_update_branch":false})");
  // access: an `owner/team` gets admin through the team API.
  EXPECT_EQ(calls[2].method + " " + calls[2].path + " " + ToJsonString(calls[2].body),
            R"(PUT /api/v3/orgs/acme/teams/platform/repos/acme/svc {"permission":"admin"})");
  EXPECT_EQ(calls[3].method + " " + calls[3].path + " " + ToJsonString(calls[3].body),
            R"(PUT /api/v3/repos/acme/svc/collaborators/jo {"permission":"push"})");
  EXPECT_EQ(calls[4].method + " " + calls[4].path + " " + ToJsonString(calls[4].body),
            R"(PUT /api/v3/orgs/acme/teams/ops/repos/acme/svc {"permission":"admin"})");
  EXPECT_EQ(calls[5].path + " " + ToJsonString(calls[5].body), R"(/api/v3/repos/acme/svc/topics {"names":["go","backend"]})");
  EXPECT_EQ(calls[6].path, "/api/v3/repos/acme/svc/branches/master/protection");
  EXPECT_EQ(ToJsonString(calls[6].body["required_pull_request_reviews"]),
            R"({"required_approving_review_count":1,"require_code_owner_reviews":false,"dismiss_stale_reviews":false})");
  // The topics 422 is a warning, as in Backstage.
  EXPECT_NE(r.AllMessages().find("Skipping topics Go Backend, Validation Failed"), std::string::npos) << r.AllMessages();

  // The pushed commit, read back from the bare repository.
  const std::string head = Git(bare(), {"rev-parse", "refs/heads/master"});
  EXPECT_EQ(head.size(), 40u);
  EXPECT_EQ(Git(bare(), {"ls-tree", "-r", "--name-only", "master"}), "README.md\nsrc/main.go");
  EXPECT_EQ(Git(bare(), {"log", "-1", "--format=%an <%ae>|%s", "master"}), "Scaffolder <scaffolder@backstage.io>|initial commit");
  EXPECT_EQ(Git(bare(), {"show", "master:src/main.go"}), "package main");

  EXPECT_EQ(ToJsonString(r.outcome.output), R"({"remoteUrl":")" + bare().string() +
                                                 R"(","repoContentsUrl":"https://github.example/acme/svc/blob/master","commitHash":")" +
                                                 head + R"("})");
  ExpectNoToken(r);
}

TEST_F(Publish, UserRepoWithStepTokenBranchAuthorAndSourcePath) {
  Register(github.base());
  WriteFile(tmp.path() / "skeleton/app/main.py", "print(1)\n");
  auto r = runner.Run(Steps(R"(    - action: fetch:plain
      input: {url: ./skeleton}
    - id: publish
      action: publish:github
      input:
        repoUrl: github.example?owner=jane&repo=tool
        token: ${{ secrets.token }}
        repoVisibility: public
        defaultBranch: main
        protectDefaultBranch: false
        sourcePath: ../../app
        gitCommitMessage: first
        gitAuthorName: Jane
        gitAuthorEmail: jane@example.com
        hasWiki: false
  output:
    repoContentsUrl: ${{ steps.publish.output.repoContentsUrl }}
)"),
                      "{}", std::string(R"({"token":")") + kStepToken + R"("})");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  auto calls = github.requests();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].path, "/api/v3/users/jane");
  EXPECT_EQ(calls[1].method + " " + calls[1].path, "POST /api/v3/user/repos");
  EXPECT_EQ(calls[1].auth, std::string("token ") + kStepToken);
  EXPECT_FALSE(calls[1].body.HasMember("visibility"));
  EXPECT_FALSE(calls[1].body["private"].GetBool());
  EXPECT_FALSE(calls[1].body["has_wiki"].GetBool());
  // `../../app` loses its leading `..` segments: the workspace's app/ is the repository.
  EXPECT_EQ(Git(bare(), {"ls-tree", "-r", "--name-only", "main"}), "main.py");
  EXPECT_EQ(Git(bare(), {"log", "-1", "--format=%an <%ae>|%s", "main"}), "Jane <jane@example.com>|first");
  EXPECT_EQ(ToJsonString(r.outcome.output), R"({"repoContentsUrl":"https://github.example/jane/tool/blob/main"})");
  ExpectNoToken(r);
}

TEST_F(Publish, RepositoryThatExistsFailsWithGithubsMessage) {
  Register(github.base());
  ASSERT_TRUE(runner.Run(Steps(kPublishOrg), "{}").outcome.ok);
  auto r = runner.Run(Steps(kPublishOrg), "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.name, "Error");
  EXPECT_EQ(r.outcome.error.message,
            R"(Failed to create the Organization repository acme/svc, Repository creation failed.: )"
            R"({"resource":"Repository","code":"custom","field":"name","message":"name already exists on this account"})"
            R"( - https://docs.github.com/rest/repos/repos#create-an-organization-repository)");
  ExpectNoToken(r);
}

TEST_F(Publish, BadCredentialsStopBeforeAnythingIsCreated) {
  Register(github.base());
  github.set_unauthorized();
  auto r = runner.Run(Steps(kPublishOrg), "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.message, "Bad credentials - https://docs.github.com/rest");
  EXPECT_EQ(github.requests().size(), 1u);
  EXPECT_EQ(Git(bare(), {"for-each-ref"}), "");
  ExpectNoToken(r);
}

TEST_F(Publish, UnreachableApiIsAnErrorNamingTheUrl) {
  // A port bound and closed again without listening: connecting is refused.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);
  const std::string closed = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/api/v3";
  Register(closed);
  auto r = runner.Run(Steps(kPublishOrg), "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.message.rfind("request to " + closed + "/users/acme failed, reason: ", 0), 0u)
      << r.outcome.error.message;
  ExpectNoToken(r);
}

TEST_F(Publish, RejectedPushFailsWithGitsOutputRedacted) {
  Register(github.base());
  // The remote refuses every push and echoes what it received as a hostile server could.
  WriteFile(bare() / "hooks/pre-receive", std::string("#!/bin/sh\necho \"denied by policy ") + kToken + "\"\nexit 1\n");
  fs::permissions(bare() / "hooks/pre-receive", fs::perms::owner_all);
  auto r = runner.Run(Steps(kPublishOrg), "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.message.rfind("git push failed (exit 1): ", 0), 0u) << r.outcome.error.message;
  EXPECT_NE(r.outcome.error.message.find("denied by policy ***"), std::string::npos) << r.outcome.error.message;
  EXPECT_NE(r.outcome.error.message.find("pre-receive hook declined"), std::string::npos) << r.outcome.error.message;
  EXPECT_EQ(Git(bare(), {"for-each-ref"}), "");
  ExpectNoToken(r);
}

TEST_F(Publish, HttpPushAuthenticatesWithTheTokenAsBasicAuthOutOfArgv) {
  Register(github.base());
  github.set_clone_url("http://127.0.0.1:" + github.base().substr(17, github.base().find('/', 17) - 17) + "/git/acme/svc.git");
  auto r = runner.Run(Steps(kPublishOrg), "{}");
  ASSERT_FALSE(r.outcome.ok);  // the stand-in is no git server: it answers 403
  EXPECT_EQ(r.outcome.error.message.rfind("git push failed", 0), 0u) << r.outcome.error.message;
  auto calls = github.requests();
  ASSERT_GE(calls.size(), 6u);
  const Recorded& discovery = calls.back();
  EXPECT_EQ(discovery.path, "/git/acme/svc.git/info/refs");
  EXPECT_EQ(discovery.auth, actions::BasicAuthHeader("x-access-token", kToken).substr(15));
  ExpectNoToken(r);
}

TEST_F(Publish, CancelStopsAPushToARemoteThatNeverAnswers) {
  Register(github.base());
  github.set_clone_url("http://127.0.0.1:" + github.base().substr(17, github.base().find('/', 17) - 17) + "/hang/acme/svc.git");
  std::atomic<bool> cancel{false};
  int git_processes = 0, token_in_argv = 0;
  std::thread canceller([&] {
    // Cancel once git is waiting on the remote (its request was recorded).
    while (github.requests().empty() || github.requests().back().path.rfind("/hang/", 0) != 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    // While git waits, every command line on the machine: git's are there
    // (the remote helper has the URL), the token is in none of them.
    for (const auto& proc : fs::directory_iterator("/proc")) {
      const std::string cmdline = testing::ReadFile(proc.path() / "cmdline");
      if (cmdline.find("/hang/acme/svc.git") != std::string::npos) ++git_processes;
      if (cmdline.find(kToken) != std::string::npos) ++token_in_argv;
    }
    cancel = true;
  });
  auto r = runner.Run(Steps(kPublishOrg), "{}", "{}", false, &cancel);
  canceller.join();
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_NE(r.outcome.error.message.find("cancelled"), std::string::npos) << r.outcome.error.message;
  EXPECT_GE(git_processes, 1);
  EXPECT_EQ(token_in_argv, 0);
  ExpectNoToken(r);
}

TEST_F(Publish, InputErrorsInBackstagesWords) {
  Register(github.base());
  auto run = [&](std::string input) {
    auto r = runner.Run(Steps("    - action: publish:github\n      input: " + input + "\n"), "{}");
    EXPECT_FALSE(r.outcome.ok);
    return r.outcome.error.name + ": " + r.outcome.error.message;
  };
  EXPECT_EQ(run("{repoUrl: 'github.example?repo=svc'}"),
            "InputError: Invalid repo URL passed to publisher: https://github.example/?repo=svc, missing owner");
  EXPECT_EQ(run("{repoUrl: 'github.example?owner=acme'}"),
            "InputError: Invalid repo URL passed to publisher: https://github.example/?owner=acme, missing repo");
  EXPECT_EQ(run("{repoUrl: 'gitlab.example?owner=a&repo=b'}"),
            "InputError: No matching integration configuration for host gitlab.example, please check your integrations config");
  // github.com is always configured, without a token.
  EXPECT_EQ(run("{repoUrl: 'github.com?owner=acme&repo=svc'}"),
            "InputError: No token available for host: github.com, with owner acme, and repo svc");
  EXPECT_EQ(run("{repoUrl: 'github.example?owner=acme&repo=svc', protectBranch: true}").rfind(
                "InputError: Invalid input passed to action publish:github", 0),
            0u);
  EXPECT_EQ(run("{description: x}").rfind("InputError: Invalid input passed to action publish:github", 0), 0u);
  EXPECT_TRUE(github.requests().empty());
}

TEST_F(Publish, SourcePathLeavingTheWorkspaceIsRefused) {
  Register(github.base());
  fs::create_directories(runner.workspace());
  fs::create_symlink(tmp.path(), runner.workspace() / "out");
  auto r = runner.Run(Steps(R"(    - action: publish:git
      input: {remoteUrl: ./remote.git, sourcePath: out}
)"),
                      "{}");
  ASSERT_FALSE(r.outcome.ok);
  EXPECT_EQ(r.outcome.error.message, "Invalid source path");
  EXPECT_FALSE(fs::exists(tmp.path() / ".git"));
}

TEST_F(Publish, DryRunSkipsBothAndPushesNothing) {
  Register(github.base());
  auto r = runner.Run(Steps(std::string(kPublishOrg).replace(std::string(kPublishOrg).find("  output:"), 0,
                                                               "    - id: git\n      action: publish:git\n      input: {remoteUrl: file:///nowhere}\n")),
                      "{}", "{}", /*dry_run=*/true);
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_NE(r.AllMessages().find("Skipping because publish:github does not support dry-run"), std::string::npos);
  EXPECT_NE(r.AllMessages().find("Skipping because publish:git does not support dry-run"), std::string::npos);
  EXPECT_EQ(ToJsonString(r.outcome.output), R"({"remoteUrl":"<example>","repoContentsUrl":"<example>","commitHash":"<example>"})");
  EXPECT_TRUE(github.requests().empty());
  EXPECT_EQ(Git(bare(), {"for-each-ref"}), "");
}

TEST_F(Publish, GitPushesTheWorkspaceToAnyRemote) {
  Register(github.base());
  auto r = runner.Run(Steps(R"(    - action: fetch:plain
      input: {url: ./skeleton}
    - id: push
      action: publish:git
      input:
        remoteUrl: file://${{ parameters.remote }}
        branch: trunk
        sourcePath: src
        gitCommitMessage: import
  output:
    remoteUrl: ${{ steps.push.output.remoteUrl }}
    commitHash: ${{ steps.push.output.commitHash }}
)"),
                      R"({"remote":")" + bare().string() + R"("})");
  ASSERT_TRUE(r.outcome.ok) << r.outcome.error.message;
  EXPECT_EQ(Git(bare(), {"ls-tree", "-r", "--name-only", "trunk"}), "main.go");
  EXPECT_EQ(Git(bare(), {"log", "-1", "--format=%s", "trunk"}), "import");
  EXPECT_EQ(ToJsonString(r.outcome.output), R"({"remoteUrl":"file://)" + bare().string() + R"(","commitHash":")" +
                                                 Git(bare(), {"rev-parse", "trunk"}) + R"("})");
  EXPECT_TRUE(github.requests().empty());
}

TEST_F(Publish, GitNeverShowsAPasswordWrittenIntoTheRemoteUrl) {
  Register(github.base());
  const std::string port = github.base().substr(17, github.base().find('/', 17) - 17);
  auto r = runner.Run(Steps("    - action: publish:git\n      input: {remoteUrl: 'http://bot:pw-s3cret@127.0.0.1:" + port +
                            "/git/x.git'}\n"),
                      "{}");
  ASSERT_FALSE(r.outcome.ok);  // the stand-in refuses (403)
  EXPECT_NE(r.AllMessages().find("Creating new remote {dir=" + runner.workspace().string() +
                                 ",remoteName=origin,url=http://bot:***@127.0.0.1:" + port + "/git/x.git}"),
            std::string::npos)
      << r.AllMessages();
  std::string all = r.outcome.error.message;
  for (const auto& e : r.log.events) all += ToJsonString(e.body);
  EXPECT_EQ(all.find("pw-s3cret"), std::string::npos) << all;
  EXPECT_EQ(github.requests().back().path, "/git/x.git/info/refs");
}

TEST_F(Publish, ListedWithSchemasAndExamples) {
  Register(github.base());
  Json list = runner.registry.List();
  int found = 0;
  for (const auto& a : list.GetArray()) {
    const std::string id(AsView(a["id"]));
    if (id != "publish:github" && id != "publish:git") continue;
    ++found;
    EXPECT_TRUE(a["schema"]["input"]["properties"].HasMember(id == "publish:git" ? "remoteUrl" : "repoUrl"));
    EXPECT_TRUE(a["schema"]["output"]["properties"].HasMember("commitHash"));
    EXPECT_FALSE(a["examples"].Empty());
  }
  EXPECT_EQ(found, 2);
}

}  // namespace
}  // namespace idp::scaffolder
