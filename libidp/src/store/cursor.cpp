#include "store/cursor.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json.h"

namespace idp::store {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Status Malformed(std::string_view why) {
  return Status(Code::kInvalidArgument, "Malformed cursor: " + std::string(why));
}

using W = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteFilter(W& w, const EntityFilter& f) {
  w.StartArray();
  for (const auto& set : f.any_of) {
    w.StartArray();
    for (const auto& c : set) {
      w.StartObject();
      w.Key("key");
      w.String(c.key);
      w.Key("values");
      w.StartArray();
      for (const auto& v : c.values) w.String(v);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndArray();
}

bool ReadStrings(const JsonValue* v, std::vector<std::string>& out) {
  if (v == nullptr || !v->IsArray()) return false;
  for (const auto& x : v->GetArray()) {
    if (!x.IsString()) return false;
    out.emplace_back(AsView(x));
  }
  return true;
}

}  // namespace

std::string Base64Encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < data.size()) {
    unsigned n = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  std::size_t pad = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '=') {
      if (i + 2 < text.size()) return std::nullopt;
      ++pad;
      continue;
    }
    if (pad > 0) return std::nullopt;
    const char* p = std::char_traits<char>::find(kAlphabet, 64, ch);
    if (p == nullptr) return std::nullopt;
    buf = (buf << 6) | static_cast<unsigned>(p - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return out;
}

std::string EncodeCursor(const CursorState& s) {
  rapidjson::StringBuffer buf;
  W w(buf);
  w.StartObject();
  w.Key("filter");
  if (s.filter) WriteFilter(w, *s.filter); else w.Null();
  w.Key("predicate");
  w.String(s.predicate);
  w.Key("order");
  w.StartArray();
  for (const auto& o : s.order) {
    w.StartObject();
    w.Key("field");
    w.String(o.field);
    w.Key("desc");
    w.Bool(o.descending);
    w.EndObject();
  }
  w.EndArray();
  w.Key("missingLast");
  w.Bool(s.missing_order == MissingOrder::kLast);
  w.Key("fullText");
  if (s.full_text) {
    w.StartObject();
    w.Key("term");
    w.String(s.full_text->term);
    w.Key("fields");
    w.StartArray();
    for (const auto& f : s.full_text->fields) w.String(f);
    w.EndArray();
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("totalItems");
  w.Uint64(s.total_items);
  w.Key("isPrevious");
  w.Bool(s.previous);
  w.Key("sortValues");
  w.StartArray();
  for (const auto& v : s.sort_values) {
    if (v) w.String(*v); else w.Null();
  }
  w.EndArray();
  w.Key("uid");
  w.String(s.uid);
  w.EndObject();
  return Base64Encode({buf.GetString(), buf.GetSize()});
}

Result<CursorState> DecodeCursor(std::string_view cursor) {
  auto text = Base64Decode(cursor);
  if (!text) return Malformed("not base64");
  Json doc;
  doc.Parse(text->data(), text->size());
  if (doc.HasParseError() || !doc.IsObject()) return Malformed("not a JSON object");
  CursorState s;
  const JsonValue* filter = FindMember(doc, "filter");
  if (filter == nullptr) return Malformed("missing filter");
  if (!filter->IsNull()) {
    if (!filter->IsArray()) return Malformed("bad filter");
    EntityFilter f;
    for (const auto& set : filter->GetArray()) {
      if (!set.IsArray()) return Malformed("bad filter");
      FilterSet fs;
      for (const auto& c : set.GetArray()) {
        const JsonValue* key = FindMember(c, "key");
        FilterCondition cond;
        if (key == nullptr || !key->IsString() || !ReadStrings(FindMember(c, "values"), cond.values)) {
          return Malformed("bad filter");
        }
        cond.key = std::string(AsView(*key));
        fs.push_back(std::move(cond));
      }
      f.any_of.push_back(std::move(fs));
    }
    s.filter = std::move(f);
  }
  const JsonValue* predicate = FindMember(doc, "predicate");
  if (predicate == nullptr || !predicate->IsString()) return Malformed("bad predicate");
  s.predicate = std::string(AsView(*predicate));
  const JsonValue* order = FindMember(doc, "order");
  if (order == nullptr || !order->IsArray()) return Malformed("bad order");
  for (const auto& o : order->GetArray()) {
    const JsonValue* field = FindMember(o, "field");
    const JsonValue* desc = FindMember(o, "desc");
    if (field == nullptr || !field->IsString() || desc == nullptr || !desc->IsBool()) return Malformed("bad order");
    s.order.push_back({std::string(AsView(*field)), desc->GetBool()});
  }
  const JsonValue* missing = FindMember(doc, "missingLast");
  if (missing == nullptr || !missing->IsBool()) return Malformed("bad missingLast");
  s.missing_order = missing->GetBool() ? MissingOrder::kLast : MissingOrder::kExclude;
  const JsonValue* ft = FindMember(doc, "fullText");
  if (ft == nullptr) return Malformed("missing fullText");
  if (!ft->IsNull()) {
    const JsonValue* term = FindMember(*ft, "term");
    FullTextFilter f;
    if (term == nullptr || !term->IsString() || !ReadStrings(FindMember(*ft, "fields"), f.fields)) {
      return Malformed("bad fullText");
    }
    f.term = std::string(AsView(*term));
    s.full_text = std::move(f);
  }
  const JsonValue* total = FindMember(doc, "totalItems");
  if (total == nullptr || !total->IsUint64()) return Malformed("bad totalItems");
  s.total_items = total->GetUint64();
  const JsonValue* prev = FindMember(doc, "isPrevious");
  if (prev == nullptr || !prev->IsBool()) return Malformed("bad isPrevious");
  s.previous = prev->GetBool();
  const JsonValue* values = FindMember(doc, "sortValues");
  if (values == nullptr || !values->IsArray()) return Malformed("bad sortValues");
  for (const auto& v : values->GetArray()) {
    if (v.IsNull()) {
      s.sort_values.emplace_back();
    } else if (v.IsString()) {
      s.sort_values.emplace_back(std::string(AsView(v)));
    } else {
      return Malformed("bad sortValues");
    }
  }
  const JsonValue* uid = FindMember(doc, "uid");
  if (uid == nullptr || !uid->IsString()) return Malformed("bad uid");
  s.uid = std::string(AsView(*uid));
  const std::size_t keys = s.order.empty() ? 1 : s.order.size();
  if (s.sort_values.size() != keys) return Malformed("sort values do not match the order");
  return s;
}

}  // namespace idp::store
