#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "catalog/orchestrator.h"
#include "core/sha1.h"

namespace idp::catalog {

std::string ResultHash(const ProcessedEntity& p) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  const auto str = [&](const std::string& s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartArray();
  w.Bool(p.ok);
  if (p.ok && p.entity.IsObject()) {
    p.entity.Accept(w);
  } else {
    w.Null();
  }
  w.StartArray();
  for (const model::Relation& r : p.relations) {
    str(r.source), str(r.type), str(r.target);
  }
  w.EndArray();
  w.StartArray();
  for (const std::string& c : p.children) str(c);
  w.EndArray();
  w.StartArray();
  for (const ProcessingError& e : p.errors) {
    str(e.name), str(e.message);
  }
  w.EndArray();
  w.EndArray();
  return Sha1Hex({buffer.GetString(), buffer.GetSize()});
}

}  // namespace idp::catalog
