#include "model/json_path.h"

namespace idp::model {

namespace {

// A key printable after a dot: a JavaScript-style identifier in ASCII.
bool IsIdentifier(const std::string& key) {
  if (key.empty()) return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    const bool digit = c >= '0' && c <= '9';
    if (!(alpha || (digit && i > 0))) return false;
  }
  return true;
}

}  // namespace

std::string FormatPath(const JsonPath& path) {
  std::string out;
  for (const PathSegment& seg : path) {
    if (const auto* index = std::get_if<std::size_t>(&seg)) {
      out += '[' + std::to_string(*index) + ']';
      continue;
    }
    const std::string& key = std::get<std::string>(seg);
    if (IsIdentifier(key)) {
      if (!out.empty()) out.push_back('.');
      out += key;
    } else {
      out += "['";
      for (char c : key) {
        if (c == '\'' || c == '\\') out.push_back('\\');
        out.push_back(c);
      }
      out += "']";
    }
  }
  return out;
}

const JsonValue* ResolvePath(const JsonValue& root, const JsonPath& path, bool* exact) {
  const JsonValue* node = &root;
  for (const PathSegment& seg : path) {
    const JsonValue* next = nullptr;
    if (const auto* index = std::get_if<std::size_t>(&seg)) {
      if (node->IsArray() && *index < node->Size()) next = &(*node)[static_cast<rapidjson::SizeType>(*index)];
    } else {
      next = FindMember(*node, std::get<std::string>(seg));
    }
    if (next == nullptr) {
      if (exact) *exact = false;
      return node;
    }
    node = next;
  }
  if (exact) *exact = true;
  return node;
}

}  // namespace idp::model
