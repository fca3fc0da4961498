// fetch:template and fetch:template:file: Backstage's templateActionHandler
// (4.0.2) step by step; every output path goes through ResolveSafeChildPath,
// links are copied as links and never read or rendered.
#include <sys/stat.h>

#include <system_error>

#include "fetch/fetch_actions.h"
#include "fetch/listings.h"
#include "scaffolder/files.h"
#include "scaffolder/path_safety.h"
#include "template/template.h"

namespace idp::scaffolder::actions {

namespace fs = std::filesystem;

Status RegisterFetchPlain(ActionRegistry& registry);

namespace {

bool BoolInput(const ActionContext& ctx, const char* name) {
  const JsonValue* v = FindMember(ctx.input(), name);
  return v && JsTruthy(*v);
}

struct Renderer {
  const tmpl::Engine& engine;
  Json context;
  tmpl::SyntaxOptions syntax;

  Result<std::string> Render(std::string_view text) const {
    try {
      return engine.RenderText(text, context, syntax);
    } catch (const tmpl::EngineError& e) {
      return Status(Code::kInternal, tmpl::ToTemplateError(e).message);  // nunjucks words it
    }
  }
};

Renderer MakeRenderer(const ActionContext& ctx) {
  Renderer r{ctx.engine(), Json(rapidjson::kObjectType), {}};
  const bool compat = BoolInput(ctx, "cookiecutterCompat");
  r.syntax.compat = compat;
  r.syntax.trim_blocks = BoolInput(ctx, "trimBlocks");
  r.syntax.lstrip_blocks = BoolInput(ctx, "lstripBlocks");
  if (const JsonValue* values = FindMember(ctx.input(), "values")) {
    auto& a = r.context.GetAllocator();
    r.context.AddMember(JsonValue(compat ? "cookiecutter" : "values", a), JsonValue(*values, a), a);
  }
  return r;
}

bool SkippedContent(std::string_view p) { return p.empty() || p.front() == '/' || p.find("//") != std::string_view::npos; }

Status FetchTemplate(ActionContext& ctx) {
  const JsonValue& input = ctx.input();
  const JsonValue* target = FindMember(input, "targetPath");
  auto output_dir = ResolveSafeChildPath(ctx.workspace(), target && target->IsString() ? AsView(*target) : "./");
  if (!output_dir.ok()) return output_dir.status();
  const JsonValue* copy_only = FindMember(input, "copyWithoutTemplating");
  if (copy_only && !copy_only->IsArray()) {
    return Status(Code::kInvalidArgument, "Fetch action input copyWithoutTemplating must be an Array");
  }
  const JsonValue* ext_input = FindMember(input, "templateFileExtension");
  std::string extension;
  if (ext_input && JsTruthy(*ext_input)) {
    if (copy_only || BoolInput(ctx, "cookiecutterCompat")) {
      return Status(Code::kInvalidArgument,
                    "Fetch action input extension incompatible with copyWithoutTemplating and cookiecutterCompat");
    }
    extension = ext_input->IsTrue() ? ".njk" : std::string(AsView(*ext_input));
    if (extension.front() != '.') extension = "." + extension;
  }

  ctx.Info("Fetching template content from remote URL");
  const JsonValue* url = FindMember(input, "url");
  auto src = ResolveFetchSource(ctx, url && url->IsString() ? AsView(*url) : ".");
  if (!src.ok()) return src.status();
  // Backstage copies the source into a step directory first. A local source
  // is read in place instead (half the files to create), with the copy's
  // filter applied per entry below; only when the output would land inside
  // the source is it copied, so the listing never sees its own output.
  fs::path template_dir = *src;
  if (auto inside = IsChildPath(*src, *output_dir); !inside.ok() || *inside || !fs::is_directory(*src)) {
    auto work = ctx.CreateTemporaryDirectory();
    if (!work.ok()) return work.status();
    template_dir = *work / "template";
    if (Status s = CopyTree(*src, template_dir); !s.ok()) return s;
  }

  ctx.Info("Listing files and directories in template");
  auto entries = ListTree(template_dir);
  if (!entries.ok()) return entries.status();
  std::vector<std::string> patterns;
  if (copy_only) {
    for (const auto& p : copy_only->GetArray()) {
      if (p.IsString()) patterns.emplace_back(AsView(p));
    }
  }
  const Renderer renderer = MakeRenderer(ctx);
  const JsonValue* values = FindMember(input, "values");
  ctx.Log(LogLevel::kInfo,
          "Processing " + std::to_string(entries->size()) + " template files/directories with input values", values);
  const bool replace = BoolInput(ctx, "replace");

  for (const std::string& location : *entries) {
    if (ctx.cancelled()) return Status(Code::kInternal, "cancelled");
    bool render_contents;
    std::string local = location;
    if (!extension.empty()) {
      const std::string name = fs::path(local).filename().native();
      const std::size_t dot = name.rfind('.');
      render_contents = dot != std::string_view::npos && dot != 0 && name.substr(dot) == extension;
      if (render_contents) local.resize(local.size() - extension.size());
    } else {
      render_contents = !GlobListMatch(patterns, location);
    }
    auto rendered_path = renderer.Render(local);
    if (!rendered_path.ok()) return rendered_path.status();
    if (SkippedContent(*rendered_path)) continue;
    auto output_path = ResolveSafeChildPath(*output_dir, *rendered_path);
    if (!output_path.ok()) return output_path.status();
    std::error_code ec;
    if (fs::exists(*output_path, ec) && !replace) continue;
    if (!render_contents && extension.empty()) ctx.Info("Copying file/directory " + location + " without processing.");
    if (location.back() == '/') {
      ctx.Info("Writing directory " + location + " to template output path.");
      fs::create_directories(*output_path, ec);
      if (ec) return Status(Code::kIo, "cannot create " + output_path->string() + ": " + ec.message());
      continue;
    }
    const fs::path input_path = template_dir / location;
    const fs::file_status lst = fs::symlink_status(input_path, ec);
    if (fs::is_symlink(lst)) {
      // The copy's filter: a link whose real path leaves the source is not
      // part of the template at all.
      auto inside = IsChildPath(template_dir, input_path);
      if (!inside.ok() || !*inside) continue;
      ctx.Info("Copying file binary or symbolic link at " + location + ", to template output path.");
      if (Status s = CopyTree(input_path, *output_path); !s.ok()) return s;
      continue;
    }
    struct stat st {};
    if (::stat(input_path.c_str(), &st) != 0) return Status(Code::kIo, "cannot stat " + input_path.string());
    auto contents = ReadWholeFile(input_path);
    if (!contents.ok()) return contents.status();
    if (IsBinaryContent(*contents)) {
      ctx.Info("Copying file binary or symbolic link at " + location + ", to template output path.");
      if (Status s = WriteWholeFile(*output_path, *contents, st.st_mode & 07777); !s.ok()) return s;
      continue;
    }
    ctx.Info("Writing file " + location + " to template output path with mode " + std::to_string(st.st_mode) + ".");
    std::string result;
    if (render_contents) {
      auto r = renderer.Render(*contents);
      if (!r.ok()) return r.status();
      result = std::move(*r);
    } else {
      result = std::move(*contents);
    }
    // The parents just created must not have become a way out.
    auto recheck = ResolveSafeChildPath(*output_dir, *rendered_path);
    if (!recheck.ok()) return recheck.status();
    if (Status s = WriteWholeFile(*output_path, result, st.st_mode & 07777); !s.ok()) return s;
  }
  ctx.Info("Template result written to " + output_dir->string());
  return Status::Ok();
}

Status FetchTemplateFile(ActionContext& ctx) {
  const JsonValue* target = FindMember(ctx.input(), "targetPath");
  const std::string target_path = target && target->IsString() ? std::string(AsView(*target)) : "";
  auto output_path = ResolveSafeChildPath(ctx.workspace(), target_path);
  if (!output_path.ok()) return output_path.status();
  std::error_code ec;
  if (fs::exists(*output_path, ec) && !BoolInput(ctx, "replace")) {
    ctx.Info("File " + target_path + " already exists in workspace, not replacing.");
    return Status::Ok();
  }
  ctx.Info("Fetching template file content from remote URL");
  const JsonValue* url = FindMember(ctx.input(), "url");
  auto src = ResolveFetchSource(ctx, url && url->IsString() ? AsView(*url) : ".");
  if (!src.ok()) return src.status();
  const Renderer renderer = MakeRenderer(ctx);
  ctx.Log(LogLevel::kInfo, "Processing template file with input values", FindMember(ctx.input(), "values"));
  auto contents = ReadWholeFile(*src);
  if (!contents.ok()) return contents.status();
  auto result = renderer.Render(*contents);
  if (!result.ok()) return result.status();
  if (Status s = WriteWholeFile(*output_path, *result); !s.ok()) return s;
  ctx.Info("Template file has been written to " + output_path->string());
  return Status::Ok();
}

}  // namespace

Status RegisterFetchActions(ActionRegistry& registry) {
  if (Status s = RegisterFetchPlain(registry); !s.ok()) return s;
  if (Status s = RegisterFromListing(registry, fetch_listing::kFetchTemplate, FetchTemplate, true); !s.ok()) return s;
  return RegisterFromListing(registry, fetch_listing::kFetchTemplateFile, FetchTemplateFile, true);
}

}  // namespace idp::scaffolder::actions
