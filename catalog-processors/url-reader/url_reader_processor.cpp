#include "url_reader_processor.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "catalog/read_documents.h"

namespace idp::catalog {
namespace {

using Clock = std::chrono::steady_clock;

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

class UrlReaderProcessor final : public Processor {
 public:
  std::string Name() const override { return "UrlReaderProcessor"; }

  HookAnswer ReadLocation(const LocationSpec& location, bool optional, const ReadContext& context,
                          Emitter& emit) override {
    if (location.type != "url") return HookAnswer::No();
    const std::string key = location.Ref();
    if (ReportCycle(location, key, context.ancestry, emit)) return HookAnswer::Yes();
    const UrlOptions& o = context.config.url;
    Result<std::string> body =
        FetchUrl(location.target, o, o.max_bytes ? o.max_bytes : context.config.yaml_limits.max_file_bytes);
    if (!body.ok()) {
      // As Backstage's UrlReaderProcessor: "Unable to read url, <Name>: <message>".
      const Code code = body.status().code();
      const std::string name = code == Code::kNotFound     ? "NotFoundError"
                               : code == Code::kNotAllowed ? "NotAllowedError"
                               : code == Code::kInvalidArgument ? "InputError"
                                                           : "Error";
      if (code == Code::kNotFound && optional) return HookAnswer::Yes();
      emit.Error(location, MakeError(code == Code::kNotFound ? "NotFoundError" : "Error",
                                     "Unable to read url, " + name + ": " + body.status().message()));
      return HookAnswer::Yes();
    }
    if (!emit.SourceRead(location, *body)) {
      emit.Refresh(key);
      return HookAnswer::Yes();
    }
    EmitDocuments(location, *body, context.config.yaml_limits, emit);
    return HookAnswer::Yes();
  }
};

// One GET without following redirects: status, Location header and body.
struct Hop {
  int status = 0;
  std::string reason;
  std::string location;
  std::string body;
};

Result<Hop> GetOnce(const ParsedUrl& url, const UrlOptions& options, std::size_t max_bytes, Clock::time_point deadline) {
  httplib::Client client(url.Origin());
  client.set_follow_location(false);
  client.set_keep_alive(false);
  client.set_connection_timeout(options.connect_timeout);
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  // A little past the deadline, so that a silent server is reported as a timeout.
  client.set_read_timeout(std::max(left, std::chrono::milliseconds(0)) + std::chrono::milliseconds(20));
  client.set_write_timeout(options.connect_timeout);
  Hop hop;
  bool too_large = false, late = false;
  const auto on_response = [&](const httplib::Response& r) {
    hop.status = r.status;
    hop.reason = r.reason;
    hop.location = r.get_header_value("Location");
    if (r.has_header("Content-Length")) {
      try {
        if (std::stoull(r.get_header_value("Content-Length")) > max_bytes) too_large = true;
      } catch (const std::exception&) {
      }
    }
    return !too_large;
  };
  const auto on_data = [&](const char* data, std::size_t n) {
    if (Clock::now() > deadline) late = true;
    else if (hop.body.size() + n > max_bytes) too_large = true;
    else hop.body.append(data, n);
    return !late && !too_large;
  };
  httplib::Result r = client.Get(url.path + url.query, on_response, on_data);
  const std::string where = url.ToString();
  if (too_large) {
    return Status(Code::kLimit, where + " is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  }
  if (late || (!r && Clock::now() >= deadline)) {
    return Status(Code::kIo, "timed out after " + std::to_string(options.read_timeout.count()) + " ms reading " + where);
  }
  if (!r) {
    const bool connect_timeout = r.error() == httplib::Error::ConnectionTimeout;
    return Status(Code::kIo, "could not read " + where + ", " +
                                 (connect_timeout ? "connection timed out after " +
                                                        std::to_string(options.connect_timeout.count()) + " ms"
                                                  : httplib::to_string(r.error())));
  }
  return hop;
}

}  // namespace

std::unique_ptr<Processor> MakeUrlReaderProcessor() { return std::make_unique<UrlReaderProcessor>(); }

Result<std::string> FetchUrl(const std::string& url, const UrlOptions& options, std::size_t max_bytes) {
  const Clock::time_point deadline = Clock::now() + options.read_timeout;
  std::vector<std::string> chain{url};
  for (;;) {
    const std::string& current = chain.back();
    Result<ParsedUrl> parsed = ParseUrl(current);
    if (!parsed.ok()) return parsed.status();
    if (!UrlAllowed(*parsed, options.allowlist)) {
      return Status(Code::kNotAllowed,
                    chain.size() == 1
                        ? "Reading from '" + current + "' is not allowed: its host is not on the URL allowlist"
                        : "Reading from '" + url + "' is not allowed: it redirects to '" + current +
                              "', whose host is not on the URL allowlist");
    }
    Result<Hop> hop = GetOnce(*parsed, options, max_bytes, deadline);
    if (!hop.ok()) return hop.status();
    if (IsRedirect(hop->status) && !hop->location.empty()) {
      Result<std::string> next = ResolveReference(parsed->ToString(), hop->location);
      if (!next.ok()) return Status(Code::kIo, "could not read " + url + ": bad redirect: " + next.status().message());
      std::string path;
      for (const std::string& c : chain) path += c + " -> ";
      if (std::find(chain.begin(), chain.end(), *next) != chain.end()) {
        return Status(Code::kIo, "could not read " + url + ": redirect loop (" + path + *next + ")");
      }
      if (static_cast<int>(chain.size()) > options.max_redirects) {
        return Status(Code::kIo, "could not read " + url + ": more than " + std::to_string(options.max_redirects) +
                                     " redirects (" + path + *next + ")");
      }
      chain.push_back(std::move(next).value());
      continue;
    }
    const std::string status = std::to_string(hop->status) + (hop->reason.empty() ? "" : " " + hop->reason);
    if (hop->status == 404) return Status(Code::kNotFound, "could not read " + current + ", " + status);
    if (hop->status != 200) return Status(Code::kIo, "could not read " + current + ", " + status);
    return std::move(hop->body);
  }
}

}  // namespace idp::catalog
