#include "catalog/location_entity.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/sha1.h"
#include "validate/location_annotations.h"

namespace idp::catalog {
namespace {

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

Result<LocationSpec> ParseLocationRef(std::string_view ref) {
  const auto colon = ref.find(':');
  const std::string_view type = colon == std::string_view::npos ? "" : Trim(ref.substr(0, colon));
  const std::string_view target =
      colon == std::string_view::npos ? "" : Trim(ref.substr(colon + 1));
  if (type.empty() || target.empty()) {
    return Status(Code::kInvalidArgument, "Unable to parse location ref '" + std::string(ref) +
                                              "', expected '<type>:<target>', e.g. "
                                              "'url:https://host/path'");
  }
  if (type == "http" || type == "https") {
    return Status(Code::kInvalidArgument,
                  "Invalid location ref '" + std::string(ref) +
                      "', please prefix it with 'url:', e.g. 'url:" + std::string(ref) + "'");
  }
  return LocationSpec{std::string(type), std::string(target)};
}

std::string GeneratedLocationName(const LocationSpec& location) {
  return "generated-" + Sha1Hex(location.Ref());
}

Json GeneratedLocationEntity(const LocationSpec& location, std::string_view own,
                             std::string_view origin, std::optional<std::string_view> presence) {
  // Written then parsed: building a fresh Document member by member trips
  // GCC's -Wnull-dereference inside RapidJSON's allocator.
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  const auto str = [&](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  str("apiVersion"), str("backstage.io/v1alpha1");
  str("kind"), str("Location");
  str("metadata");
  w.StartObject();
  str("name"), str(GeneratedLocationName(location));
  str("annotations");
  w.StartObject();
  str(kAnnotationLocation), str(own);
  str(kAnnotationOriginLocation), str(origin);
  w.EndObject();
  w.EndObject();
  str("spec");
  w.StartObject();
  str("type"), str(location.type);
  str("target"), str(location.target);
  if (presence) str("presence"), str(*presence);
  w.EndObject();
  w.EndObject();
  Json e;
  e.Parse(buffer.GetString(), buffer.GetSize());
  return e;
}

}  // namespace idp::catalog
