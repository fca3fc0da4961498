// Backstage's error bodies (spec/catalog.md §10.1): the error's name decides
// the status; the body repeats the request's method and url.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "http/message.h"

namespace idp::http {

Response ErrorResponse(const Request& request, int status, std::string_view name, std::string_view message);

// 400 InputError, 401 AuthenticationError, 403 NotAllowedError, 404 NotFoundError,
// 409 ConflictError, 413 PayloadTooLargeError, 500 Error, 501 NotImplementedError, ...
std::string_view ErrorName(int status);
Response ErrorResponse(const Request& request, int status, std::string_view message);

// An engine Status as Backstage would answer it (internal errors masked).
Response StatusResponse(const Request& request, const Status& status);

// 403 for a write in readonly mode (catalog.readonly), in Backstage's words.
Response ReadonlyResponse(const Request& request);

// A path no route matches: a bare 404 with an empty body, as Express does.
Response BareNotFound();

}  // namespace idp::http
