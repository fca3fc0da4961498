#include "validate/location_label.h"

#include <vector>

namespace idp::catalog {

std::string NodePathNormalize(std::string_view path) {
  if (path.empty()) return ".";
  const bool absolute = path.front() == '/';
  const bool trailing = path.back() == '/';
  std::vector<std::string_view> parts;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);  // relative paths keep leading `..`
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  if (out.empty()) return absolute ? "/" : (trailing ? "./" : ".");
  if (trailing && out != "/") out += '/';
  return out;
}

LocationLabel MakeLocationLabel(std::string_view type, std::string_view file_label) {
  LocationLabel label;
  label.type = type;
  label.target = NodePathNormalize(file_label);
  label.ref = label.type + ":" + label.target;
  return label;
}

}  // namespace idp::catalog
