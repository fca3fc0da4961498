#include "scaffolder/redactor.h"

#include <algorithm>

namespace idp::scaffolder {

void Redactor::Add(std::string_view value) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
  if (value.size() <= 1) return;
  if (std::find(values_.begin(), values_.end(), value) != values_.end()) return;
  values_.emplace_back(value);
}

void Redactor::AddValues(const JsonValue& object) {
  if (!object.IsObject()) return;
  for (const auto& m : object.GetObject()) {
    if (m.value.IsString()) Add(AsView(m.value));
  }
}

void Redactor::AddDifferences(const JsonValue& with, const JsonValue* without) {
  if (with.IsString()) {
    if (!without || !without->IsString() || AsView(*without) != AsView(with)) Add(AsView(with));
  } else if (with.IsArray()) {
    for (rapidjson::SizeType i = 0; i < with.Size(); ++i) {
      const JsonValue* other = without && without->IsArray() && i < without->Size() ? &(*without)[i] : nullptr;
      AddDifferences(with[i], other);
    }
  } else if (with.IsObject()) {
    for (const auto& m : with.GetObject()) {
      const JsonValue* other = without && without->IsObject() ? FindMember(*without, AsView(m.name)) : nullptr;
      AddDifferences(m.value, other);
    }
  }
}

std::string Redactor::Apply(std::string_view text) const {
  if (values_.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    bool hit = false;
    for (const auto& v : values_) {
      if (text.compare(i, v.size(), v) == 0) {
        out += "***";
        i += v.size();
        hit = true;
        break;
      }
    }
    if (!hit) out.push_back(text[i++]);
  }
  return out;
}

}  // namespace idp::scaffolder
