// /locations and friends (spec/catalog.md §10.11). Locations from the
// configuration (and --location) are not API locations: like Backstage, they
// are not listed, fetched or deleted through these routes.
#include <algorithm>
#include <charconv>

#include "http/errors.h"
#include "http/json_io.h"
#include "http/service.h"
#include "validate/location_label.h"

namespace idp::http {
namespace {

void WriteLocation(JsonOut& w, const store::Location& l) {
  w.StartObject();
  w.Key("id");
  w.String(l.id);
  w.Key("type");
  w.String(l.type);
  w.Key("target");
  w.String(l.target);
  w.Key("entityRef");
  w.String(l.entity_ref);
  w.EndObject();
}

// The subset of predicates locations support: {id|type|target: value},
// {key: {$in: [...]}}, $all, $any, $not. Values compare case-insensitively.
Result<bool> MatchLocation(const JsonValue& p, const store::Location& l) {
  if (!p.IsObject()) return Status(Code::kInvalidArgument, "Malformed request: a query must be an object");
  for (const auto& m : p.GetObject()) {
    const std::string_view key = AsView(m.name);
    const JsonValue& v = m.value;
    if (key == "$all" || key == "$any") {
      if (!v.IsArray()) return Status(Code::kInvalidArgument, "Malformed request: " + std::string(key) + " wants an array");
      bool any = false, all = true;
      for (const auto& sub : v.GetArray()) {
        Result<bool> r = MatchLocation(sub, l);
        if (!r.ok()) return r;
        any = any || *r;
        all = all && *r;
      }
      if (!(key == "$all" ? all : any)) return false;
      continue;
    }
    if (key == "$not") {
      Result<bool> r = MatchLocation(v, l);
      if (!r.ok()) return r;
      if (*r) return false;
      continue;
    }
    std::string_view actual;
    if (key == "id") actual = l.id;
    else if (key == "type") actual = l.type;
    else if (key == "target") actual = l.target;
    else return Status(Code::kInvalidArgument, "Malformed request: unknown location field '" + std::string(key) + "'");
    const std::string lower = ToLower(actual);
    auto eq = [&](const JsonValue& x) { return x.IsString() && ToLower(AsView(x)) == lower; };
    if (v.IsObject()) {
      const JsonValue* in = FindMember(v, "$in");
      if (!in || !in->IsArray() || v.MemberCount() != 1) {
        return Status(Code::kInvalidArgument, "Malformed request: only $in is supported on location fields");
      }
      bool hit = false;
      for (const auto& x : in->GetArray()) hit = hit || eq(x);
      if (!hit) return false;
    } else if (!eq(v)) {
      return false;
    }
  }
  return true;
}

}  // namespace

Response Service::GetLocations(const Request& req) {
  Result<std::vector<store::Location>> all = catalog_.ListLocations();
  if (!all.ok()) return StatusResponse(req, all.status());
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  w.StartArray();
  for (const store::Location& l : *all) {
    if (IsConfigLocation(l.id)) continue;
    w.StartObject();
    w.Key("data");
    WriteLocation(w, l);
    w.EndObject();
  }
  w.EndArray();
  return JsonResponse(200, buf);
}

void Service::PostLocation(const Request& req, const QueryParams& q, Responder done) {
  if (auto unknown = q.Unknown({"dryRun", "onConflict"})) {
    return done(ErrorResponse(req, 400, "Unknown query parameter '" + *unknown + "'"));
  }
  bool dry_run = false;
  if (const std::string* d = q.First("dryRun")) {
    const std::string v = ToLower(*d);
    if (v == "true" || v == "yes" || v == "1" || v == "on") dry_run = true;
    else if (v == "false" || v == "no" || v == "0" || v == "off" || v.empty()) dry_run = false;
    else return done(ErrorResponse(req, 400, "Invalid dryRun '" + *d + "', expected true or false"));
  }
  bool refresh_on_conflict = false;
  if (const std::string* c = q.First("onConflict")) {
    if (*c != "reject" && *c != "refresh") return done(ErrorResponse(req, 400, "Invalid onConflict '" + *c + "', expected reject or refresh"));
    refresh_on_conflict = *c == "refresh";
  }
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return done(std::move(*bad));
  if (!body.IsObject()) return done(ErrorResponse(req, 400, "Malformed request: the body must be a JSON object"));
  const JsonValue* type = FindMember(body, "type");
  const JsonValue* target = FindMember(body, "target");
  for (const auto& m : body.GetObject()) {
    const std::string_view k = AsView(m.name);
    if (k != "type" && k != "target" && k != "presence") {
      return done(ErrorResponse(req, 400, "Malformed request: unknown field '" + std::string(k) + "'"));
    }
  }
  if (const JsonValue* p = FindMember(body, "presence");
      p && (!p->IsString() || (AsView(*p) != "required" && AsView(*p) != "optional"))) {
    return done(ErrorResponse(req, 400, "Malformed request: presence must be required or optional"));
  }
  if (!type || !type->IsString() || !target || !target->IsString() || target->GetStringLength() == 0) {
    return done(ErrorResponse(req, 400, "Malformed request: type and target must be non-empty strings"));
  }
  const std::string_view t = AsView(*type);
  if (t == "url") {
    return done(ErrorResponse(req, 400,
                              "url locations are not supported by this server yet (url reading is being added to "
                              "the engine); register a file location instead"));
  }
  if (t != "file") {
    return done(ErrorResponse(req, 400, "Registered locations must be of an allowed type [\"file\"], not '" + std::string(t) + "'"));
  }
  std::error_code ec;
  const std::string path = catalog::NodePathNormalize(std::filesystem::absolute(std::string(AsView(*target)), ec).string());
  if (ec || !PathAllowed(path)) {
    return done(ErrorResponse(req, 403, "file location " + path + " is outside the allowed roots"));
  }
  writer_->Post([this, dry_run, refresh_on_conflict, path, method = std::string(req.method),
                 url = std::string(req.target), done = std::move(done)] {
    Request r;
    r.method = method;
    r.target = url;
    Result<std::vector<store::Location>> all = catalog_.ListLocations();
    if (!all.ok()) return done(StatusResponse(r, all.status()));
    const store::Location* existing = nullptr;
    for (const store::Location& l : *all) {
      if (l.type == "file" && l.target == path) existing = &l;
    }
    if (dry_run) {
      // Process into a throwaway in-memory catalog: nothing is stored here.
      catalog::CatalogOptions options;
      options.db_path = ":memory:";
      options.allowed_roots = allowed_roots_;
      options.rules = config_.rules;
      options.threads = 1;
      Result<catalog::Catalog> scratch = catalog::Catalog::Open(std::move(options));
      if (!scratch.ok()) return done(StatusResponse(r, scratch.status()));
      Result<store::Location> added = scratch->AddFileLocation(path);
      if (!added.ok()) return done(StatusResponse(r, added.status()));
      Result<catalog::RefreshReport> report = scratch->Refresh();
      if (!report.ok()) return done(StatusResponse(r, report.status()));
      Result<std::vector<std::string>> refs = scratch->ListRefs();
      if (!refs.ok()) return done(StatusResponse(r, refs.status()));
      std::vector<Json> entities;
      std::string errors;
      for (const std::string& ref : *refs) {
        Result<std::optional<Json>> e = scratch->GetByRef(ref);
        if (!e.ok() || !e->has_value()) continue;
        // Processing errors surface in status.items (§9.3).
        if (const JsonValue* st = FindMember(**e, "status")) {
          if (const JsonValue* items = FindMember(*st, "items"); items && items->IsArray()) {
            for (const auto& item : items->GetArray()) {
              const JsonValue* err = item.IsObject() ? FindMember(item, "error") : nullptr;
              const JsonValue* msg = err && err->IsObject() ? FindMember(*err, "message") : nullptr;
              if (msg && msg->IsString()) errors += (errors.empty() ? "" : ", ") + std::string(AsView(*msg));
            }
          }
        }
        entities.push_back(std::move(**e));
      }
      if (report->failed != 0 || !errors.empty()) {
        if (errors.empty()) errors = std::to_string(report->failed) + " entities failed processing";
        return done(ErrorResponse(r, 400, errors));
      }
      rapidjson::StringBuffer buf;
      JsonOut w(buf);
      w.StartObject();
      w.Key("exists");
      w.Bool(existing != nullptr);
      w.Key("location");
      store::Location shown{"file:" + path, "file", path, store::GeneratedLocationRef("file", path)};
      WriteLocation(w, shown);
      w.Key("entities");
      w.StartArray();
      for (const Json& e : entities) e.Accept(w);
      w.EndArray();
      w.EndObject();
      return done(JsonResponse(201, buf));
    }
    store::Location location;
    if (existing) {
      if (!refresh_on_conflict || IsConfigLocation(existing->id)) {
        return done(ErrorResponse(r, 409, "Location file:" + path + " already exists"));
      }
      location = *existing;
    } else {
      Result<store::Location> added = catalog_.AddFileLocation(path);
      cache_.Invalidate();
      if (!added.ok()) return done(StatusResponse(r, added.status()));
      location = std::move(added).value();
    }
    // Processed now rather than on the next tick: the entities exist when
    // the client sees 201.
    if (Status s = RefreshAll(); !s.ok()) return done(StatusResponse(r, s));
    rapidjson::StringBuffer buf;
    JsonOut w(buf);
    w.StartObject();
    w.Key("location");
    WriteLocation(w, location);
    w.Key("entities");
    w.StartArray();
    w.EndArray();
    w.EndObject();
    done(JsonResponse(201, buf));
  });
}

Response Service::PostLocationsByQuery(const Request& req) {
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return std::move(*bad);
  if (!body.IsObject()) return ErrorResponse(req, 400, "Malformed request: the body must be a JSON object");
  std::size_t limit = 1000, offset = 0;
  const JsonValue* query = nullptr;
  for (const auto& m : body.GetObject()) {
    const std::string_view k = AsView(m.name);
    if (k == "limit") {
      if (!m.value.IsUint64() || m.value.GetUint64() < 1) return ErrorResponse(req, 400, "Malformed request: limit must be an integer of 1 or more");
      limit = m.value.GetUint64();
    } else if (k == "cursor") {
      std::optional<std::string> text = m.value.IsString() ? Base64Decode(AsView(m.value)) : std::nullopt;
      std::size_t v = 0;
      if (!text || text->empty() ||
          std::from_chars(text->data(), text->data() + text->size(), v).ptr != text->data() + text->size()) {
        return ErrorResponse(req, 400, "Malformed cursor");
      }
      offset = v;
    } else if (k == "query") {
      query = &m.value;
    } else {
      return ErrorResponse(req, 400, "Malformed request: unknown field '" + std::string(k) + "'");
    }
  }
  Result<std::vector<store::Location>> all = catalog_.ListLocations();
  if (!all.ok()) return StatusResponse(req, all.status());
  std::vector<const store::Location*> matched;
  for (const store::Location& l : *all) {
    if (IsConfigLocation(l.id)) continue;
    if (query) {
      Result<bool> hit = MatchLocation(*query, l);
      if (!hit.ok()) return StatusResponse(req, hit.status());
      if (!*hit) continue;
    }
    matched.push_back(&l);
  }
  std::sort(matched.begin(), matched.end(), [](auto* a, auto* b) { return a->id < b->id; });
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  w.StartObject();
  w.Key("items");
  w.StartArray();
  for (std::size_t i = offset; i < matched.size() && i < offset + limit; ++i) WriteLocation(w, *matched[i]);
  w.EndArray();
  w.Key("totalItems");
  w.Uint64(matched.size());
  w.Key("pageInfo");
  w.StartObject();
  if (offset + limit < matched.size()) {
    w.Key("nextCursor");
    w.String(Base64Encode(std::to_string(offset + limit)));
  }
  w.EndObject();
  w.EndObject();
  return JsonResponse(200, buf);
}

Response Service::GetLocation(const Request& req, const std::string& id) {
  Result<std::vector<store::Location>> all = catalog_.ListLocations();
  if (!all.ok()) return StatusResponse(req, all.status());
  for (const store::Location& l : *all) {
    if (l.id != id || IsConfigLocation(l.id)) continue;
    rapidjson::StringBuffer buf;
    JsonOut w(buf);
    WriteLocation(w, l);
    return JsonResponse(200, buf);
  }
  return ErrorResponse(req, 404, "Found no location with ID " + id);
}

void Service::DeleteLocation(const Request& req, const std::string& id, Responder done) {
  if (IsConfigLocation(id)) return done(ErrorResponse(req, 404, "Found no location with ID " + id));
  writer_->Post([this, id, method = std::string(req.method), url = std::string(req.target), done = std::move(done)] {
    Request r;
    r.method = method;
    r.target = url;
    Result<std::vector<std::string>> removed = catalog_.RemoveLocation(id);
    cache_.Invalidate();
    if (!removed.ok()) {
      if (removed.status().code() == Code::kNotFound) return done(ErrorResponse(r, 404, "Found no location with ID " + id));
      return done(StatusResponse(r, removed.status()));
    }
    Response resp;
    resp.status = 204;
    done(std::move(resp));
  });
}

Response Service::GetLocationByEntity(const Request& req, const Segments& seg) {
  const std::string ref = ToLower(seg[2]) + ":" + ToLower(seg[3]) + "/" + ToLower(seg[4]);
  Result<std::optional<Json>> e = catalog_.GetByRef(ref);
  if (!e.ok()) return StatusResponse(req, e.status());
  if (!e->has_value()) return ErrorResponse(req, 404, "No entity " + ref);
  const JsonValue* md = FindMember(**e, "metadata");
  const JsonValue* ann = md ? FindMember(*md, "annotations") : nullptr;
  const JsonValue* origin = ann && ann->IsObject() ? FindMember(*ann, "backstage.io/managed-by-origin-location") : nullptr;
  if (!origin || !origin->IsString()) return ErrorResponse(req, 404, "Entity " + ref + " has no origin location");
  const std::string_view o = AsView(*origin);
  Result<std::vector<store::Location>> all = catalog_.ListLocations();
  if (!all.ok()) return StatusResponse(req, all.status());
  for (const store::Location& l : *all) {
    if (IsConfigLocation(l.id) || o != l.type + ":" + l.target) continue;
    rapidjson::StringBuffer buf;
    JsonOut w(buf);
    WriteLocation(w, l);
    return JsonResponse(200, buf);
  }
  return ErrorResponse(req, 404, "Found no location " + std::string(o));
}

}  // namespace idp::http
