// POST /refresh, /validate-entity, /analyze-location (spec/catalog.md §10.12-§10.14).
#include <algorithm>

#include "http/errors.h"
#include "http/json_io.h"
#include "http/service.h"
#include "validate/validator.h"

namespace idp::http {

void Service::PostRefresh(const Request& req, Responder done) {
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return done(std::move(*bad));
  const JsonValue* ref = body.IsObject() ? FindMember(body, "entityRef") : nullptr;
  if (!ref || !ref->IsString()) return done(ErrorResponse(req, 400, "Malformed request: entityRef must be a string"));
  const std::string lower = ToLower(AsView(*ref));
  Result<std::optional<Json>> e = catalog_.GetByRef(lower);
  if (!e.ok()) return done(StatusResponse(req, e.status()));
  if (!e->has_value()) return done(ErrorResponse(req, 404, "Entity " + lower + " not found"));
  // The engine refreshes whole locations: refreshing all of them is a
  // superset of the entity and its location ancestors, and unchanged files
  // are no-ops. Answered once done, so the client sees the result.
  writer_->Post([this, method = std::string(req.method), url = std::string(req.target), done = std::move(done)] {
    if (Status s = RefreshAll(); !s.ok()) {
      Request r;
      r.method = method;
      r.target = url;
      return done(StatusResponse(r, s));
    }
    Response resp;
    resp.status = 200;
    resp.content_type = "text/plain";
    done(std::move(resp));
  });
}

Response Service::PostValidateEntity(const Request& req) {
  // This route answers 400 as {errors: [...]}, not the usual error body (§10.13).
  auto errors = [](const std::vector<std::string>& messages) {
    rapidjson::StringBuffer b;
    JsonOut w(b);
    w.StartObject();
    w.Key("errors");
    w.StartArray();
    for (const std::string& m : messages) {
      w.StartObject();
      w.Key("name");
      w.String("InputError");
      w.Key("message");
      w.String(m);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return JsonResponse(400, b);
  };
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return errors({"Malformed request: the body is not valid JSON"});
  const JsonValue* entity = body.IsObject() ? FindMember(body, "entity") : nullptr;
  const JsonValue* location = body.IsObject() ? FindMember(body, "location") : nullptr;
  if (!entity || !entity->IsObject()) return errors({"Malformed request: entity must be an object"});
  if (!location || !location->IsString() || !AsView(*location).starts_with("url:")) {
    return errors({"Malformed request: location must be a url: location ref"});
  }
  catalog::ValidateOptions options;
  options.location_type = "url";
  options.keep_entity = false;
  // JSON is YAML: the entity runs through the same pipeline as a document of
  // a file (envelope, policies, kind rules), labelled with the location.
  const catalog::FileVerdict v = catalog::ValidateText(AsView(*location).substr(4), ToJsonString(*entity), options);
  std::vector<std::string> messages;
  for (const catalog::DocumentVerdict& d : v.documents) {
    if (d.valid) continue;
    if (d.error) messages.push_back(*d.error);
    for (const auto& e : d.errors) messages.push_back(e.message);
  }
  if (messages.empty() && (v.documents.empty() || !v.file_ok)) messages.push_back("Invalid entity");
  if (!messages.empty()) return errors(messages);
  Response r;
  r.content_type = "text/plain";
  return r;
}

Response Service::PostAnalyzeLocation(const Request& req) {
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return std::move(*bad);
  const JsonValue* location = body.IsObject() ? FindMember(body, "location") : nullptr;
  const JsonValue* target = location && location->IsObject() ? FindMember(*location, "target") : nullptr;
  if (!target || !target->IsString()) return ErrorResponse(req, 400, "Malformed request: location.target is required");
  std::string_view url = AsView(*target);
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos || (url.substr(0, scheme) != "https" && url.substr(0, scheme) != "http")) {
    return ErrorResponse(req, 400, "Invalid location target " + std::string(AsView(*target)));
  }
  url.remove_prefix(scheme + 3);
  const std::string host = ToLower(url.substr(0, url.find('/')));
  std::vector<std::string> parts;
  for (std::string_view rest = url.substr(std::min(url.size(), host.size() + 1)); !rest.empty();) {
    const std::size_t slash = rest.find('/');
    if (slash != 0) parts.emplace_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (host.empty() || parts.size() < 2) return ErrorResponse(req, 400, "Invalid location target " + std::string(AsView(*target)));
  std::string name = parts[1];
  if (name.ends_with(".git")) name.resize(name.size() - 4);
  // The slug annotation by host type, as Backstage's default analyzer.
  std::string annotation;
  if (host == "github.com") annotation = "github.com/project-slug";
  else if (host == "gitlab.com") annotation = "gitlab.com/project-slug";
  else if (host == "bitbucket.org") annotation = "bitbucket.org/project-slug";
  else if (host == "dev.azure.com") annotation = "dev.azure.com/project-repo";
  rapidjson::StringBuffer b;
  JsonOut w(b);
  w.StartObject();
  w.Key("existingEntityFiles");
  w.StartArray();
  w.EndArray();
  w.Key("generateEntities");
  w.StartArray();
  w.StartObject();
  w.Key("entity");
  w.StartObject();
  w.Key("apiVersion");
  w.String("backstage.io/v1alpha1");
  w.Key("kind");
  w.String("Component");
  w.Key("metadata");
  w.StartObject();
  w.Key("name");
  w.String(name);
  if (!annotation.empty()) {
    w.Key("annotations");
    w.StartObject();
    w.Key(annotation);
    w.String(parts[0] + "/" + name);
    w.EndObject();
  }
  w.EndObject();
  w.Key("spec");
  w.StartObject();
  w.Key("type");
  w.String("other");
  w.Key("lifecycle");
  w.String("unknown");
  w.EndObject();
  w.EndObject();
  w.Key("fields");
  w.StartArray();
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return JsonResponse(200, b);
}

}  // namespace idp::http
