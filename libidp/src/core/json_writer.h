// A RapidJSON writer whose output matches JavaScript's JSON.stringify for the
// values our JSON model holds: numbers in JavaScript's format (1500, 1e+21),
// Infinity and NaN (YAML's .inf/.nan) as null. Accept() is a template on the
// handler, so hiding the base's Double() is enough. Strings are always
// written as valid UTF-8.
#pragma once

#include <rapidjson/writer.h>

#include <cmath>
#include <string>
#include <string_view>

#include "core/js_number.h"
#include "core/utf8.h"

namespace idp {

template <typename Base>
class JsJsonWriter : public Base {
 public:
  using Base::Base;

  bool Double(double d) {
    if (!std::isfinite(d)) return Base::Null();
    const std::string text = JsNumberToString(d);
    return Base::RawValue(text.data(), text.size(), rapidjson::kNumberType);
  }
  // Strings may quote a file's raw bytes (error excerpts): JSON output must
  // stay valid UTF-8, so invalid sequences become U+FFFD.
  bool String(std::string_view s) { return String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
  bool String(const char* s, rapidjson::SizeType length, bool copy = false) {
    const std::string_view text(s, length);
    if (IsValidUtf8(text)) return Base::String(s, length, copy);
    const std::string fixed = ToValidUtf8(text);
    return Base::String(fixed.data(), static_cast<rapidjson::SizeType>(fixed.size()), true);
  }
  bool Key(std::string_view s) {
    return Base::Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
  bool Key(const char* s, rapidjson::SizeType length, bool copy = false) {
    return Base::Key(s, length, copy);
  }
};

}  // namespace idp
