// A RapidJSON writer whose output matches JavaScript's JSON.stringify for the
// values our JSON model holds: numbers in JavaScript's format (1500, 1e+21),
// Infinity and NaN (YAML's .inf/.nan) as null. Accept() is a template on the
// handler, so hiding the base's Double() is enough. Strings are always
// written as valid UTF-8.
#pragma once

#include <rapidjson/writer.h>

#include <rapidjson/stringbuffer.h>

#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/ascii_span.h"
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
    // Most strings are plain ASCII: copied whole, not escaped byte by byte.
    if constexpr (std::is_same_v<Base, rapidjson::Writer<rapidjson::StringBuffer>>) {
      if (JsonPlainAsciiSpan(s, length) == length) return WriteQuoted(s, length);
    }
    const std::string_view text(s, length);
    if (IsValidUtf8(text)) return Base::String(s, length, copy);
    const std::string fixed = ToValidUtf8(text);
    return Base::String(fixed.data(), static_cast<rapidjson::SizeType>(fixed.size()), true);
  }
  // A key the program spells itself (a literal of plain ASCII): written
  // without the scan. Keys that come from data go through Key().
  bool PlainKey(std::string_view key) {
    if constexpr (std::is_same_v<Base, rapidjson::Writer<rapidjson::StringBuffer>>) {
      return WriteQuoted(key.data(), key.size());
    } else {
      return Key(key);
    }
  }
  // Writer::Key is String under another name: route it through ours.
  bool Key(std::string_view s) { return String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
  bool Key(const char* s, rapidjson::SizeType length, bool copy = false) { return String(s, length, copy); }

 private:
  // Text that needs no escape, quoted and copied in one piece.
  bool WriteQuoted(const char* s, std::size_t length) {
    Base::Prefix(rapidjson::kStringType);
    char* out = Base::os_->Push(length + 2);
    out[0] = '"';
    if (length != 0) std::memcpy(out + 1, s, length);
    out[length + 1] = '"';
    return Base::EndValue(true);
  }
};

}  // namespace idp
