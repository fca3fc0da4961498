// Conversions at the engine's edges: RapidJSON (the project's JSON model) to
// template values and back, and JSON.parse of rendered text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "template/value.h"

namespace idp::tmpl {

Value FromJson(const JsonValue& v, Heap& heap);
// The same for a render's context: objects convert their members on first
// use, so `v` must outlive every use of the result (the render).
Value ContextFromJson(const JsonValue& v, Heap& heap);
// JSON.parse(text); nullopt when the text is not JSON.
std::optional<Value> ParseJsonText(std::string_view text, Heap& heap);

}  // namespace idp::tmpl
