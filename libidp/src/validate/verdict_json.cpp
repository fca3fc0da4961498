// DocumentVerdictJson: the oracle's JSON line, written the way
// JSON.stringify would write it (numbers in JavaScript's format, Infinity
// and NaN as null).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "core/json_writer.h"
#include "validate/validator.h"

namespace idp::catalog {
namespace {

// The verdict line's writer: JSON.stringify's output, plus two shorthands.
class JsWriter : public JsJsonWriter<rapidjson::Writer<rapidjson::StringBuffer>> {
 public:
  using JsJsonWriter::JsJsonWriter;
  void OptionalString(const std::optional<std::string>& s) {
    if (s) {
      String(*s);
    } else {
      Null();
    }
  }
  void Line(std::uint32_t line) {
    if (line != 0) {
      Uint(line);
    } else {
      Null();
    }
  }
};

}  // namespace

std::string DocumentVerdictJson(const FileVerdict& file, const DocumentVerdict& doc,
                                bool include_entity) {
  // A verdict line is a few KiB: start there instead of growing from 256 bytes.
  rapidjson::StringBuffer buffer(nullptr, 8192);
  JsWriter w(buffer);
  w.StartObject();
  w.PlainKey("file");
  w.String(file.file);
  w.PlainKey("index");
  if (doc.stage == Stage::kIo) {
    w.Null();  // the oracle has no document index for unreadable files
  } else {
    w.Uint64(doc.index);
  }
  w.PlainKey("line");
  w.Line(doc.start.line);
  w.PlainKey("kind");
  w.OptionalString(doc.kind);
  w.PlainKey("name");
  w.OptionalString(doc.name);
  w.PlainKey("ref");
  w.OptionalString(doc.ref);
  w.PlainKey("valid");
  w.Bool(doc.valid);
  w.PlainKey("fileOk");
  w.Bool(file.file_ok);
  w.PlainKey("fileFatal");
  w.Bool(doc.file_fatal);
  w.PlainKey("stage");
  if (doc.valid || doc.stage == Stage::kNone) {
    w.Null();
  } else {
    w.String(StageName(doc.stage));
  }
  w.PlainKey("error");
  w.OptionalString(doc.error);
  w.PlainKey("errors");
  w.StartArray();
  for (const Diagnostic& d : doc.errors) {
    w.StartObject();
    w.PlainKey("path");
    w.String(d.path);
    w.PlainKey("message");
    w.String(d.message);
    w.PlainKey("line");
    w.Line(d.mark.line);
    w.PlainKey("column");
    w.Line(d.mark.column);
    w.EndObject();
  }
  w.EndArray();
  w.PlainKey("relations");
  w.StartArray();
  if (doc.valid) {
    for (const Relation& r : doc.relations) {
      w.StartObject();
      w.PlainKey("source");
      w.String(r.source);
      w.PlainKey("type");
      w.String(r.type);
      w.PlainKey("target");
      w.String(r.target);
      w.EndObject();
    }
  }
  w.EndArray();
  if (include_entity) {
    w.PlainKey("entity");
    if (doc.valid && !doc.entity.IsNull()) {
      doc.entity.Accept(w);
    } else {
      w.Null();
    }
  }
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace idp::catalog
