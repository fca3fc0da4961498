#include "fs/fs_actions.h"

#include <system_error>

#include "fs/listings.h"
#include "scaffolder/files.h"
#include "scaffolder/path_safety.h"

namespace idp::scaffolder::actions {

namespace fs = std::filesystem;

namespace {

Status FsDelete(ActionContext& ctx) {
  const JsonValue* files = FindMember(ctx.input(), "files");
  if (!files || !files->IsArray()) return Status(Code::kInvalidArgument, "files must be an Array");
  for (const auto& f : files->GetArray()) {
    if (!f.IsString()) continue;
    // The pattern itself must stay inside, then every match is re-checked.
    auto safe = ResolveSafeChildPath(ctx.workspace(), AsView(f));
    if (!safe.ok()) return safe.status();
    auto entries = ListTree(ctx.workspace());
    if (!entries.ok()) return entries.status();
    std::string pattern(AsView(f));
    for (const auto& e : *entries) {
      if (!GlobMatch(pattern, e)) continue;
      std::string rel = e;
      if (!rel.empty() && rel.back() == '/') rel.pop_back();
      auto target = ResolveSafeChildPath(ctx.workspace(), rel);
      if (!target.ok()) return target.status();
      std::error_code ec;
      fs::remove_all(*target, ec);  // removes a link itself, never its target
      if (ec) return Status(Code::kIo, "cannot remove " + rel + ": " + ec.message());
      ctx.Info("File " + target->string() + " deleted successfully");
    }
  }
  return Status::Ok();
}

Status FsRename(ActionContext& ctx) {
  const JsonValue* files = FindMember(ctx.input(), "files");
  if (!files || !files->IsArray()) return Status(Code::kInvalidArgument, "files must be an Array");
  for (const auto& f : files->GetArray()) {
    const JsonValue* from = f.IsObject() ? FindMember(f, "from") : nullptr;
    const JsonValue* to = f.IsObject() ? FindMember(f, "to") : nullptr;
    if (!from || !to || !from->IsString() || !to->IsString()) {
      return Status(Code::kInvalidArgument, "each file must have a from and to property");
    }
    auto src = ResolveSafeChildPath(ctx.workspace(), AsView(*from));
    if (!src.ok()) return src.status();
    auto dst = ResolveSafeChildPath(ctx.workspace(), AsView(*to));
    if (!dst.ok()) return dst.status();
    const JsonValue* overwrite = FindMember(f, "overwrite");
    std::error_code ec;
    if (fs::exists(fs::symlink_status(*dst, ec))) {
      if (!(overwrite && overwrite->IsTrue())) return Status(Code::kIo, "dest already exists.");
      fs::remove_all(*dst, ec);
    }
    fs::create_directories(dst->parent_path(), ec);
    fs::rename(*src, *dst, ec);
    if (ec) return Status(Code::kIo, "cannot rename " + std::string(AsView(*from)) + ": " + ec.message());
    ctx.Info("File " + src->string() + " renamed to " + dst->string() + " successfully");
  }
  return Status::Ok();
}

Status FsReaddir(ActionContext& ctx) {
  const JsonValue* paths = FindMember(ctx.input(), "paths");
  const JsonValue* recursive = FindMember(ctx.input(), "recursive");
  const bool deep = recursive && recursive->IsTrue();
  Json files(rapidjson::kArrayType), folders(rapidjson::kArrayType);
  auto& fa = files.GetAllocator();
  auto& da = folders.GetAllocator();
  if (paths && paths->IsArray()) {
    for (const auto& p : paths->GetArray()) {
      if (!p.IsString()) continue;
      auto dir = ResolveSafeChildPath(ctx.workspace(), AsView(p));
      if (!dir.ok()) return dir.status();
      auto entries = ListTree(*dir);
      if (!entries.ok()) return entries.status();
      for (const auto& e : *entries) {
        std::string rel = e;
        const bool is_dir = !rel.empty() && rel.back() == '/';
        if (is_dir) rel.pop_back();
        if (!deep && rel.find('/') != std::string::npos) continue;
        const fs::path full = *dir / rel;
        const std::string workspace_rel = full.lexically_relative(ctx.workspace()).generic_string();
        Json& into = is_dir ? folders : files;
        auto& a = is_dir ? da : fa;
        JsonValue item(rapidjson::kObjectType);
        item.AddMember("name", MakeString(full.filename().string(), a), a);
        item.AddMember("path", MakeString(workspace_rel, a), a);
        item.AddMember("fullPath", MakeString(full.string(), a), a);
        into.PushBack(item, a);
      }
    }
  }
  ctx.Output("files", files);
  ctx.Output("folders", folders);
  return Status::Ok();
}

}  // namespace

Status RegisterFsActions(ActionRegistry& registry) {
  if (Status s = RegisterFromListing(registry, fs_listing::kFsDelete, FsDelete, true); !s.ok()) return s;
  if (Status s = RegisterFromListing(registry, fs_listing::kFsRename, FsRename, true); !s.ok()) return s;
  return RegisterFromListing(registry, fs_listing::kFsReaddir, FsReaddir, true);
}

}  // namespace idp::scaffolder::actions
