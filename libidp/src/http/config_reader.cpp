#include "http/config_reader.h"

namespace idp::http {

Status ConfigReader::Error(const JsonValue& node, const std::string& key, const std::string& what) const {
  const Mark m = marks_.Get(&node);
  std::string where = file_;
  if (m.known()) where += ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
  return Status(Code::kInvalidArgument, where + ": " + key + ": " + what);
}

const JsonValue* ConfigReader::Child(const JsonValue& parent, std::string_view key) const {
  return parent.IsObject() ? FindMember(parent, key) : nullptr;
}

Status ConfigReader::String(const JsonValue& v, const std::string& key, std::string& out) const {
  if (v.IsString()) {
    out.assign(AsView(v));
    return Status::Ok();
  }
  if (v.IsNumber()) {  // `token: 12345678` reads as a number
    out = ToJsonString(v);
    return Status::Ok();
  }
  return Error(v, key, "expected a string");
}

Status ConfigReader::Bool(const JsonValue& v, const std::string& key, bool& out) const {
  if (!v.IsBool()) return Error(v, key, "expected true or false");
  out = v.GetBool();
  return Status::Ok();
}

Status ConfigReader::Count(const JsonValue& v, const std::string& key, std::uint64_t max, std::uint64_t& out) const {
  if (!v.IsUint64() || v.GetUint64() > max) {
    return Error(v, key, "expected an integer from 0 to " + std::to_string(max));
  }
  out = v.GetUint64();
  return Status::Ok();
}

Status ConfigReader::Duration(const JsonValue& v, const std::string& key, std::chrono::milliseconds& out) const {
  std::uint64_t n = 0;
  if (v.IsNumber()) {
    if (Status s = Count(v, key, 86'400'000ull * 365, n); !s.ok()) return s;
    out = std::chrono::milliseconds(n);
    return Status::Ok();
  }
  if (!v.IsObject() || v.MemberCount() == 0) {
    return Error(v, key, "expected {seconds: N} or a number of milliseconds");
  }
  std::uint64_t total = 0;
  for (const auto& m : v.GetObject()) {
    const std::string_view unit = AsView(m.name);
    std::uint64_t scale = 0;
    if (unit == "milliseconds") scale = 1;
    else if (unit == "seconds") scale = 1000;
    else if (unit == "minutes") scale = 60'000;
    else if (unit == "hours") scale = 3'600'000;
    else return Error(m.name, key, "unknown unit '" + std::string(unit) + "'");
    if (Status s = Count(m.value, key + "." + std::string(unit), 1'000'000'000ull, n); !s.ok()) return s;
    total += n * scale;
  }
  out = std::chrono::milliseconds(total);
  return Status::Ok();
}

Status ConfigReader::StringList(const JsonValue& v, const std::string& key, std::vector<std::string>& out) const {
  if (!v.IsArray()) return Error(v, key, "expected a list");
  out.clear();
  for (const auto& item : v.GetArray()) {
    std::string s;
    if (Status st = String(item, key + "[]", s); !st.ok()) return st;
    out.push_back(std::move(s));
  }
  return Status::Ok();
}

}  // namespace idp::http
