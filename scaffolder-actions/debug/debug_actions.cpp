#include "debug/debug_actions.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "debug/listings.h"
#include "scaffolder/files.h"
#include "scaffolder/path_safety.h"

namespace idp::scaffolder::actions {

namespace fs = std::filesystem;

namespace {

Status DebugLog(ActionContext& ctx) {
  ctx.Info(ToPrettyJsonString(ctx.input()));
  if (const JsonValue* m = FindMember(ctx.input(), "message"); m && m->IsString()) ctx.Info(AsView(*m));
  const JsonValue* list = FindMember(ctx.input(), "listWorkspace");
  if (!list || !JsTruthy(*list)) return Status::Ok();
  const bool with_contents = list->IsString() && AsView(*list) == "with-contents";
  auto entries = ListTree(ctx.workspace());
  if (!entries.ok()) return entries.status();
  std::string text = "Workspace:\n";
  for (const auto& e : *entries) {
    if (e.back() == '/') continue;
    if (!with_contents) {
      text += "  - " + e + "\n";
      continue;
    }
    // Read through the containment rule: a link out reads as [skipped].
    std::string content = "[skipped]";
    if (auto safe = ResolveSafeChildPath(ctx.workspace(), e); safe.ok()) {
      if (auto c = ReadWholeFile(*safe, 1u << 20); c.ok()) content = *c;
    }
    text += "  - " + e + ":\n\n  " + content + "\n";
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  ctx.Info(text);
  return Status::Ok();
}

Status DebugWait(ActionContext& ctx) {
  double ms = 0;
  for (auto [key, scale] : {std::pair{"minutes", 60000.0}, std::pair{"seconds", 1000.0}, std::pair{"milliseconds", 1.0}}) {
    if (const JsonValue* v = FindMember(ctx.input(), key); v && v->IsNumber()) ms += v->GetDouble() * scale;
  }
  constexpr double kMaxMs = 10 * 60000.0;
  if (ms > kMaxMs) return Status(Code::kInvalidArgument, "Waiting duration is longer than the maximum threshold of 0 hours, 10 minutes, 0 seconds");
  // Cancellation is a flag: poll it in short slices instead of sleeping blind.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(static_cast<long long>(ms * 1000));
  while (std::chrono::steady_clock::now() < deadline) {
    if (ctx.cancelled()) return Status(Code::kInternal, "Step " + ctx.step_id() + " has been cancelled.");
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(std::chrono::milliseconds(20),
                                                                               deadline - std::chrono::steady_clock::now()));
  }
  return Status::Ok();
}

}  // namespace

Status RegisterDebugActions(ActionRegistry& registry) {
  if (Status s = RegisterFromListing(registry, debug_listing::kDebugLog, DebugLog, true); !s.ok()) return s;
  return RegisterFromListing(registry, debug_listing::kDebugWait, DebugWait, false);  // as in Backstage
}

}  // namespace idp::scaffolder::actions
