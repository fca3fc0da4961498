// GET /v2/tasks/:id/events (long poll) and /eventstream (server-sent events).
// Backstage polls the database every second per request; here one waiter
// thread re-checks the waiting requests whenever a task stores an event (and
// at least every 250 ms), so no io thread ever blocks.
//
// The event stream is answered as one text/event-stream body (the server
// sends whole responses): the frames are exactly Backstage's, but they arrive
// together, once the completion is stored or after 30 s with what is there
// (a client resumes with ?after=<last id>). The bound keeps a graceful stop
// of the server from waiting on a long task: the server answers requests in
// flight before it stops.
#include <cstdlib>

#include "http/errors.h"
#include "http/json_io.h"
#include "http/scaffolder_routes.h"

namespace idp::http {

namespace {

constexpr auto kLongPoll = std::chrono::seconds(30);  // RFC 6202, as Backstage
constexpr auto kRecheck = std::chrono::milliseconds(250);

std::string JsonText(const JsonValue& v) {
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

void ScaffolderApi::WatchEvents(const Request& req, const std::string& id, const QueryParams& q, bool stream,
                                Responder done) {
  auto task = tasks_->store().Get(id);
  if (!task.ok()) return done(ErrorResponse(req, 500, "Error", task.status().message()));
  if (!*task) return done(ErrorResponse(req, 404, "NotFoundError", "No task with id '" + id + "' found"));
  Waiter w;
  w.task_id = id;
  w.stream = stream;
  w.recoverable = scaffolder::tasks::IsRecoverable((*task)->spec);
  if (const std::string* after = q.First("after")) {
    // Number(after): anything but a number matches no id (completions still come).
    char* end = nullptr;
    const long long n = std::strtoll(after->c_str(), &end, 10);
    w.after = (after->empty() || *end != '\0') ? INT64_MAX : n;
  }
  w.deadline = std::chrono::steady_clock::now() + kLongPoll;
  w.done = std::move(done);
  if (TryAnswer(w, false)) return;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      waiters_.push_back(std::move(w));
      wake_.notify_all();
      return;
    }
  }
  TryAnswer(w, true);
}

bool ScaffolderApi::TryAnswer(Waiter& w, bool final) {
  auto events = tasks_->store().ListEvents(w.task_id, w.after);
  if (!events.ok()) {
    Response r;
    r.status = 500;
    r.body = R"({"error":{"name":"Error","message":"cannot read the task events"},"response":{"statusCode":500}})";
    w.done(std::move(r));
    return true;
  }
  Json doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  if (!w.stream) {
    if (events->empty() && !final && std::chrono::steady_clock::now() < w.deadline) return false;
    JsonValue list(rapidjson::kArrayType);
    for (const auto& e : *events) list.PushBack(scaffolder::tasks::EventToJson(e, w.recoverable, a), a);
    w.done(JsonResponse(200, list));
    return true;
  }
  bool complete = false;
  for (const auto& e : *events) complete |= e.type == "completion" && !w.recoverable;
  if (!complete && !final && std::chrono::steady_clock::now() < w.deadline) return false;
  Response r;
  r.status = 200;
  r.content_type = "text/event-stream";
  r.headers.emplace_back("Cache-Control", "no-cache");
  for (const auto& e : *events) {
    r.body += "event: " + e.type + "\ndata: " + JsonText(scaffolder::tasks::EventToJson(e, w.recoverable, a)) + "\n\n";
  }
  w.done(std::move(r));
  return true;
}

void ScaffolderApi::WaiterLoop() {
  std::vector<Waiter> batch;
  for (;;) {
    const std::uint64_t seen = tasks_->generation();
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !waiters_.empty(); });
      if (stopping_) break;
      batch.swap(waiters_);
    }
    std::vector<Waiter> keep;
    for (Waiter& w : batch) {
      if (!TryAnswer(w, false)) keep.push_back(std::move(w));
    }
    batch.clear();
    {
      std::lock_guard lock(mutex_);
      for (Waiter& w : keep) waiters_.push_back(std::move(w));
    }
    tasks_->WaitForChange(seen, std::chrono::steady_clock::now() + kRecheck);
  }
  // Stopping: whatever is there is the answer.
  std::vector<Waiter> rest;
  {
    std::lock_guard lock(mutex_);
    rest.swap(waiters_);
  }
  for (Waiter& w : rest) TryAnswer(w, true);
}

}  // namespace idp::http
