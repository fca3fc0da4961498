// /entities, /entities/by-query, /entities/by-refs, /entities/by-uid,
// /entities/by-name (+ /ancestry): spec/catalog.md §10.2-§10.9.
#include <cctype>
#include <charconv>
#include <set>

#include "http/errors.h"
#include "http/json_io.h"
#include "http/service.h"

namespace idp::http {
namespace {

constexpr std::size_t kAllEntitiesPage = 10000;  // Backstage streams batches of 10 000 too

// A non-negative integer parameter; `what` names it in the 400.
std::optional<std::size_t> ParseCount(std::string_view text) {
  std::size_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// `filter` parameters -> one EntityFilter (sets OR-ed); nullopt when none.
Result<std::optional<store::EntityFilter>> Filters(const QueryParams& q) {
  const std::vector<std::string_view> params = q.All("filter");
  if (params.empty()) return std::optional<store::EntityFilter>();
  store::EntityFilter f;
  for (std::string_view p : params) {
    Result<store::FilterSet> set = store::ParseFilterParam(p);
    if (!set.ok()) return set.status();
    f.any_of.push_back(std::move(set).value());
  }
  return std::optional<store::EntityFilter>(std::move(f));
}

std::vector<std::string> Fields(const QueryParams& q) {
  std::vector<std::string> out;
  for (std::string_view p : q.All("fields")) SplitCommaList(p, out);
  return out;
}

void WriteItems(JsonOut& w, const std::vector<Json>& items) {
  w.StartArray();
  for (const Json& e : items) e.Accept(w);
  w.EndArray();
}

// {items, totalItems, pageInfo}: §10.4's response.
Response PageResponse(const store::QueryResult& r) {
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  w.StartObject();
  w.Key("items");
  WriteItems(w, r.items);
  w.Key("totalItems");
  w.Uint64(r.total_items);
  w.Key("pageInfo");
  w.StartObject();
  if (!r.next_cursor.empty()) {
    w.Key("nextCursor");
    w.String(r.next_cursor);
  }
  if (!r.prev_cursor.empty()) {
    w.Key("prevCursor");
    w.String(r.prev_cursor);
  }
  w.EndObject();
  w.EndObject();
  return JsonResponse(200, buf);
}

std::string PredicateText(const JsonValue* query) {
  return query && !query->IsNull() ? ToJsonString(*query) : std::string();
}

// Appends `name=value` percent-encoded (link headers).
void AppendParam(std::string& out, std::string_view name, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (!out.empty()) out += '&';
  auto enc = [&](std::string_view s) {
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':' || c == ',') {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
  };
  enc(name);
  out += '=';
  enc(value);
}

}  // namespace

Response Service::GetEntities(const Request& req, const QueryParams& q) {
  if (auto unknown = q.Unknown({"filter", "fields", "order", "limit", "offset", "after"})) {
    return ErrorResponse(req, 400, "Unknown query parameter '" + *unknown + "'");
  }
  store::QueryRequest r;
  Result<std::optional<store::EntityFilter>> filter = Filters(q);
  if (!filter.ok()) return StatusResponse(req, filter.status());
  r.filter = std::move(filter).value();
  r.fields = Fields(q);
  for (std::string_view o : q.All("order")) {
    store::OrderField f;
    if (o.starts_with("asc:") && o.size() > 4) f.field = o.substr(4);
    else if (o.starts_with("desc:") && o.size() > 5) f.field = o.substr(5), f.descending = true;
    else return ErrorResponse(req, 400, "Invalid order parameter '" + std::string(o) + "', expected asc:<field> or desc:<field>");
    r.order.push_back(std::move(f));
  }
  const std::string* limit = q.First("limit");
  const std::string* offset = q.First("offset");
  const std::string* after = q.First("after");
  const bool paged = limit || offset || after;
  if (limit) {
    auto v = ParseCount(*limit);
    if (!v || *v == 0) return ErrorResponse(req, 400, "Invalid limit '" + *limit + "', expected an integer above 0");
    r.limit = *v;
  }
  if (offset) {
    auto v = ParseCount(*offset);
    if (!v) return ErrorResponse(req, 400, "Invalid offset '" + *offset + "', expected an integer of 0 or more");
    r.offset = *v;
  }
  if (after) {
    // Backstage: base64 of {"limit":n,"offset":m}.
    std::optional<std::string> text = Base64Decode(*after);
    Json a;
    if (text) a.Parse(text->c_str());
    if (after->empty() || !text || a.HasParseError() || !a.IsObject()) {
      return ErrorResponse(req, 400, "Malformed after cursor '" + *after + "'");
    }
    if (const JsonValue* l = FindMember(a, "limit"); l && l->IsUint64() && l->GetUint64() > 0) r.limit = l->GetUint64();
    if (const JsonValue* o = FindMember(a, "offset"); o && o->IsUint64()) r.offset = o->GetUint64();
  }
  r.missing_order = paged ? store::MissingOrder::kLast : store::MissingOrder::kExclude;
  r.include_total = paged;
  if (!paged) {
    // Everything, read in pages through the store's cursor (as Backstage
    // streams it in batches): one page of parsed entities in memory at a time.
    rapidjson::StringBuffer buf;
    JsonOut w(buf);
    w.StartArray();
    r.limit = kAllEntitiesPage;
    for (;;) {
      Result<store::QueryResult> page = catalog_.Query(r);
      if (!page.ok()) return StatusResponse(req, page.status());
      for (const Json& e : page->items) e.Accept(w);
      if (page->next_cursor.empty()) break;
      r.cursor = std::move(page->next_cursor);
    }
    w.EndArray();
    return JsonResponse(200, buf);
  }
  Result<store::QueryResult> result = catalog_.Query(r);
  if (!result.ok()) return StatusResponse(req, result.status());
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  WriteItems(w, result->items);
  Response resp = JsonResponse(200, buf);
  if (paged && r.limit && r.offset + result->items.size() < result->total_items) {
    // Same query, offset dropped, `after` pointing past this page.
    std::string link;
    for (std::string_view name : {"filter", "fields", "order", "limit"}) {
      for (std::string_view v : q.All(name)) AppendParam(link, name, v);
    }
    const std::string next = "{\"limit\":" + std::to_string(*r.limit) +
                             ",\"offset\":" + std::to_string(r.offset + *r.limit) + "}";
    AppendParam(link, "after", Base64Encode(next));
    resp.headers.emplace_back("link", "</entities?" + link + ">; rel=\"next\"");
  }
  return resp;
}

Response Service::GetEntitiesByQuery(const Request& req, const QueryParams& q) {
  if (auto unknown = q.Unknown({"filter", "fields", "limit", "offset", "orderField", "cursor", "totalItems",
                                "fullTextFilterTerm", "fullTextFilterFields"})) {
    return ErrorResponse(req, 400, "Unknown query parameter '" + *unknown + "'");
  }
  store::QueryRequest r;
  r.limit = 200;  // the code's default (the OpenAPI text says 20)
  r.fields = Fields(q);
  if (const std::string* limit = q.First("limit")) {
    auto v = ParseCount(*limit);
    if (!v) return ErrorResponse(req, 400, "Invalid limit '" + *limit + "', expected an integer of 0 or more");
    r.limit = *v;
  }
  if (const std::string* total = q.First("totalItems")) {
    if (*total != "include" && *total != "exclude") {
      return ErrorResponse(req, 400, "Invalid totalItems '" + *total + "', expected include or exclude");
    }
    r.include_total = *total == "include";
  }
  if (const std::string* cursor = q.First("cursor")) {
    if (cursor->empty()) return ErrorResponse(req, 400, "Malformed cursor: empty");
    r.cursor = *cursor;
  } else {
    Result<std::optional<store::EntityFilter>> filter = Filters(q);
    if (!filter.ok()) return StatusResponse(req, filter.status());
    r.filter = std::move(filter).value();
    if (const std::string* offset = q.First("offset")) {
      auto v = ParseCount(*offset);
      if (!v) return ErrorResponse(req, 400, "Invalid offset '" + *offset + "', expected an integer of 0 or more");
      r.offset = *v;
    }
    for (std::string_view o : q.All("orderField")) {
      const std::size_t comma = o.rfind(',');
      store::OrderField f;
      f.field = o.substr(0, comma);
      const std::string_view dir = comma == std::string_view::npos ? "asc" : o.substr(comma + 1);
      if (f.field.empty() || (dir != "asc" && dir != "desc")) {
        return ErrorResponse(req, 400, "Invalid orderField '" + std::string(o) + "', expected <field>,asc or <field>,desc");
      }
      f.descending = dir == "desc";
      r.order.push_back(std::move(f));
    }
    if (const std::string* term = q.First("fullTextFilterTerm")) {
      store::FullTextFilter t;
      t.term = *term;
      for (std::string_view f : q.All("fullTextFilterFields")) SplitCommaList(f, t.fields);
      r.full_text = std::move(t);
    }
  }
  Result<store::QueryResult> result = catalog_.Query(r);
  if (!result.ok()) return StatusResponse(req, result.status());
  return PageResponse(*result);
}

Response Service::PostEntitiesByQuery(const Request& req, const QueryParams& q) {
  if (auto unknown = q.Unknown({})) return ErrorResponse(req, 400, "Unknown query parameter '" + *unknown + "'");
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return std::move(*bad);
  if (!body.IsObject()) return ErrorResponse(req, 400, "Malformed request: the body must be a JSON object");
  store::QueryRequest r;
  r.limit = 200;
  for (const auto& m : body.GetObject()) {
    const std::string_view key = AsView(m.name);
    const JsonValue& v = m.value;
    if (key == "query") {
      if (!v.IsObject()) return ErrorResponse(req, 400, "Malformed request: query must be an object");
      r.predicate = PredicateText(&v);
    } else if (key == "limit") {
      if (!v.IsUint64()) return ErrorResponse(req, 400, "Malformed request: limit must be an integer of 0 or more");
      r.limit = v.GetUint64();
    } else if (key == "offset") {
      if (!v.IsUint64()) return ErrorResponse(req, 400, "Malformed request: offset must be an integer of 0 or more");
      r.offset = v.GetUint64();
    } else if (key == "orderBy") {
      if (!v.IsArray()) return ErrorResponse(req, 400, "Malformed request: orderBy must be an array");
      for (const auto& o : v.GetArray()) {
        const JsonValue* field = o.IsObject() ? FindMember(o, "field") : nullptr;
        const JsonValue* order = o.IsObject() ? FindMember(o, "order") : nullptr;
        if (!field || !field->IsString() || (order && (!order->IsString() || (AsView(*order) != "asc" && AsView(*order) != "desc")))) {
          return ErrorResponse(req, 400, "Malformed request: orderBy items are {field, order: asc|desc}");
        }
        r.order.push_back({std::string(AsView(*field)), order && AsView(*order) == "desc"});
      }
    } else if (key == "fullTextFilter") {
      if (!v.IsObject()) return ErrorResponse(req, 400, "Malformed request: fullTextFilter must be an object");
      store::FullTextFilter t;
      if (const JsonValue* term = FindMember(v, "term")) {
        if (!term->IsString()) return ErrorResponse(req, 400, "Malformed request: fullTextFilter.term must be a string");
        t.term = AsView(*term);
      }
      if (const JsonValue* fields = FindMember(v, "fields")) {
        if (!fields->IsArray()) return ErrorResponse(req, 400, "Malformed request: fullTextFilter.fields must be an array");
        for (const auto& f : fields->GetArray()) {
          if (!f.IsString()) return ErrorResponse(req, 400, "Malformed request: fullTextFilter.fields must hold strings");
          t.fields.emplace_back(AsView(f));
        }
      }
      if (!t.term.empty()) r.full_text = std::move(t);
    } else if (key == "fields") {
      if (!v.IsArray()) return ErrorResponse(req, 400, "Malformed request: fields must be an array");
      for (const auto& f : v.GetArray()) {
        if (!f.IsString()) return ErrorResponse(req, 400, "Malformed request: fields must hold strings");
        SplitCommaList(AsView(f), r.fields);
      }
    } else if (key == "totalItems") {
      if (!v.IsString() || (AsView(v) != "include" && AsView(v) != "exclude")) {
        return ErrorResponse(req, 400, "Malformed request: totalItems must be include or exclude");
      }
      r.include_total = AsView(v) == "include";
    } else if (key == "cursor") {
      if (!v.IsString() || v.GetStringLength() == 0) return ErrorResponse(req, 400, "Malformed cursor: empty");
      r.cursor = AsView(v);
    } else {
      return ErrorResponse(req, 400, "Malformed request: unknown field '" + std::string(key) + "'");
    }
  }
  Result<store::QueryResult> result = catalog_.Query(r);
  if (!result.ok()) return StatusResponse(req, result.status());
  return PageResponse(*result);
}

Response Service::PostEntitiesByRefs(const Request& req, const QueryParams& q) {
  if (auto unknown = q.Unknown({"filter", "fields"})) {
    return ErrorResponse(req, 400, "Unknown query parameter '" + *unknown + "'");
  }
  Json body;
  if (auto bad = ParseJsonBody(req, body)) return std::move(*bad);
  const JsonValue* refs = body.IsObject() ? FindMember(body, "entityRefs") : nullptr;
  if (!refs || !refs->IsArray()) return ErrorResponse(req, 400, "Malformed request: entityRefs must be an array of strings");
  for (const auto& r : refs->GetArray()) {
    if (!r.IsString()) return ErrorResponse(req, 400, "Malformed request: entityRefs must be an array of strings");
  }
  std::vector<std::string> fields = Fields(q);
  if (const JsonValue* f = FindMember(body, "fields")) {
    if (!f->IsArray()) return ErrorResponse(req, 400, "Malformed request: fields must be an array");
    for (const auto& x : f->GetArray()) {
      if (!x.IsString()) return ErrorResponse(req, 400, "Malformed request: fields must hold strings");
      SplitCommaList(AsView(x), fields);
    }
  }
  const JsonValue* query = FindMember(body, "query");
  if (query && !query->IsObject()) return ErrorResponse(req, 400, "Malformed request: query must be an object");
  Result<std::optional<store::EntityFilter>> filter = Filters(q);
  if (!filter.ok()) return StatusResponse(req, filter.status());

  // Exact canonical (lower-case, full) refs only, as Backstage matches them.
  std::vector<std::optional<Json>> found(refs->Size());
  std::vector<std::string> uids;
  for (rapidjson::SizeType i = 0; i < refs->Size(); ++i) {
    const std::string_view ref = AsView((*refs)[i]);
    if (ref.find(':') == std::string_view::npos || ref.find('/') == std::string_view::npos || ToLower(ref) != ref) continue;
    Result<std::optional<Json>> e = catalog_.GetByRef(ref);
    if (!e.ok()) return StatusResponse(req, e.status());
    if (!e->has_value()) continue;
    if (const JsonValue* md = FindMember(**e, "metadata")) {
      if (const JsonValue* uid = FindMember(*md, "uid"); uid && uid->IsString()) uids.emplace_back(AsView(*uid));
    }
    found[i] = std::move(*e);
  }
  // filter/query: one query restricted to the found uids says which stay.
  std::set<std::string, std::less<>> allowed;
  const bool restrict = filter->has_value() || (query && query->MemberCount() > 0);
  if (restrict && !uids.empty()) {
    Json pred(rapidjson::kObjectType);
    auto& a = pred.GetAllocator();
    JsonValue in(rapidjson::kArrayType);
    for (const std::string& u : uids) in.PushBack(MakeString(u, a), a);
    JsonValue cond(rapidjson::kObjectType);
    cond.AddMember("$in", in, a);
    JsonValue uid_pred(rapidjson::kObjectType);
    uid_pred.AddMember("metadata.uid", cond, a);
    JsonValue all(rapidjson::kArrayType);
    all.PushBack(uid_pred, a);
    if (query) all.PushBack(JsonValue(*query, a), a);
    pred.AddMember("$all", all, a);
    store::QueryRequest r;
    r.filter = std::move(filter).value();
    r.predicate = ToJsonString(pred);
    r.fields = {"metadata.uid"};
    r.include_total = false;
    Result<store::QueryResult> res = catalog_.Query(r);
    if (!res.ok()) return StatusResponse(req, res.status());
    for (const Json& e : res->items) {
      const JsonValue* md = FindMember(e, "metadata");
      const JsonValue* uid = md ? FindMember(*md, "uid") : nullptr;
      if (uid && uid->IsString()) allowed.emplace(AsView(*uid));
    }
  }
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  w.StartObject();
  w.Key("items");
  w.StartArray();
  for (std::optional<Json>& e : found) {
    if (!e) {
      w.Null();
      continue;
    }
    if (restrict) {
      const JsonValue* md = FindMember(*e, "metadata");
      const JsonValue* uid = md ? FindMember(*md, "uid") : nullptr;
      if (!uid || !uid->IsString() || !allowed.contains(AsView(*uid))) {
        w.Null();
        continue;
      }
    }
    if (fields.empty()) {
      e->Accept(w);
    } else {
      Result<Json> p = store::ProjectFields(*e, fields);
      if (!p.ok()) return StatusResponse(req, p.status());
      p->Accept(w);
    }
  }
  w.EndArray();
  w.EndObject();
  return JsonResponse(200, buf);
}

Response Service::GetEntityByUid(const Request& req, const std::string& uid) {
  std::string key = "uid:" + uid;
  Result<EntityCache::Body> body = EntityBody(key, true, uid);
  if (!body.ok()) return StatusResponse(req, body.status());
  if (!*body) return ErrorResponse(req, 404, "No entity with uid " + uid);
  Response r;
  r.body = **body;
  return r;
}

void Service::DeleteEntityByUid(const Request& req, const std::string& uid, Responder done) {
  writer_->Post([this, uid, method = std::string(req.method), target = std::string(req.target),
                 done = std::move(done)] {
    Result<std::vector<std::string>> deleted = catalog_.DeleteByUid(uid);
    cache_.Invalidate();
    if (!deleted.ok()) {
      Request r;
      r.method = method;
      r.target = target;
      done(StatusResponse(r, deleted.status()));
      return;
    }
    Response resp;
    resp.status = 204;
    done(std::move(resp));
  });
}

Response Service::GetEntityByName(const Request& req, const Segments& seg) {
  const std::string& kind = seg[2];
  const std::string& ns = seg[3];
  const std::string& name = seg[4];
  std::string ref = ToLower(kind);
  ref += ':';
  ref += ToLower(ns);
  ref += '/';
  ref += ToLower(name);
  Result<EntityCache::Body> body = EntityBody(ref, false, ref);
  if (!body.ok()) return StatusResponse(req, body.status());
  if (!*body) {
    return ErrorResponse(req, 404, "No entity named '" + name + "' found, with kind '" + kind + "' in namespace '" + ns + "'");
  }
  Response r;
  r.body = **body;
  return r;
}

Response Service::GetAncestry(const Request& req, const Segments& seg) {
  const std::string ref = ToLower(seg[2]) + ":" + ToLower(seg[3]) + "/" + ToLower(seg[4]);
  Result<store::Ancestry> a = catalog_.GetAncestry(ref);
  if (!a.ok()) {
    if (a.status().code() == Code::kNotFound) return ErrorResponse(req, 404, "No such entity " + ref);
    return StatusResponse(req, a.status());
  }
  rapidjson::StringBuffer buf;
  JsonOut w(buf);
  w.StartObject();
  w.Key("rootEntityRef");
  w.String(a->root_ref);
  w.Key("items");
  w.StartArray();
  for (const store::AncestryItem& item : a->items) {
    w.StartObject();
    w.Key("entity");
    item.entity.Accept(w);
    w.Key("parentEntityRefs");
    w.StartArray();
    for (const std::string& p : item.parent_refs) w.String(p);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return JsonResponse(200, buf);
}

}  // namespace idp::http
