#include "validate/validator.h"

#include <utility>

#include "validate/backstage_errors.h"
#include "validate/document_pipeline.h"
#include "validate/file_reader.h"

namespace idp::catalog {
namespace {

// Byte offset of the first line after line `after` (1-based) that starts a
// new YAML document (`---` at column 1), or npos. A marker at the start of a
// line ends any scalar, so this finds document boundaries without parsing.
std::size_t NextDocumentMarker(std::string_view text, std::uint32_t after) {
  std::size_t pos = 0;
  std::uint32_t line = 1;
  while (pos < text.size()) {
    if (line > after && text.compare(pos, 3, "---") == 0 &&
        (pos + 3 == text.size() || text[pos + 3] == ' ' || text[pos + 3] == '\t' ||
         text[pos + 3] == '\n' || text[pos + 3] == '\r')) {
      return pos;
    }
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
    ++line;
  }
  return std::string_view::npos;
}

std::uint32_t LinesBefore(std::string_view text, std::size_t offset) {
  std::uint32_t lines = 0;
  for (std::size_t i = 0; i < offset; ++i) lines += text[i] == '\n';
  return lines;
}

Mark Shifted(Mark m, std::uint32_t lines) {
  if (m.known()) m.line += lines;
  return m;
}

// Parsing stopped at the document after the delivered ones (ParseStream
// delivers nothing from the abort on). Backstage's parser fails the whole
// file there, but its documents still exist: like the oracle, list every
// later one as unreadable (empty ones as ignored), found by parsing the text
// after each abort on its own.
void AddUnreadableRest(const yaml::Stream& first, const FileContext& context,
                       const yaml::Limits& limits, FileVerdict& out) {
  const std::string reason = first.abort_reason;
  out.documents.push_back(
      UnreadableDocument(nullptr, out.documents.size(), {}, context, reason, first.abort_mark));
  std::string_view rest = context.text;
  std::uint32_t line_offset = 0;
  Mark abort_mark = first.abort_mark;
  while (abort_mark.known()) {
    const std::size_t next = NextDocumentMarker(rest, abort_mark.line);
    if (next == std::string_view::npos) break;
    line_offset += LinesBefore(rest, next);
    rest = rest.substr(next);
    const yaml::Stream stream = yaml::ParseStream(rest, limits);
    for (const yaml::Document& doc : stream.documents) {
      const Mark start = Shifted(doc.start, line_offset);
      if (doc.status == yaml::DocStatus::kEmpty) {
        DocumentVerdict ignored;
        ignored.index = out.documents.size();
        ignored.start = start;
        ignored.stage = Stage::kIgnored;
        out.documents.push_back(std::move(ignored));
        continue;
      }
      const JsonValue* raw = doc.status == yaml::DocStatus::kOk ? &doc.json : nullptr;
      out.documents.push_back(
          UnreadableDocument(raw, out.documents.size(), start, context, reason, Mark{}));
    }
    if (!stream.aborted) break;
    out.documents.push_back(
        UnreadableDocument(nullptr, out.documents.size(), {}, context, reason, Mark{}));
    abort_mark = stream.abort_mark;
  }
}

}  // namespace

FileVerdict ValidateText(std::string_view file_label, std::string_view text,
                         const ValidateOptions& options, const std::filesystem::path& file_path) {
  FileVerdict out;
  out.file = std::string(file_label);
  FileContext context;
  context.text = text;
  context.keep_entity = options.keep_entity;
  context.location = MakeLocationLabel(options.location_type, file_label);
  context.placeholders.base = context.location.target;
  context.placeholders.file_path = file_path;
  context.placeholders.root = options.placeholder_root;
  context.placeholders.limits = &options.yaml_limits;

  yaml::Stream stream = yaml::ParseStream(text, options.yaml_limits);
  out.documents.reserve(stream.documents.size() + (stream.aborted ? 1 : 0));
  for (const yaml::Document& doc : stream.documents) {
    out.documents.push_back(ValidateDocument(doc, context));
  }
  if (stream.aborted) AddUnreadableRest(stream, context, options.yaml_limits, out);
  for (const DocumentVerdict& doc : out.documents) {
    if (doc.file_fatal) out.file_ok = false;
  }
  return out;
}

FileVerdict ValidateFile(const std::string& file_label, const std::filesystem::path& path,
                         const ValidateOptions& options) {
  const LocationLabel location = MakeLocationLabel(options.location_type, file_label);
  Result<std::string> text =
      ReadFileCapped(path, location.target, options.yaml_limits.max_file_bytes);
  if (text.ok()) return ValidateText(file_label, text.value(), options, path);

  FileVerdict out;
  out.file = file_label;
  out.file_ok = false;
  DocumentVerdict doc;
  doc.stage = Stage::kIo;
  doc.file_fatal = true;
  doc.error = IoErrorText(text.status().message());
  doc.errors.push_back(
      {"", "cannot read " + file_label + ": " + text.status().message(), Mark{}, Stage::kIo});
  out.documents.push_back(std::move(doc));
  return out;
}

}  // namespace idp::catalog
