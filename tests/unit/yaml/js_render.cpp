#include "js_render.h"

#include <cmath>
#include <cstdio>

#include "yaml/scalar.h"

namespace idp::yaml::testing {
namespace {

void Quote(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", u);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void Write(std::string& out, const JsonValue& v) {
  if (v.IsNull()) {
    out += "null";
  } else if (v.IsBool()) {
    out += v.GetBool() ? "true" : "false";
  } else if (v.IsInt64()) {
    out += std::to_string(v.GetInt64());
  } else if (v.IsNumber()) {
    const double d = v.GetDouble();
    out += std::isfinite(d) ? JsNumberToString(d) : "null";
  } else if (v.IsString()) {
    Quote(out, AsView(v));
  } else if (v.IsArray()) {
    out.push_back('[');
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      if (i != 0) out.push_back(',');
      Write(out, v[i]);
    }
    out.push_back(']');
  } else {
    out.push_back('{');
    bool first = true;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      if (!first) out.push_back(',');
      first = false;
      Quote(out, AsView(it->name));
      out.push_back(':');
      Write(out, it->value);
    }
    out.push_back('}');
  }
}

}  // namespace

std::string JsStringify(const JsonValue& v) {
  std::string out;
  Write(out, v);
  return out;
}

std::string Render(const Stream& s) {
  std::string out;
  auto add = [&](std::string_view part) {
    if (!out.empty()) out += " | ";
    out += part;
  };
  for (const Document& d : s.documents) {
    switch (d.status) {
      case DocStatus::kOk: add(JsStringify(d.json)); break;
      case DocStatus::kEmpty: add("<empty>"); break;
      case DocStatus::kError: add("<error>"); break;
    }
  }
  if (s.aborted) add("<abort>");
  return out;
}

std::string Render(std::string_view yaml) { return Render(ParseStream(yaml)); }

}  // namespace idp::yaml::testing
