#include "scaffolder/errors.h"

namespace idp::scaffolder {

ErrorInfo ErrorFromStatus(const Status& status) {
  ErrorInfo e;
  e.message = status.message();
  switch (status.code()) {
    case Code::kInvalidArgument:
    case Code::kInvalid:
    case Code::kParse: e.name = "InputError"; break;
    case Code::kNotAllowed: e.name = "NotAllowedError"; break;
    case Code::kNotFound: e.name = "NotFoundError"; break;
    default: e.name = "Error"; break;
  }
  return e;
}

int HttpStatusOf(const std::string& name) {
  if (name == "InputError") return 400;
  if (name == "AuthenticationError") return 401;
  if (name == "NotAllowedError") return 403;
  if (name == "NotFoundError") return 404;
  if (name == "ConflictError") return 409;
  if (name == "NotModifiedError") return 304;
  if (name == "NotImplementedError") return 501;
  if (name == "ServiceUnavailableError") return 503;
  return 500;
}

}  // namespace idp::scaffolder
