// Backstage's error classes as the scaffolder reports them: a thrown error's
// {name, message} and the HTTP status its error middleware answers.
#pragma once

#include <string>

#include "core/status.h"

namespace idp::scaffolder {

struct ErrorInfo {
  std::string name = "Error";  // InputError, NotAllowedError, NotFoundError, ...
  std::string message;
};

// kInvalidArgument/kInvalid/kParse -> InputError, kNotAllowed ->
// NotAllowedError, kNotFound -> NotFoundError, anything else -> Error.
ErrorInfo ErrorFromStatus(const Status& status);
// InputError 400, NotAllowedError 403, NotFoundError 404, ConflictError 409,
// NotImplementedError 501, ServiceUnavailableError 503, others 500.
int HttpStatusOf(const std::string& error_name);

}  // namespace idp::scaffolder
