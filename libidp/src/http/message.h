// The HTTP request and response as the handlers see them: plain values, no
// Beast, so endpoint files stay light and testable.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idp::http {

struct Request {
  std::string_view method;  // "GET", ...
  std::string_view target;  // path and query as received
  std::string_view path;    // target up to '?'
  std::string_view query;   // after '?', without it
  std::string_view body;
  std::string_view content_type;
  std::string_view authorization;
};

struct Response {
  int status = 200;
  std::string body;
  std::string_view content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones (link, ...)
};

// Handlers answer through this, on any thread, exactly once.
using Responder = std::function<void(Response)>;

}  // namespace idp::http
