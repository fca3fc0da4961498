#include <system_error>

#include "fetch/fetch_actions.h"
#include "fetch/listings.h"
#include "scaffolder/files.h"
#include "scaffolder/path_safety.h"

namespace idp::scaffolder::actions {

namespace fs = std::filesystem;

Result<fs::path> ResolveFetchSource(const ActionContext& ctx, std::string_view url) {
  if (IsAbsoluteUrl(url)) {
    return Status(Code::kInvalidArgument, "Fetching remote URLs is not supported yet: " + std::string(url));
  }
  const fs::path& base = ctx.template_info().base_dir;
  if (base.empty()) {
    return Status(Code::kInvalidArgument,
                  "Failed to fetch, template location could not be determined and the fetch URL is relative, " +
                      std::string(url));
  }
  return ResolveSafeChildPath(base, url);
}

namespace {

std::string_view StringInput(const ActionContext& ctx, const char* name, std::string_view fallback) {
  const JsonValue* v = FindMember(ctx.input(), name);
  return v && v->IsString() ? AsView(*v) : fallback;
}

Status FetchPlain(ActionContext& ctx) {
  ctx.Info("Fetching plain content from remote URL");
  auto out = ResolveSafeChildPath(ctx.workspace(), StringInput(ctx, "targetPath", "./"));
  if (!out.ok()) return out.status();
  auto src = ResolveFetchSource(ctx, StringInput(ctx, "url", "."));
  if (!src.ok()) return src.status();
  return CopyTree(*src, *out);
}

Status FetchPlainFile(ActionContext& ctx) {
  ctx.Info("Fetching plain content from remote URL");
  auto out = ResolveSafeChildPath(ctx.workspace(), StringInput(ctx, "targetPath", ""));
  if (!out.ok()) return out.status();
  auto src = ResolveFetchSource(ctx, StringInput(ctx, "url", "."));
  if (!src.ok()) return src.status();
  auto content = ReadWholeFile(*src);
  if (!content.ok()) return content.status();
  return WriteWholeFile(*out, *content);
}

}  // namespace

Status RegisterFetchPlain(ActionRegistry& registry) {
  if (Status s = RegisterFromListing(registry, fetch_listing::kFetchPlain, FetchPlain, true); !s.ok()) return s;
  return RegisterFromListing(registry, fetch_listing::kFetchPlainFile, FetchPlainFile, true);
}

}  // namespace idp::scaffolder::actions
