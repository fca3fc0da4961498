// publish:github as Backstage's createPublishGithubAction does it: GET
// /users/{owner} to tell an organization from a user, POST /orgs/{owner}/repos
// or /user/repos, admin access, collaborators and topics, push of the
// workspace with x-access-token basic auth, then default-branch protection.
// Only this file includes cpp-httplib.
#include <httplib.h>

#include <rapidjson/writer.h>

#include <cctype>
#include <chrono>

#include "publish/publish_actions.h"
#include "publish/repo_push.h"

namespace idp::scaffolder::actions {

namespace {

struct RepoRef {
  std::string host, owner, repo;
};

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

// encodeURIComponent, as Octokit puts path parameters into its URLs.
std::string PathSegment(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || std::string_view("-_.!~*'()").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string TrimSlashes(std::string s) {
  const auto b = s.find_first_not_of('/');
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of('/') - b + 1);
}

// parseRepoUrl for GitHub hosts: `https://` + repoUrl, the host (port
// included) must be a configured integration, owner and repo are required.
Result<std::pair<RepoRef, const GithubIntegration*>> ParseRepoUrl(std::string_view url, const std::vector<GithubIntegration>& github) {
  std::string whole = "https://" + std::string(url);
  const std::size_t q = whole.find('?');
  std::string authority_path = whole.substr(8, q == std::string::npos ? std::string::npos : q - 8);
  std::string query = q == std::string::npos ? "" : whole.substr(q + 1);
  const std::size_t slash = authority_path.find('/');
  RepoRef ref;
  ref.host = authority_path.substr(0, slash);
  for (char& c : ref.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string normalized = "https://" + ref.host + (slash == std::string::npos ? "/" : authority_path.substr(slash)) +
                                 (q == std::string::npos ? "" : "?" + query);
  const GithubIntegration* integration = nullptr;
  for (const auto& g : github)
    if (g.host == ref.host) integration = &g;
  if (!integration)
    return Status(Code::kInvalidArgument, "No matching integration configuration for host " + ref.host +
                                              ", please check your integrations config");
  for (std::size_t at = 0; at <= query.size();) {
    std::size_t end = query.find('&', at);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(at, end - at);
    const std::size_t eq = pair.find('=');
    const std::string key = PercentDecode(pair.substr(0, eq));
    const std::string value = eq == std::string::npos ? "" : TrimSlashes(PercentDecode(pair.substr(eq + 1)));
    // URLSearchParams.get returns the first occurrence.
    if (key == "owner" && ref.owner.empty()) ref.owner = value;
    if (key == "repo" && ref.repo.empty()) ref.repo = value;
    at = end + 1;
  }
  for (const auto& [name, value] : {std::pair{"repo", &ref.repo}, std::pair{"owner", &ref.owner}})
    if (value->empty())
      return Status(Code::kInvalidArgument, "Invalid repo URL passed to publisher: " + normalized + ", missing " + name);
  return std::pair{ref, integration};
}

// Octokit's RequestError message (@octokit/request toErrorMessage): the
// body's message, its errors as JSON, then its documentation link.
std::string OctokitMessage(const httplib::Response& r) {
  Json body;
  body.Parse(r.body.c_str(), r.body.size());
  if (body.HasParseError() || !body.IsObject()) return r.body.empty() ? "Unknown error" : r.body;
  const JsonValue* m = FindMember(body, "message");
  if (!m) return "Unknown error: " + ToJsonString(body);
  std::string message = m->IsString() ? std::string(AsView(*m)) : ToJsonString(*m);
  if (const JsonValue* e = FindMember(body, "errors"); e && e->IsArray()) {
    message += ": ";
    for (rapidjson::SizeType i = 0; i < e->Size(); ++i) message += (i ? ", " : "") + ToJsonString((*e)[i]);
  }
  if (const JsonValue* d = FindMember(body, "documentation_url"))
    message += " - " + (d->IsString() ? std::string(AsView(*d)) : ToJsonString(*d));
  return message;
}

// The REST client: one base URL (GitHub Enterprise: https://host/api/v3), the token as Octokit sends it.
class GithubApi {
 public:
  GithubApi(const std::string& base_url, const std::string& token) : token_(token) {
    const std::size_t scheme = base_url.find("://");
    const std::size_t path = scheme == std::string::npos ? std::string::npos : base_url.find('/', scheme + 3);
    origin_ = base_url.substr(0, path);
    prefix_ = path == std::string::npos ? "" : TrimSlashes(base_url.substr(path));
    if (!prefix_.empty()) prefix_ = "/" + prefix_;
  }

  // The response (any status), or kIo when nothing came back.
  Result<httplib::Response> Call(const std::string& method, const std::string& path, const std::string& body = "") {
    httplib::Client client(origin_);
    client.set_connection_timeout(std::chrono::seconds(10));
    client.set_read_timeout(std::chrono::seconds(60));  // Backstage's DEFAULT_TIMEOUT_MS
    client.set_write_timeout(std::chrono::seconds(60));
    const httplib::Headers headers = {{"Authorization", "token " + token_},
                                      {"Accept", "application/vnd.github+json"},
                                      {"User-Agent", "idp-scaffolder"}};
    const std::string url = prefix_ + path;
    httplib::Result r = method == "GET"    ? client.Get(url, headers)
                        : method == "POST" ? client.Post(url, headers, body, "application/json")
                                           : client.Put(url, headers, body, "application/json");
    if (!r) return Status(Code::kIo, "request to " + origin_ + url + " failed, reason: " + httplib::to_string(r.error()));
    return *r;
  }

  // Call that fails (Octokit's message) on a status >= 400.
  Result<Json> CallOk(const std::string& method, const std::string& path, const std::string& body = "") {
    auto r = Call(method, path, body);
    if (!r.ok()) return r.status();
    if (r->status >= 400) return Status(r->status == 404 ? Code::kNotFound : Code::kIo, OctokitMessage(*r));
    Json json;
    if (!r->body.empty()) json.Parse(r->body.c_str(), r->body.size());
    if (r->body.empty() || json.HasParseError()) json.SetObject();
    return json;
  }

 private:
  std::string origin_, prefix_, token_;
};

bool BoolInput(const ActionContext& ctx, std::string_view key, bool fallback) {
  const JsonValue* v = FindMember(ctx.input(), key);
  return v && v->IsBool() ? v->GetBool() : fallback;
}

std::string Body(const Json& doc) { return ToJsonString(doc); }

// entityRefToName: `user:default/jane` -> `jane`.
std::string EntityRefToName(std::string_view ref) {
  const std::size_t at = ref.find_last_of(":/");
  return std::string(at == std::string_view::npos ? ref : ref.substr(at + 1));
}

}  // namespace

Status PublishGithub(ActionContext& ctx, const PublishOptions& options) {
  std::vector<GithubIntegration> github = options.github;
  bool has_default = false;
  for (const auto& g : github) has_default = has_default || g.host == "github.com";
  if (!has_default) github.push_back(GithubIntegration{});

  auto parsed = ParseRepoUrl(AsView(*FindMember(ctx.input(), "repoUrl")), github);
  if (!parsed.ok()) return parsed.status();
  const auto& [ref, integration] = *parsed;
  const std::string token = StringInput(ctx, "token", integration->token);
  if (token.empty())
    return Status(Code::kInvalidArgument, "No token available for host: " + ref.host + ", with owner " + ref.owner +
                                              ", and repo " + ref.repo);
  const std::string base = !integration->api_base_url.empty() ? integration->api_base_url
                           : ref.host == "github.com"          ? "https://api.github.com"
                                                               : "https://" + ref.host + "/api/v3";
  GithubApi api(base, token);
  const std::string o = PathSegment(ref.owner), r = PathSegment(ref.repo);

  auto user = api.CallOk("GET", "/users/" + o);
  if (!user.ok()) return user.status();
  const JsonValue* type_value = FindMember(*user, "type");
  const std::string type = type_value && type_value->IsString() ? std::string(AsView(*type_value)) : "User";
  const bool org = type == "Organization";

  const std::string access = StringInput(ctx, "access");
  const std::string visibility = StringInput(ctx, "repoVisibility", "private");
  Json body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  body.AddMember("name", MakeString(ref.repo, a), a);
  body.AddMember("private", visibility == "private", a);
  if (org) body.AddMember("visibility", MakeString(visibility, a), a);
  if (const JsonValue* d = FindMember(ctx.input(), "description"); d && d->IsString()) body.AddMember("description", JsonValue(*d, a), a);
  body.AddMember("delete_branch_on_merge", BoolInput(ctx, "deleteBranchOnMerge", false), a);
  body.AddMember("allow_merge_commit", BoolInput(ctx, "allowMergeCommit", true), a);
  body.AddMember("allow_squash_merge", BoolInput(ctx, "allowSquashMerge", true), a);
  body.AddMember("squash_merge_commit_title", MakeString(StringInput(ctx, "squashMergeCommitTitle", "COMMIT_OR_PR_TITLE"), a), a);
  body.AddMember("squash_merge_commit_message", MakeString(StringInput(ctx, "squashMergeCommitMessage", "COMMIT_MESSAGES"), a), a);
  body.AddMember("allow_rebase_merge", BoolInput(ctx, "allowRebaseMerge", true), a);
  body.AddMember("allow_auto_merge", BoolInput(ctx, "allowAutoMerge", false), a);
  body.AddMember("allow_update_branch", BoolInput(ctx, "allowUpdateBranch", false), a);
  if (const JsonValue* h = FindMember(ctx.input(), "homepage"); h && h->IsString()) body.AddMember("homepage", JsonValue(*h, a), a);
  for (auto [in, out] : {std::pair{"hasProjects", "has_projects"}, std::pair{"hasWiki", "has_wiki"}, std::pair{"hasIssues", "has_issues"}})
    if (const JsonValue* v = FindMember(ctx.input(), in); v && v->IsBool()) body.AddMember(rapidjson::StringRef(out), v->GetBool(), a);

  auto created = api.CallOk("POST", org ? "/orgs/" + o + "/repos" : "/user/repos", Body(body));
  if (!created.ok())
    return Status(Code::kIo, "Failed to create the " + type + " repository " + ref.owner + "/" + ref.repo + ", " + created.status().message());
  const JsonValue* clone_url = FindMember(*created, "clone_url");
  const JsonValue* html_url = FindMember(*created, "html_url");
  if (!clone_url || !clone_url->IsString() || !html_url || !html_url->IsString())
    return Status(Code::kIo, "Failed to create the " + type + " repository " + ref.owner + "/" + ref.repo +
                                 ", the response has no clone_url or html_url");

  auto permission = [&](std::string_view perm) {
    Json p(rapidjson::kObjectType);
    p.AddMember("permission", MakeString(perm, p.GetAllocator()), p.GetAllocator());
    return Body(p);
  };
  if (access.rfind(ref.owner + "/", 0) == 0) {
    const std::string team = access.substr(ref.owner.size() + 1, access.find('/', ref.owner.size() + 1) - ref.owner.size() - 1);
    if (auto s = api.CallOk("PUT", "/orgs/" + o + "/teams/" + PathSegment(team) + "/repos/" + o + "/" + r, permission("admin")); !s.ok())
      return s.status();
  } else if (!access.empty() && access != ref.owner) {
    if (auto s = api.CallOk("PUT", "/repos/" + o + "/" + r + "/collaborators/" + PathSegment(access), permission("admin")); !s.ok())
      return s.status();
  }
  if (const JsonValue* list = FindMember(ctx.input(), "collaborators"); list && list->IsArray()) {
    for (const auto& c : list->GetArray()) {
      const std::string perm(AsView(*FindMember(c, "access")));
      const JsonValue* user_name = FindMember(c, "user");
      const JsonValue* team_name = FindMember(c, "team");
      const std::string name(AsView(user_name ? *user_name : *team_name));
      auto s = user_name ? api.CallOk("PUT", "/repos/" + o + "/" + r + "/collaborators/" + PathSegment(EntityRefToName(name)), permission(perm))
                         : api.CallOk("PUT", "/orgs/" + o + "/teams/" + PathSegment(EntityRefToName(name)) + "/repos/" + o + "/" + r, permission(perm));
      if (!s.ok()) ctx.Log(LogLevel::kWarn, "Skipping " + perm + " access for " + name + ", " + s.status().message());
    }
  }
  if (const JsonValue* topics = FindMember(ctx.input(), "topics"); topics && topics->IsArray()) {
    Json t(rapidjson::kObjectType);
    JsonValue names(rapidjson::kArrayType);
    std::string joined;
    for (const auto& topic : topics->GetArray()) {
      std::string lower(AsView(topic));
      joined += (joined.empty() ? "" : " ") + lower;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      names.PushBack(MakeString(lower, t.GetAllocator()), t.GetAllocator());
    }
    t.AddMember("names", names, t.GetAllocator());
    if (auto s = api.CallOk("PUT", "/repos/" + o + "/" + r + "/topics", Body(t)); !s.ok())
      ctx.Log(LogLevel::kWarn, "Skipping topics " + joined + ", " + s.status().message());
  }

  const std::string branch = StringInput(ctx, "defaultBranch", "master");
  auto dir = SourceDirectory(ctx, FindMember(ctx.input(), "sourcePath"));
  if (!dir.ok()) return dir.status();
  RepoPush push = PushFromInput(ctx, options);
  push.dir = *dir;
  push.remote_url = AsView(*clone_url);
  push.branch = branch;
  push.auth = std::pair{std::string("x-access-token"), token};
  auto hash = InitRepoAndPush(push, ctx);
  if (!hash.ok()) return hash.status();

  if (BoolInput(ctx, "protectDefaultBranch", true)) {
    Json p(rapidjson::kObjectType);
    auto& pa = p.GetAllocator();
    JsonValue checks(rapidjson::kObjectType), contexts(rapidjson::kArrayType), reviews(rapidjson::kObjectType);
    if (const JsonValue* c = FindMember(ctx.input(), "requiredStatusCheckContexts"); c && c->IsArray()) contexts.CopyFrom(*c, pa);
    checks.AddMember("strict", BoolInput(ctx, "requireBranchesToBeUpToDate", true), pa);
    checks.AddMember("contexts", contexts, pa);
    reviews.AddMember("required_approving_review_count",
                      FindMember(ctx.input(), "requiredApprovingReviewCount") ? JsonValue(*FindMember(ctx.input(), "requiredApprovingReviewCount"), pa) : JsonValue(1), pa);
    reviews.AddMember("require_code_owner_reviews", BoolInput(ctx, "requireCodeOwnerReviews", false), pa);
    reviews.AddMember("dismiss_stale_reviews", BoolInput(ctx, "dismissStaleReviews", false), pa);
    p.AddMember("required_status_checks", checks, pa);
    p.AddMember("restrictions", JsonValue(rapidjson::kNullType), pa);
    p.AddMember("enforce_admins", BoolInput(ctx, "protectEnforceAdmins", true), pa);
    p.AddMember("required_pull_request_reviews", reviews, pa);
    p.AddMember("required_conversation_resolution", BoolInput(ctx, "requiredConversationResolution", false), pa);
    if (auto s = api.CallOk("PUT", "/repos/" + o + "/" + r + "/branches/" + PathSegment(branch) + "/protection", Body(p)); !s.ok())
      ctx.Log(LogLevel::kWarn, "Skipping: default branch protection on '" + ref.repo + "', " + s.status().message());
  }

  Json out;
  ctx.Output("commitHash", MakeString(*hash, out.GetAllocator()));
  ctx.Output("remoteUrl", *clone_url);
  ctx.Output("repoContentsUrl", MakeString(std::string(AsView(*html_url)) + "/blob/" + branch, out.GetAllocator()));
  return Status::Ok();
}

}  // namespace idp::scaffolder::actions
