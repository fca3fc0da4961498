// /locations and friends (spec/catalog.md §10.11). Locations from the
// configuration (and --location) are not API locations: like Backstage, they
// are not listed, fetched or deleted through these routes.
#include <algorithm>
#include <optional>

#include "http/dry_run.h"
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

Status BadPredicate(std::string message) {
  return Status(Code::kInvalidArgument, "Invalid filter predicate, " + std::move(message));
}

std::string JsonText(const JsonValue& v) {
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

// A primitive as SQL sees the bound parameter: strings as they are, numbers
// and booleans as their JSON text.
std::string Primitive(const JsonValue& v) { return v.IsString() ? std::string(AsView(v)) : JsonText(v); }

// Backstage's DefaultLocationStore filter (applyLocationFilterToQuery) over
// one location: $all/$any (empty: false)/$not, keys id, type, target,
// entityRef (any case), values compared case-insensitively (UPPER = UPPER),
// matchers $exists, $in (exact for id), $hasPrefix; $contains never matches.
Result<bool> MatchLocation(const JsonValue& p, const store::Location& l) {
  if (!p.IsObject()) return BadPredicate("expected an object");
  for (const char* op : {"$all", "$any"}) {
    const JsonValue* list = FindMember(p, op);
    if (!list) continue;
    if (!list->IsArray()) return BadPredicate(std::string(op) + " expects an array");
    if (list->Empty()) return false;
    const bool all = std::string_view(op) == "$all";
    for (const auto& sub : list->GetArray()) {
      Result<bool> r = MatchLocation(sub, l);
      if (!r.ok()) return r;
      if (all && !*r) return false;
      if (!all && *r) return true;
    }
    return all;
  }
  if (const JsonValue* inner = FindMember(p, "$not")) {
    Result<bool> r = MatchLocation(*inner, l);
    if (!r.ok()) return r;
    return !*r;
  }
  std::string keys;
  for (const auto& m : p.GetObject()) keys += (keys.empty() ? "" : ", ") + std::string(AsView(m.name));
  for (const auto& m : p.GetObject()) {
    if (AsView(m.name).starts_with('$')) return BadPredicate("unknown logic operator '" + keys + "'");
  }
  for (const auto& m : p.GetObject()) {
    const std::string key = ToLower(AsView(m.name));
    const std::string* column = key == "id"          ? &l.id
                                : key == "type"      ? &l.type
                                : key == "target"    ? &l.target
                                : key == "entityref" ? &l.entity_ref
                                                     : nullptr;
    if (!column) {
      return BadPredicate("expected key to be 'id', 'type', 'target', or 'entityRef', got '" +
                          std::string(AsView(m.name)) + "'");
    }
    const JsonValue& v = m.value;
    const std::string lower = ToLower(*column);
    if (v.IsString() || v.IsNumber() || v.IsBool()) {
      if (ToLower(Primitive(v)) != lower) return false;
      continue;
    }
    if (!v.IsObject()) {
      if (v.IsNull() || v.IsArray()) return BadPredicate("got unknown matcher object '" + JsonText(v) + "'");
      return BadPredicate("expected value to be a primitive value or a matcher object");
    }
    if (const JsonValue* exists = FindMember(v, "$exists")) {
      // Every column is NOT NULL: {$exists: true} holds, false never does.
      const bool truthy = !(exists->IsFalse() || exists->IsNull() || (exists->IsNumber() && exists->GetDouble() == 0) ||
                            (exists->IsString() && exists->GetStringLength() == 0));
      if (!truthy) return false;
    } else if (const JsonValue* in = FindMember(v, "$in")) {
      if (!in->IsArray()) return BadPredicate("$in expects an array");
      bool hit = false;
      for (const auto& x : in->GetArray()) {
        if (x.IsObject() || x.IsArray() || x.IsNull()) continue;
        hit = hit || (key == "id" ? Primitive(x) == *column : ToLower(Primitive(x)) == lower);
      }
      if (!hit) return false;
    } else if (const JsonValue* prefix = FindMember(v, "$hasPrefix")) {
      if (!prefix->IsString()) return BadPredicate("$hasPrefix expects a string");
      if (!lower.starts_with(ToLower(AsView(*prefix)))) return false;
    } else if (FindMember(v, "$contains")) {
      return false;
    } else {
      return BadPredicate("got unknown matcher object '" + JsonText(v) + "'");
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
  if (!dry_run && config_.readonly) return done(ReadonlyResponse(req));
  // Backstage's allowedLocationTypes here: file (under the allowed roots)
  // and url (admitted by backend.reading.allow).
  const std::string kind(AsView(*type));
  std::string path;  // the stored target
  if (kind == "file") {
    std::error_code ec;
    path = catalog::NodePathNormalize(std::filesystem::absolute(std::string(AsView(*target)), ec).string());
    if (ec) return done(ErrorResponse(req, 403, "file location " + path + " is outside the allowed roots"));
    if (Status st = CheckNewLocation(kind, path); !st.ok()) return done(StatusResponse(req, st));
  } else if (kind == "url") {
    path = AsView(*target);
    if (Status st = CheckNewLocation(kind, path); !st.ok()) return done(StatusResponse(req, st));
  } else {
    return done(ErrorResponse(req, 400, "Registered locations must be of an allowed type [\"url\",\"file\"]"));
  }
  const JsonValue* presence_value = FindMember(body, "presence");
  std::string presence = presence_value ? std::string(AsView(*presence_value)) : std::string();
  writer_->Post([this, dry_run, refresh_on_conflict, kind, path, presence = std::move(presence), method = std::string(req.method),
                 url = std::string(req.target), done = std::move(done)] {
    Request r;
    r.method = method;
    r.target = url;
    Result<std::vector<store::Location>> all = catalog_.ListLocations();
    if (!all.ok()) return done(StatusResponse(r, all.status()));
    const store::Location* existing = nullptr;
    for (const store::Location& l : *all) {
      if (l.type == kind && l.target == path) existing = &l;
    }
    if (dry_run) {
      Result<std::vector<Json>> entities = DryRunLocation({kind, path}, read_roots_, url_options_, config_.rules);
      if (!entities.ok()) return done(StatusResponse(r, entities.status()));
      // {...spec, id: "<type>:<target>", entityRef}: Backstage's key order.
      rapidjson::StringBuffer buf;
      JsonOut w(buf);
      w.StartObject();
      w.Key("exists");
      w.Bool(existing != nullptr);
      w.Key("location");
      w.StartObject();
      w.Key("type");
      w.String(kind);
      w.Key("target");
      w.String(path);
      if (!presence.empty()) {
        w.Key("presence");
        w.String(presence);
      }
      w.Key("id");
      w.String(kind + ":" + path);
      w.Key("entityRef");
      w.String(store::GeneratedLocationRef(kind, path));
      w.EndObject();
      w.Key("entities");
      w.StartArray();
      for (const Json& e : *entities) e.Accept(w);
      w.EndArray();
      w.EndObject();
      return done(JsonResponse(201, buf));
    }
    store::Location location;
    if (existing) {
      if (!refresh_on_conflict || IsConfigLocation(existing->id)) {
        return done(ErrorResponse(r, 409, "Location " + kind + ":" + path + " already exists"));
      }
      location = *existing;
    } else {
      Result<store::Location> added = catalog_.AddLocation(kind, path);
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

// Backstage's parseLocationQuery: a cursor (base64 of {limit, afterId?,
// query?}) replaces limit and query; items are ordered by id, after afterId.
Response Service::PostLocationsByQuery(const Request& req) {
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return std::move(*bad);
  if (!body.IsObject()) return ErrorResponse(req, 400, "Malformed request: the body must be a JSON object");
  for (const auto& m : body.GetObject()) {
    const std::string_view k = AsView(m.name);
    if (k != "limit" && k != "cursor" && k != "query") {
      return ErrorResponse(req, 400, "Malformed request: unknown field '" + std::string(k) + "'");
    }
  }
  std::uint64_t limit = 1000;
  std::optional<std::string> after_id;
  Json cursor;  // owns the query when it came from the cursor
  const JsonValue* query = FindMember(body, "query");
  if (const JsonValue* c = FindMember(body, "cursor")) {
    if (!c->IsString()) return ErrorResponse(req, 400, "Malformed cursor, unknown encoding");
    if (c->GetStringLength() == 0) return ErrorResponse(req, 400, "Cursor cannot be empty");
    std::optional<std::string> text = Base64Decode(AsView(*c));
    if (!text || cursor.Parse(text->data(), text->size()).HasParseError()) {
      return ErrorResponse(req, 400, "Malformed cursor, unknown encoding");
    }
    const JsonValue* l = cursor.IsObject() ? FindMember(cursor, "limit") : nullptr;
    const JsonValue* a = cursor.IsObject() ? FindMember(cursor, "afterId") : nullptr;
    if (!l || !l->IsUint64() || l->GetUint64() < 1 || (a && !a->IsString())) {
      return ErrorResponse(req, 400, "Malformed cursor: expected {limit, afterId?, query?}");
    }
    limit = l->GetUint64();
    if (a) after_id = std::string(AsView(*a));
    query = FindMember(cursor, "query");
  } else if (const JsonValue* l = FindMember(body, "limit")) {
    if (!l->IsUint64() || l->GetUint64() < 1) return ErrorResponse(req, 400, "Limit must be a positive integer >= 1");
    limit = l->GetUint64();
  }
  if (query && !query->IsObject()) return ErrorResponse(req, 400, "Query must be an object");
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
  auto first = matched.begin();
  if (after_id) first = std::upper_bound(matched.begin(), matched.end(), *after_id, [](const std::string& id, auto* l) { return id < l->id; });
  const std::size_t left = static_cast<std::size_t>(matched.end() - first);
  const std::size_t n = std::min<std::uint64_t>(left, limit);
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  w.StartObject();
  w.Key("items");
  w.StartArray();
  for (std::size_t i = 0; i < n; ++i) WriteLocation(w, *first[static_cast<std::ptrdiff_t>(i)]);
  w.EndArray();
  w.Key("totalItems");
  w.Uint64(matched.size());
  w.Key("pageInfo");
  w.StartObject();
  if (left > n) {
    rapidjson::StringBuffer next;
    JsonOut c(next);
    c.StartObject();
    c.Key("limit");
    c.Uint64(limit);
    c.Key("afterId");
    c.String(first[static_cast<std::ptrdiff_t>(n) - 1]->id);
    if (query) {
      c.Key("query");
      query->Accept(c);
    }
    c.EndObject();
    w.Key("nextCursor");
    w.String(Base64Encode(std::string_view(next.GetString(), next.GetSize())));
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
