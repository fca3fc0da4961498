#include "http/access_log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

#include "core/json_writer.h"

namespace idp::http {
namespace {

using Out = JsJsonWriter<rapidjson::Writer<rapidjson::StringBuffer>>;

void WriteTime(Out& w) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char text[40];
  const int n = std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  w.Key("time");
  w.String(text, static_cast<rapidjson::SizeType>(n));
}

void Emit(rapidjson::StringBuffer& buf) {
  buf.Put('\n');
  // One write per line: atomic for pipes and files up to PIPE_BUF and in
  // practice for our line sizes; no stdio lock shared with other output.
  const char* p = buf.GetString();
  std::size_t left = buf.GetSize();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

void WriteAccessLog(const AccessRecord& r) {
  rapidjson::StringBuffer buf;
  Out w(buf);
  w.StartObject();
  WriteTime(w);
  w.Key("level");
  w.String("info");
  w.Key("type");
  w.String("incomingRequest");
  w.Key("remote");
  w.String(r.remote);
  w.Key("method");
  w.String(r.method);
  w.Key("url");
  w.String(r.url);
  w.Key("status");
  w.Int(r.status);
  w.Key("bytes");
  w.Uint64(r.bytes);
  w.Key("durationMs");
  w.Double(static_cast<double>(static_cast<long long>(r.duration_ms * 1000)) / 1000);
  w.Key("route");
  w.String(r.route);
  w.EndObject();
  Emit(buf);
}

void WriteLogLine(std::string_view level, std::string_view message) {
  rapidjson::StringBuffer buf;
  Out w(buf);
  w.StartObject();
  WriteTime(w);
  w.Key("level");
  w.String(level);
  w.Key("message");
  w.String(message);
  w.EndObject();
  Emit(buf);
}

}  // namespace idp::http
