#include "http/errors.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <cstdio>

#include "core/json_writer.h"
#include "http/access_log.h"

namespace idp::http {

std::string_view ErrorName(int status) {
  switch (status) {
    case 400: return "InputError";
    case 401: return "AuthenticationError";
    case 403: return "NotAllowedError";
    case 404: return "NotFoundError";
    case 405: return "MethodNotAllowedError";
    case 408: return "RequestTimeoutError";
    case 409: return "ConflictError";
    case 413: return "PayloadTooLargeError";
    case 415: return "UnsupportedMediaTypeError";
    case 431: return "RequestHeaderFieldsTooLargeError";
    case 501: return "NotImplementedError";
    case 503: return "ServiceUnavailableError";
    default: return "Error";
  }
}

Response ErrorResponse(const Request& request, int status, std::string_view name, std::string_view message) {
  rapidjson::StringBuffer buf;
  JsJsonWriter<rapidjson::Writer<rapidjson::StringBuffer>> w(buf);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("name");
  w.String(name);
  w.Key("message");
  w.String(message);
  w.EndObject();
  w.Key("request");
  w.StartObject();
  w.Key("method");
  w.String(request.method);
  w.Key("url");
  w.String(request.target);
  w.EndObject();
  w.Key("response");
  w.StartObject();
  w.Key("statusCode");
  w.Int(status);
  w.EndObject();
  w.EndObject();
  Response r;
  r.status = status;
  r.body.assign(buf.GetString(), buf.GetSize());
  return r;
}

Response ErrorResponse(const Request& request, int status, std::string_view message) {
  return ErrorResponse(request, status, ErrorName(status), message);
}

Response StatusResponse(const Request& request, const Status& status) {
  switch (status.code()) {
    case Code::kInvalidArgument:
    case Code::kParse:
    case Code::kInvalid:
      return ErrorResponse(request, 400, status.message());
    case Code::kNotFound:
      return ErrorResponse(request, 404, status.message());
    case Code::kNotAllowed:
      return ErrorResponse(request, 403, status.message());
    case Code::kLimit:
      return ErrorResponse(request, 413, status.message());
    default: {
      // Like Backstage: the detail goes to the log, the client gets a log id.
      static std::atomic<unsigned> next_id{1};
      char id[16];
      std::snprintf(id, sizeof id, "%08x", next_id.fetch_add(1) * 2654435761u);
      WriteLogLine("error", std::string("logId=") + id + ": " + status.message());
      return ErrorResponse(request, 500, std::string("An internal error occurred logId=") + id);
    }
  }
}

Response ReadonlyResponse(const Request& request) {
  return ErrorResponse(request, 403, "This operation not allowed in readonly mode");
}

Response BareNotFound() {
  Response r;
  r.status = 404;
  r.content_type = "text/plain";
  return r;
}

}  // namespace idp::http
