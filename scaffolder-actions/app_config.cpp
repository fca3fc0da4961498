#include "app_config.h"

#include <fstream>
#include <sstream>

#include "yaml/yaml_stream.h"

namespace idp::scaffolder::actions {

namespace {

// Backstage's isValidHost: a bare host[:port], nothing a URL would add.
bool ValidHost(std::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == ':' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool HttpUrl(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (url.starts_with(scheme) && url.size() > scheme.size() && url[scheme.size()] != '/') return true;
  }
  return false;
}

}  // namespace

Status ConfigKeyError(const std::string& file, const SourceMap& marks, const JsonValue& node, const std::string& key,
                      const std::string& what) {
  const Mark m = marks.Get(&node);
  std::string where = file;
  if (m.known()) where += ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
  return Status(Code::kInvalidArgument, where + ": " + key + ": " + what);
}

Status ReadPublishConfig(const JsonValue& root, const SourceMap& marks, const std::string& file,
                         PublishOptions& out) {
  auto error = [&](const JsonValue& node, const std::string& key, const std::string& what) {
    return ConfigKeyError(file, marks, node, key, what);
  };
  // A string member of `object` into `dest`; absent leaves it alone.
  auto string_at = [&](const JsonValue& object, const char* name, const std::string& key, std::string& dest) {
    const JsonValue* v = FindMember(object, name);
    if (!v) return Status::Ok();
    if (!v->IsString()) return error(*v, key, "expected a string");
    dest = std::string(AsView(*v));
    return Status::Ok();
  };
  if (!root.IsObject()) return Status::Ok();
  if (const JsonValue* integrations = FindMember(root, "integrations")) {
    if (!integrations->IsObject()) return error(*integrations, "integrations", "expected a mapping");
    if (const JsonValue* github = FindMember(*integrations, "github")) {
      if (!github->IsArray()) return error(*github, "integrations.github", "expected a list");
      for (rapidjson::SizeType i = 0; i < github->Size(); ++i) {
        const JsonValue& entry = (*github)[i];
        const std::string key = "integrations.github[" + std::to_string(i) + "]";
        if (!entry.IsObject()) return error(entry, key, "expected a mapping");
        GithubIntegration g;
        if (Status s = string_at(entry, "host", key + ".host", g.host); !s.ok()) return s;
        if (!ValidHost(g.host)) return error(*FindMember(entry, "host"), key + ".host", "'" + g.host + "' is not a valid host");
        for (const GithubIntegration& seen : out.github) {
          if (seen.host == g.host) return error(entry, key + ".host", "host " + g.host + " is configured twice");
        }
        if (Status s = string_at(entry, "apiBaseUrl", key + ".apiBaseUrl", g.api_base_url); !s.ok()) return s;
        if (!g.api_base_url.empty()) {
          if (!HttpUrl(g.api_base_url)) {
            return error(*FindMember(entry, "apiBaseUrl"), key + ".apiBaseUrl", "expected an http(s) URL");
          }
          while (g.api_base_url.ends_with('/')) g.api_base_url.pop_back();  // as Backstage trims it
        }
        if (Status s = string_at(entry, "token", key + ".token", g.token); !s.ok()) return s;
        out.github.push_back(std::move(g));
      }
    }
  }
  const JsonValue* s = FindMember(root, "scaffolder");
  if (!s) return Status::Ok();
  if (!s->IsObject()) return error(*s, "scaffolder", "expected a mapping");
  if (const JsonValue* author = FindMember(*s, "defaultAuthor")) {
    if (!author->IsObject()) return error(*author, "scaffolder.defaultAuthor", "expected a mapping");
    if (Status st = string_at(*author, "name", "scaffolder.defaultAuthor.name", out.default_author_name); !st.ok()) {
      return st;
    }
    if (Status st = string_at(*author, "email", "scaffolder.defaultAuthor.email", out.default_author_email);
        !st.ok()) {
      return st;
    }
  }
  return string_at(*s, "defaultCommitMessage", "scaffolder.defaultCommitMessage", out.default_commit_message);
}

Status LoadPublishConfig(const std::string& path, PublishOptions& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kIo, path + ": cannot read the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  yaml::Stream stream = yaml::ParseStream(text.str());
  if (stream.aborted) return Status(Code::kInvalidArgument, path + ": " + stream.abort_reason);
  if (stream.documents.empty()) return Status::Ok();
  const yaml::Document& doc = stream.documents[0];
  if (doc.status == yaml::DocStatus::kError) {
    return Status(Code::kInvalidArgument, path + ":" + std::to_string(doc.error_mark.line) + ":" +
                                              std::to_string(doc.error_mark.column) + ": " + doc.error);
  }
  if (doc.status != yaml::DocStatus::kOk) return Status::Ok();
  if (!doc.json.IsObject()) return Status(Code::kInvalidArgument, path + ": expected a mapping at the top");
  return ReadPublishConfig(doc.json, doc.marks, path, out);
}

}  // namespace idp::scaffolder::actions
