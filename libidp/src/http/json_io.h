// JSON in and out of the handlers: bodies parsed with limits checked by the
// server, responses written the way JSON.stringify would.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/json_writer.h"
#include "http/message.h"

namespace idp::http {

using JsonOut = JsJsonWriter<rapidjson::Writer<rapidjson::StringBuffer>>;

// Parses a request body. Like Express's json parser, a body that is not
// declared JSON (or is empty) reads as {}. Returns the 400 to send on error.
std::optional<Response> ParseJsonBody(const Request& req, Json& out);

Response JsonResponse(int status, rapidjson::StringBuffer& buffer);
Response JsonResponse(int status, const JsonValue& value);

// Comma lists and repeated parameters, trimmed, empty entries dropped.
void SplitCommaList(std::string_view text, std::vector<std::string>& out);

std::string Base64Encode(std::string_view data);
std::optional<std::string> Base64Decode(std::string_view text);

std::string ToLower(std::string_view s);

}  // namespace idp::http
