#include "validate/placeholders.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <string>
#include <system_error>
#include <unordered_map>
#include <variant>

#include "core/status.h"
#include "validate/file_reader.h"

namespace idp::catalog {
namespace {

enum class Resolver { kText, kJson, kYaml };

std::optional<Resolver> ResolverFor(std::string_view key) {
  if (key == "$text") return Resolver::kText;
  if (key == "$json") return Resolver::kJson;
  if (key == "$yaml") return Resolver::kYaml;
  return std::nullopt;
}

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// git-url-parse's GitHub shorthand `owner/repo`: such a base parses as a git
// URL, so Backstage fails later, in `new URL(base)`.
bool IsGitShorthand(std::string_view s) {
  const auto slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash > 39) return false;
  const std::string_view owner = s.substr(0, slash);
  const std::string_view repo = s.substr(slash + 1);
  if (repo.empty() || repo.size() > 100) return false;
  const bool owner_ok = std::all_of(owner.begin(), owner.end(), [](char c) {
    return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '-';
  });
  const bool repo_ok = std::all_of(repo.begin(), repo.end(), [](char c) {
    return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '-' || c == '.' || c == '_';
  });
  return owner_ok && repo_ok;
}

// Backstage's integrations.resolveUrl(value, base) with a file path as base:
// `/x` goes through git-url-parse, anything else through `new URL(value, base)`.
std::string UrlFormingError(std::string_view key, std::string_view base, std::string_view value) {
  std::string cause;
  if (!value.empty() && value.front() == '/') {
    cause = IsGitShorthand(base) ? "TypeError: Invalid URL" : "Error: URL parsing failed.";
  } else {
    cause = "TypeError: Invalid URL";
  }
  return "Placeholder " + std::string(key) + " could not form a URL out of " + std::string(base) +
         " and " + std::string(value) + ", " + cause;
}

std::string ReadError(std::string_view key, std::string_view value, std::string_view cause) {
  return "Placeholder " + std::string(key) + " could not read location " + std::string(value) +
         ", " + std::string(cause);
}

// Node decodes buffers with U+FFFD for every ill-formed sequence; RapidJSON
// strings must stay valid UTF-8 for the JSON we write.
std::string SanitizeUtf8(std::string text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  auto sequence_length = [&](std::size_t at) -> std::size_t {
    const unsigned char c = p[at];
    if (c < 0x80) return 1;
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
      len = 2;
    else if (c == 0xE0) {
      len = 3;
      lo = 0xA0;
    } else if (c >= 0xE1 && c <= 0xEC)
      len = 3;
    else if (c == 0xED) {
      len = 3;
      hi = 0x9F;
    } else if (c >= 0xEE && c <= 0xEF)
      len = 3;
    else if (c == 0xF0) {
      len = 4;
      lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3)
      len = 4;
    else if (c == 0xF4) {
      len = 4;
      hi = 0x8F;
    } else
      return 0;
    if (at + 1 >= n || p[at + 1] < lo || p[at + 1] > hi) return 0;
    for (std::size_t k = 2; k < len; ++k) {
      if (at + k >= n || p[at + k] < 0x80 || p[at + k] > 0xBF) return 0;
    }
    return len;
  };
  while (i < n && sequence_length(i) != 0) i += sequence_length(i);
  if (i == n) return text;  // the common case: already valid
  std::string out(text.data(), i);
  while (i < n) {
    const std::size_t len = sequence_length(i);
    if (len != 0) {
      out.append(text, i, len);
      i += len;
      continue;
    }
    out += "\xEF\xBF\xBD";
    // Skip the maximal prefix of a valid sequence as one unit, as WHATWG does.
    std::size_t skip = 1;
    while (i + skip < n && skip < 4 && (p[i + skip] & 0xC0) == 0x80 && p[i] >= 0xC2 &&
           p[i] <= 0xF4 &&
           skip < (p[i] >= 0xF0   ? 4u
                   : p[i] >= 0xE0 ? 3u
                                  : 2u)) {
      ++skip;
    }
    i += skip;
  }
  return out;
}

bool IsBelow(const std::filesystem::path& candidate, const std::filesystem::path& root) {
  auto c = candidate.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++c) {
    if (r->empty()) continue;  // trailing separator of the root
    if (c == candidate.end() || *c != *r) return false;
  }
  return true;
}

// JSON.parse keeps the last value of a repeated key (at the first key's
// position); RapidJSON keeps every member. False when nested deeper than
// `max_depth` (the rest of the pipeline recurses over the entity).
bool DropDuplicateKeys(JsonValue& v, std::size_t depth, std::size_t max_depth) {
  if (depth > max_depth) return false;
  if (v.IsArray()) {
    for (auto& item : v.GetArray()) {
      if (!DropDuplicateKeys(item, depth + 1, max_depth)) return false;
    }
    return true;
  }
  if (!v.IsObject()) return true;
  if (v.MemberCount() > 1) {
    std::unordered_map<std::string_view, JsonValue::MemberIterator> first;
    for (auto it = v.MemberBegin(); it != v.MemberEnd();) {
      auto [pos, inserted] = first.try_emplace(AsView(it->name), it);
      if (inserted) {
        ++it;
        continue;
      }
      pos->second->value.Swap(it->value);
      it = v.EraseMember(it);  // keeps order; iterators before `it` stay valid
    }
  }
  for (auto& m : v.GetObject()) {
    if (!DropDuplicateKeys(m.value, depth + 1, max_depth)) return false;
  }
  return true;
}

class Resolving {
 public:
  static model::JsonPath ToJsonPath(
      const std::vector<std::variant<const JsonValue*, std::size_t>>& steps) {
    model::JsonPath path;
    path.reserve(steps.size());
    for (const auto& step : steps) {
      if (const auto* name = std::get_if<const JsonValue*>(&step)) {
        path.emplace_back(std::string(AsView(**name)));
      } else {
        path.emplace_back(std::get<std::size_t>(step));
      }
    }
    return path;
  }

  Resolving(JsonAllocator& allocator, const PlaceholderContext& context)
      : allocator_(allocator), context_(context) {}

  // `path` holds member-name nodes or indices; turned into a JsonPath only
  // for a problem, so the common walk allocates nothing.
  using Step = std::variant<const JsonValue*, std::size_t>;

  void Walk(JsonValue& v, std::vector<Step>& path) {
    if (v.IsArray()) {
      for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
        path.emplace_back(std::size_t{i});
        Walk(v[i], path);
        path.pop_back();
      }
      return;
    }
    if (!v.IsObject()) return;
    const bool has_dollar = std::any_of(v.MemberBegin(), v.MemberEnd(), [](const auto& m) {
      return m.name.GetStringLength() > 0 && m.name.GetString()[0] == '$';
    });
    if (!has_dollar) {
      for (auto& m : v.GetObject()) {
        path.emplace_back(&m.name);
        Walk(m.value, path);
        path.pop_back();
      }
      return;
    }
    if (v.MemberCount() != 1) return;  // `$key` plus other keys: left untouched
    const std::string_view key = AsView(v.MemberBegin()->name);
    const auto resolver = ResolverFor(key);
    if (!resolver) return;  // unknown `$x`: left untouched
    Result<JsonValue> resolved = Resolve(*resolver, key, v.MemberBegin()->value);
    if (!resolved.ok()) {
      problems_.push_back({ToJsonPath(path), resolved.status().message()});
      return;
    }
    v = std::move(resolved.value());
  }

  std::vector<model::Problem> TakeProblems() { return std::move(problems_); }

 private:
  Result<JsonValue> Resolve(Resolver resolver, std::string_view key, const JsonValue& param) {
    if (!param.IsString()) {
      return Status(Code::kInvalid,
                    "Placeholder " + std::string(key) +
                        " expected a string value parameter, in the form of an absolute URL or "
                        "a relative path");
    }
    const std::string_view value = AsView(param);
    Result<std::string> content = Read(key, value);
    if (!content.ok()) return content.status();
    switch (resolver) {
      case Resolver::kText: {
        std::string text = SanitizeUtf8(std::move(content.value()));
        return MakeString(text, allocator_);
      }
      case Resolver::kJson:
        return ParseJson(key, value, content.value());
      case Resolver::kYaml:
        return ParseYaml(key, value, content.value());
    }
    return Status(Code::kInternal, "unknown placeholder resolver");
  }

  Result<std::string> Read(std::string_view key, std::string_view value) {
    if (IsAbsoluteUrl(value)) {
      // No URL reading here, exactly like the oracle's offline reader.
      return Status(Code::kNotFound, ReadError(key, value,
                                               "NotFoundError: oracle is offline, cannot read " +
                                                   std::string(value)));
    }
    if (context_.root.empty() || context_.file_path.empty()) {
      return Status(Code::kInvalid, UrlFormingError(key, context_.base, value));
    }
    std::error_code ec;
    if (!root_checked_) {
      root_checked_ = true;
      canonical_root_ = std::filesystem::weakly_canonical(context_.root, ec);
      if (ec) canonical_root_.clear();
    }
    if (canonical_root_.empty()) {
      return Status(Code::kIo, ReadError(key, value,
                                         "NotFoundError: placeholder root " +
                                             context_.root.string() + " cannot be resolved"));
    }
    const std::filesystem::path requested(value);
    const std::filesystem::path joined =
        requested.is_absolute() ? requested : context_.file_path.parent_path() / requested;
    const std::filesystem::path resolved = std::filesystem::weakly_canonical(joined, ec);
    if (ec || !IsBelow(resolved, canonical_root_)) {
      return Status(Code::kNotAllowed,
                    ReadError(key, value,
                              "NotAllowedError: " + std::string(value) +
                                  " is outside the placeholder root " + context_.root.string()));
    }
    const std::size_t cap = context_.limits ? context_.limits->max_file_bytes : (64u << 20);
    Result<std::string> data = ReadFileCapped(resolved, value, cap);
    if (!data.ok()) {
      return Status(data.status().code(),
                    ReadError(key, value, "NotFoundError: " + data.status().message()));
    }
    return data;
  }

  Result<JsonValue> ParseJson(std::string_view key, std::string_view value,
                              const std::string& content) {
    Json parsed;
    // Iterative: a deeply nested file must not exhaust the stack.
    parsed.Parse<rapidjson::kParseFullPrecisionFlag | rapidjson::kParseIterativeFlag>(
        content.data(), content.size());
    if (parsed.HasParseError()) {
      return Status(Code::kParse,
                    "Placeholder " + std::string(key) + " failed to parse JSON data at " +
                        std::string(value) +
                        ", SyntaxError: " + rapidjson::GetParseError_En(parsed.GetParseError()) +
                        " (at offset " + std::to_string(parsed.GetErrorOffset()) + ")");
    }
    const std::size_t max_depth = context_.limits ? context_.limits->max_depth : 512;
    if (!DropDuplicateKeys(parsed, 0, max_depth)) {
      return Status(Code::kLimit, "Placeholder " + std::string(key) +
                                      " failed to parse JSON data at " + std::string(value) +
                                      ", RangeError: nested deeper than " +
                                      std::to_string(max_depth) + " levels");
    }
    return JsonValue(parsed, allocator_);
  }

  Result<JsonValue> ParseYaml(std::string_view key, std::string_view value,
                              const std::string& content) {
    const yaml::Limits limits = context_.limits ? *context_.limits : yaml::Limits{};
    yaml::Stream stream = yaml::ParseStream(content, limits);
    if (stream.documents.size() != 1) {
      return Status(Code::kInvalid, "Placeholder " + std::string(key) +
                                        " expected to find exactly one document of data at " +
                                        std::string(value) + ", found " +
                                        std::to_string(stream.documents.size()));
    }
    const yaml::Document& doc = stream.documents.front();
    if (doc.status == yaml::DocStatus::kError) {
      return Status(Code::kParse, "Placeholder " + std::string(key) +
                                      " found an error in the data at " + std::string(value) +
                                      ", " + doc.error);
    }
    // toJSON throwing (unresolved alias, too many aliases) is not wrapped by Backstage.
    if (stream.aborted) return Status(Code::kParse, stream.abort_reason);
    if (doc.status == yaml::DocStatus::kEmpty) return JsonValue(rapidjson::kNullType);
    return JsonValue(doc.json, allocator_);
  }

  JsonAllocator& allocator_;
  const PlaceholderContext& context_;
  std::vector<model::Problem> problems_;
  bool root_checked_ = false;
  std::filesystem::path canonical_root_;
};

}  // namespace

bool IsAbsoluteUrl(std::string_view s) {
  // WHATWG strips leading/trailing C0 controls and spaces first.
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20) s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20) s.remove_suffix(1);
  if (s.empty() || !IsAsciiAlpha(s.front())) return false;
  std::size_t i = 1;
  while (i < s.size() &&
         (IsAsciiAlpha(s[i]) || IsAsciiDigit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
    ++i;
  }
  if (i >= s.size() || s[i] != ':') return false;
  const std::string scheme = AsciiLower(s.substr(0, i));
  std::string_view rest = s.substr(i + 1);
  if (scheme == "file") return true;
  const bool special =
      scheme == "http" || scheme == "https" || scheme == "ws" || scheme == "wss" || scheme == "ftp";
  if (!special) return true;
  // Special schemes need a host: skip slashes, take up to the path.
  while (!rest.empty() && (rest.front() == '/' || rest.front() == '\\')) rest.remove_prefix(1);
  const std::size_t end = rest.find_first_of("/\\?#");
  std::string_view authority = rest.substr(0, end);
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  if (!host.empty() && host.front() != '[') {
    const std::size_t colon = host.find(':');
    if (colon != std::string_view::npos) {
      const std::string_view port = host.substr(colon + 1);
      if (!std::all_of(port.begin(), port.end(), IsAsciiDigit)) return false;
      host = host.substr(0, colon);
    }
  }
  if (host.empty()) return false;
  constexpr std::string_view kForbidden = " <>^|";
  return host.find_first_of(kForbidden) == std::string_view::npos;
}

std::vector<model::Problem> ResolvePlaceholders(JsonValue& entity, JsonAllocator& allocator,
                                                const PlaceholderContext& context) {
  Resolving resolving(allocator, context);
  std::vector<Resolving::Step> path;
  path.reserve(16);
  resolving.Walk(entity, path);
  return resolving.TakeProblems();
}

}  // namespace idp::catalog
