// publish:git: idp's own action (Backstage has no provider-neutral publisher):
// init, commit and push the workspace to any remote git can reach.
#include "publish/listings.h"
#include "publish/publish_actions.h"
#include "publish/repo_push.h"

namespace idp::scaffolder::actions {

Status PublishGit(ActionContext& ctx, const PublishOptions& options) {
  auto dir = SourceDirectory(ctx, FindMember(ctx.input(), "sourcePath"));
  if (!dir.ok()) return dir.status();
  RepoPush push = PushFromInput(ctx, options);
  push.dir = *dir;
  push.remote_url = StringInput(ctx, "remoteUrl");
  push.branch = StringInput(ctx, "branch", "master");
  auto hash = InitRepoAndPush(push, ctx);
  if (!hash.ok()) return hash.status();
  Json out;
  ctx.Output("remoteUrl", MakeString(SplitUrlPassword(push.remote_url).first, out.GetAllocator()));
  ctx.Output("commitHash", MakeString(*hash, out.GetAllocator()));
  return Status::Ok();
}

Status PublishGithub(ActionContext& ctx, const PublishOptions& options);

Status RegisterPublishActions(ActionRegistry& registry, PublishOptions options) {
  auto shared = std::make_shared<const PublishOptions>(std::move(options));
  // Neither pushes anything in a dry run: the runner skips them (as Backstage does publish:github).
  if (Status s = RegisterFromListing(registry, publish_listing::kPublishGithub,
                                     [shared](ActionContext& ctx) { return PublishGithub(ctx, *shared); }, false);
      !s.ok())
    return s;
  return RegisterFromListing(registry, publish_listing::kPublishGit,
                             [shared](ActionContext& ctx) { return PublishGit(ctx, *shared); }, false);
}

}  // namespace idp::scaffolder::actions
