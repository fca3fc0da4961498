// The structured access log: one JSON object per request on stderr.
#pragma once

#include <string_view>

namespace idp::http {

struct AccessRecord {
  std::string_view remote;
  std::string_view method;
  std::string_view url;
  int status = 0;
  std::size_t bytes = 0;       // response body
  double duration_ms = 0;
  std::string_view route;
};

// One write(2)-sized line; lines from many threads never interleave.
void WriteAccessLog(const AccessRecord& r);

// Errors and lifecycle events in the same format: {"level","message"}.
void WriteLogLine(std::string_view level, std::string_view message);

}  // namespace idp::http
