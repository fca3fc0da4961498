#include "annotate_location_processor.h"

#include <array>
#include <cctype>

#include "validate/location_annotations.h"

namespace idp::catalog {
namespace {

constexpr std::string_view kViewUrl = "backstage.io/view-url";
constexpr std::string_view kEditUrl = "backstage.io/edit-url";
constexpr std::string_view kSourceLocation = "backstage.io/source-location";

// GitHub's replaceGithubUrlType: https://host/owner/repo/(tree|blob|edit)/...
// with the fourth segment replaced; other URLs unchanged.
std::string ReplaceGithubUrlType(std::string_view url, std::string_view type) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  std::size_t at = scheme + 3;
  for (int i = 0; i < 3; ++i) {  // host, owner, repo
    const std::size_t slash = url.find('/', at);
    if (slash == std::string_view::npos || slash == at) return std::string(url);
    at = slash + 1;
  }
  for (std::string_view from : {"tree/", "blob/", "edit/"}) {
    if (url.substr(at).starts_with(from)) {
      return std::string(url.substr(0, at)) + std::string(type) + "/" + std::string(url.substr(at + from.size()));
    }
  }
  return std::string(url);
}

// 40 or more hex digits in a row: a commit hash, whose files cannot be edited.
bool HasCommitHash(std::string_view url) {
  std::size_t run = 0;
  for (char c : url) {
    run = std::isxdigit(static_cast<unsigned char>(c)) ? run + 1 : 0;
    if (run >= 40) return true;
  }
  return false;
}

// Rebuilds `annotations` with `first` (those present) in that order, then the rest.
void OrderKeys(JsonValue& annotations, JsonAllocator& allocator, std::span<const std::string_view> first) {
  JsonValue ordered(rapidjson::kObjectType);
  for (std::string_view key : first) {
    auto it = annotations.FindMember(JsonValue(rapidjson::StringRef(key.data(), key.size())));
    if (it == annotations.MemberEnd()) continue;
    ordered.AddMember(it->name, it->value, allocator);  // moves
    annotations.EraseMember(it);
  }
  for (auto& m : annotations.GetObject()) ordered.AddMember(m.name, m.value, allocator);
  annotations = std::move(ordered);
}

void SetIfAbsent(JsonValue& annotations, JsonAllocator& allocator, std::string_view key, const std::string& value) {
  if (annotations.HasMember(JsonValue(rapidjson::StringRef(key.data(), key.size())))) return;  // the entity's value wins
  annotations.AddMember(JsonValue(key.data(), static_cast<rapidjson::SizeType>(key.size()), allocator),
                        JsonValue(value.data(), static_cast<rapidjson::SizeType>(value.size()), allocator), allocator);
}

class AnnotateLocationProcessor final : public Processor {
 public:
  std::string Name() const override { return "AnnotateLocationEntityProcessor"; }

  std::optional<Thrown> PreProcessEntity(JsonValue& entity, JsonAllocator& allocator, const ProcessContext& context,
                                         Emitter&) override {
    AnnotateLocation(entity);
    if (context.location.type != "url") return std::nullopt;
    auto metadata = entity.FindMember("metadata");
    if (metadata == entity.MemberEnd() || !metadata->value.IsObject()) return std::nullopt;
    auto annotations = metadata->value.FindMember("annotations");
    if (annotations == metadata->value.MemberEnd() || !annotations->value.IsObject()) return std::nullopt;
    const UrlAnnotations u = UrlAnnotationsFor(context.location.target);
    JsonValue& a = annotations->value;
    SetIfAbsent(a, allocator, kViewUrl, u.view_url);
    if (u.edit_url) SetIfAbsent(a, allocator, kEditUrl, *u.edit_url);
    if (u.source_location) SetIfAbsent(a, allocator, kSourceLocation, *u.source_location);
    static constexpr std::array<std::string_view, 5> kOrder = {kAnnotationLocation, kAnnotationOriginLocation,
                                                               kViewUrl, kEditUrl, kSourceLocation};
    OrderKeys(a, allocator, kOrder);
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<Processor> MakeAnnotateLocationProcessor() { return std::make_unique<AnnotateLocationProcessor>(); }

UrlAnnotations UrlAnnotationsFor(std::string_view url) {
  UrlAnnotations out;
  out.view_url = std::string(url);
  Result<ParsedUrl> parsed = ParseUrl(url);
  if (!parsed.ok() || parsed->host != "github.com") return out;
  if (!HasCommitHash(url)) out.edit_url = ReplaceGithubUrlType(url, "edit");
  if (Result<std::string> dir = ResolveUrl(url, "./"); dir.ok()) {
    out.source_location = "url:" + ReplaceGithubUrlType(*dir, "tree");
  }
  return out;
}

}  // namespace idp::catalog
