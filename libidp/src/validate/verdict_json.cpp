// DocumentVerdictJson: the oracle's JSON line, written the way
// JSON.stringify would write it (numbers in JavaScript's format, Infinity
// and NaN as null).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "validate/validator.h"

namespace idp::catalog {
namespace {

// ECMAScript Number::toString(10) for finite doubles: shortest round-trip
// digits, plain notation for exponents in [-7, 21), else `1.5e+21`.
std::string JsNumber(double d) {
  if (d == 0) return "0";  // also -0
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(result.ptr - buf));
  std::string out;
  std::size_t pos = 0;
  if (sci[0] == '-') {
    out += '-';
    pos = 1;
  }
  const std::size_t e_pos = sci.find('e');
  std::string digits;
  for (std::size_t i = pos; i < e_pos; ++i) {
    if (sci[i] != '.') digits += sci[i];
  }
  const int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += n - 1 < 0 ? '-' : '+';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

// A Writer whose doubles follow JSON.stringify. Accept() is a template on
// the handler, so hiding Writer::Double is enough.
class JsWriter : public rapidjson::Writer<rapidjson::StringBuffer> {
 public:
  using Base = rapidjson::Writer<rapidjson::StringBuffer>;
  using Base::Base;
  bool Double(double d) {
    if (!std::isfinite(d)) return Null();
    const std::string text = JsNumber(d);
    return RawValue(text.data(), text.size(), rapidjson::kNumberType);
  }
  bool String(std::string_view s) {
    return Base::String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
  bool String(const char* s, rapidjson::SizeType length, bool copy = false) {
    return Base::String(s, length, copy);
  }
  bool Key(std::string_view s) {
    return Base::Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
  bool Key(const char* s, rapidjson::SizeType length, bool copy = false) {
    return Base::Key(s, length, copy);
  }
  void OptionalString(const std::optional<std::string>& s) {
    if (s) {
      String(*s);
    } else {
      Null();
    }
  }
  void Line(std::uint32_t line) {
    if (line != 0) {
      Uint(line);
    } else {
      Null();
    }
  }
};

}  // namespace

std::string DocumentVerdictJson(const FileVerdict& file, const DocumentVerdict& doc,
                                bool include_entity) {
  rapidjson::StringBuffer buffer;
  JsWriter w(buffer);
  w.StartObject();
  w.Key("file");
  w.String(file.file);
  w.Key("index");
  if (doc.stage == Stage::kIo) {
    w.Null();  // the oracle has no document index for unreadable files
  } else {
    w.Uint64(doc.index);
  }
  w.Key("line");
  w.Line(doc.start.line);
  w.Key("kind");
  w.OptionalString(doc.kind);
  w.Key("name");
  w.OptionalString(doc.name);
  w.Key("ref");
  w.OptionalString(doc.ref);
  w.Key("valid");
  w.Bool(doc.valid);
  w.Key("fileOk");
  w.Bool(file.file_ok);
  w.Key("fileFatal");
  w.Bool(doc.file_fatal);
  w.Key("stage");
  if (doc.valid || doc.stage == Stage::kNone) {
    w.Null();
  } else {
    w.String(StageName(doc.stage));
  }
  w.Key("error");
  w.OptionalString(doc.error);
  w.Key("errors");
  w.StartArray();
  for (const Diagnostic& d : doc.errors) {
    w.StartObject();
    w.Key("path");
    w.String(d.path);
    w.Key("message");
    w.String(d.message);
    w.Key("line");
    w.Line(d.mark.line);
    w.Key("column");
    w.Line(d.mark.column);
    w.EndObject();
  }
  w.EndArray();
  w.Key("relations");
  w.StartArray();
  if (doc.valid) {
    for (const Relation& r : doc.relations) {
      w.StartObject();
      w.Key("source");
      w.String(r.source);
      w.Key("type");
      w.String(r.type);
      w.Key("target");
      w.String(r.target);
      w.EndObject();
    }
  }
  w.EndArray();
  if (include_entity) {
    w.Key("entity");
    if (doc.valid && !doc.entity.IsNull()) {
      doc.entity.Accept(w);
    } else {
      w.Null();
    }
  }
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace idp::catalog
