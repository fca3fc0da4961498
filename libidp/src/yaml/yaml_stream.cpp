// The stream driver: libyaml events -> DocumentBuilder per document, plus
// recovery after syntax errors.
//
// Recovery. libyaml stops at its first error; yaml 2.x reports errors per
// document and keeps going. After an error we mark the current document
// kError and restart a fresh libyaml parser at the next line that starts with
// a `---` marker (the error line itself if it is one, as when an unclosed flow
// collection runs into the next document). Known differences from yaml 2.x:
//  * an unterminated quoted scalar: yaml swallows the rest of the file into
//    that one document; so do we (no resync after a quoted-scalar error);
//  * yaml may split one broken region into several documents (e.g. around a
//    `...` marker) where we report one kError document up to the next `---`;
//  * directives (%TAG) before the error do not carry over to the resumed part;
//  * a stray `...` before any content: yaml makes an empty document of it,
//    libyaml reports a syntax error; a repeated `...` after a document gives
//    yaml an extra empty document, libyaml none;
//  * libyaml (YAML 1.1) refuses C0 control characters and DEL outside of
//    escapes and treats NEL/LS/PS as line breaks; yaml 2.x accepts/keeps them;
//  * invalid UTF-8 is an error here (Node would decode it to U+FFFD).
#include "yaml/yaml_stream.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "yaml/document_builder.h"
#include "yaml/fast_scanner.h"
#include "yaml/input_check.h"
#include "yaml/libyaml_parser.h"
#include "yaml/text_index.h"

namespace idp::yaml {
namespace {

std::string Located(Mark m, std::string_view what) {
  std::string out = "line ";
  out += std::to_string(m.line);
  out += ", column ";
  out += std::to_string(m.column);
  out += ": ";
  out += what;
  return out;
}

class StreamParser {
 public:
  StreamParser(std::string_view text, const Limits& limits)
      : text_(text), limits_(limits), builder_(limits) {}

  Stream Run(Scanner scanner) {
    std::size_t line = 0;
    // The whole text in FastScanner's subset: its events, no libyaml. It never
    // sees a document over the size limit, so that check cannot differ.
    if (scanner == Scanner::kAuto && text_.size() <= limits_.max_document_bytes) {
      bad_ = FindBadInput(text_, 0);
      bad_checked_from_ = 0;
      FastScanner fast;
      if (bad_.offset == std::string_view::npos && fast.Scan(text_, limits_.max_depth)) {
        const std::optional<std::size_t> resume = ParseFrom(0, &fast.events());
        if (!resume || out_.aborted) return Finish();
        line = *resume;
      }
    }
    while (line < index().line_count()) {
      const std::optional<std::size_t> resume = ParseFrom(line, nullptr);
      if (!resume || out_.aborted) break;
      line = *resume;
    }
    return Finish();
  }

 private:
  Stream Finish() {
    // Root marks are keyed by &doc.json, final only now.
    for (Document& d : out_.documents) {
      if (d.status == DocStatus::kOk) d.marks.Set(&d.json, d.start);
    }
    return std::move(out_);
  }

  // The line table, built on first use: FastScanner's texts parse without it.
  const TextIndex& index() {
    if (!index_) index_.emplace(text_);
    return *index_;
  }

  Mark ToMark(const yaml_mark_t& m, std::size_t line_base) const {
    return {static_cast<std::uint32_t>(line_base + m.line + 1),
            static_cast<std::uint32_t>(m.column + 1)};
  }

  void PushError(Mark start, std::string message, Mark at) {
    Document d;
    d.index = out_.documents.size();
    d.start = start.known() ? start : at;
    d.status = DocStatus::kError;
    d.error = Located(at, message);
    d.error_mark = at;
    out_.documents.push_back(std::move(d));
  }

  void Abort(std::string reason, Mark at) {
    out_.aborted = true;
    out_.abort_reason = Located(at, reason);
    out_.abort_mark = at;
  }

  // Parses from a line start to the end of the text or the first error.
  // Returns the line to resume at after an error, nullopt when done.
  // fast_events: the whole text's events from FastScanner (first_line 0);
  // null: libyaml parses.
  std::optional<std::size_t> ParseFrom(std::size_t first_line,
                                       const std::vector<yaml_event_t>* fast_events) {
    const std::size_t base = first_line == 0 ? 0 : index().LineStart(first_line);
    // Input libyaml's reader would refuse: parse only the documents before
    // the one holding it (libyaml reports it up to 16 KiB early).
    if (bad_.offset == std::string_view::npos ? bad_checked_from_ > base : bad_.offset < base) {
      bad_ = FindBadInput(text_, base);
      bad_checked_from_ = base;
    }
    std::size_t end = text_.size();
    std::size_t bad_line = 0;
    std::size_t bad_doc_line = 0;
    const bool has_bad = bad_.offset != std::string_view::npos;
    if (has_bad) {
      bad_line = index().LineOf(bad_.offset);
      bad_doc_line = index().LastDocumentMarker(first_line, bad_line);
      end = index().LineStart(bad_doc_line);
    }
    auto bad_document = [&]() -> std::optional<std::size_t> {
      PushError({static_cast<std::uint32_t>(bad_doc_line + 1), 1}, bad_.what,
                index().MarkOf(bad_.offset));
      const std::size_t next = index().NextDocumentMarker(bad_line + 1);
      if (next >= index().line_count()) return std::nullopt;
      return next;
    };
    if (has_bad && end <= base) return bad_document();
    std::optional<EventParser> libyaml;
    if (!fast_events) libyaml.emplace(text_.substr(base, end - base));
    Event event;
    std::size_t fast_next = 0;
    auto next_event = [&]() -> const yaml_event_t* {
      if (fast_events) return fast_next < fast_events->size() ? &(*fast_events)[fast_next++] : nullptr;
      return libyaml->Next(event) ? &event.get() : nullptr;
    };
    DocumentBuilder* doc = nullptr;  // the open document, if any
    bool last_end_implicit = false;  // the previous document in this chunk ended without `...`
    Mark doc_start;
    std::size_t doc_start_index = 0;
    std::size_t doc_start_line = 0;

    while (const yaml_event_t* next = next_event()) {
      const yaml_event_t& e = *next;
      switch (e.type) {
        case YAML_STREAM_END_EVENT:
          if (has_bad) return bad_document();
          return std::nullopt;
        case YAML_STREAM_START_EVENT: continue;
        case YAML_DOCUMENT_START_EVENT:
          builder_.Begin(static_cast<std::uint32_t>(first_line));
          doc = &builder_;
          doc_start = ToMark(e.start_mark, first_line);
          doc_start_index = e.start_mark.index;
          doc_start_line = first_line + e.start_mark.line;
          continue;
        case YAML_DOCUMENT_END_EVENT:
          if (doc == nullptr) continue;  // libyaml pairs them; defensive
          if (doc->failed()) {
            PushError(doc_start, doc->error(), doc->error_mark());
          } else if (doc->abort_pending()) {
            Abort(doc->abort_reason(), doc->abort_mark());
            return std::nullopt;
          } else {
            Document d;
            d.index = out_.documents.size();
            d.start = doc_start;
            doc->Finish(d);
            out_.documents.push_back(std::move(d));
          }
          doc = nullptr;
          last_end_implicit = e.data.document_end.implicit != 0;
          continue;
        default:
          if (doc == nullptr) continue;  // node events only occur inside documents
          break;
      }
      // libyaml counts characters, not bytes: check both lower bounds.
      // (FastScanner's texts are within the limit as a whole.)
      const std::size_t end_line = first_line + e.end_mark.line;
      if (!fast_events && (e.end_mark.index - doc_start_index > limits_.max_document_bytes ||
                           index().LineStart(end_line) - index().LineStart(doc_start_line) >
                               limits_.max_document_bytes)) {
        Abort("document larger than " + std::to_string(limits_.max_document_bytes) + " bytes",
              ToMark(e.start_mark, first_line));
        return std::nullopt;
      }
      doc->Add(e);
      if (doc->needs_resync()) {
        PushError(doc_start, doc->error(), doc->error_mark());
        return ResumeLine(first_line, doc->error_mark().line - 1);
      }
    }

    // Syntax or encoding error (FastScanner's events always reach STREAM-END).
    if (!libyaml) return std::nullopt;
    const yaml_parser_t& p = libyaml->parser();
    Mark at;
    std::string message;
    if (p.error == YAML_READER_ERROR) {
      std::size_t offset = base + p.problem_offset;
      if (offset < text_.size() && (static_cast<unsigned char>(text_[offset]) & 0xC0u) != 0xC0u) {
        // A bad trailing byte: point at the start of its sequence.
        for (std::size_t back = 1; back <= 3 && offset >= back + base; ++back) {
          const auto c = static_cast<unsigned char>(text_[offset - back]);
          if ((c & 0xC0u) == 0xC0u) {
            offset -= back;
            break;
          }
          if ((c & 0xC0u) != 0x80u) break;
        }
      }
      at = index().MarkOf(offset);
      const std::string_view problem = p.problem != nullptr ? p.problem : "unreadable input";
      const bool utf8 = problem.find("UTF-8") != std::string_view::npos ||
                        problem.find("Unicode") != std::string_view::npos;
      message = utf8 ? "invalid UTF-8: " : "invalid character: ";
      message += problem;
      if (p.problem_value != -1) {
        message += " (" + std::string(utf8 ? "byte" : "code point") + " 0x" +
                   Hex(static_cast<unsigned>(p.problem_value)) + ")";
      }
    } else if (p.error == YAML_MEMORY_ERROR) {
      at = doc_start;
      message = "out of memory";
    } else {
      at = ToMark(p.problem_mark, first_line);
      message = p.problem != nullptr ? p.problem : "syntax error";
      if (p.context != nullptr) {
        message += " (";
        message += p.context;
        message += ")";
      }
    }
    if (doc == nullptr && last_end_implicit && !out_.documents.empty()) {
      // Content after an implicitly ended document and no `---` ("did not
      // find expected <document start>"): yaml sees one document with an
      // error, not a good document followed by a bad one.
      Document& last = out_.documents.back();
      last.status = DocStatus::kError;
      last.error = Located(at, message);
      last.error_mark = at;
      last.json.SetNull();
      last.marks.Clear();
      return ResumeLine(first_line, at.line == 0 ? first_line : at.line - 1);
    }
    if (doc && doc->failed()) {  // the document's own first error wins
      PushError(doc_start, doc->error(), doc->error_mark());
    } else {
      PushError(doc_start, message, at);
    }
    const bool in_quoted = p.context != nullptr &&
                           std::string_view(p.context) == "while scanning a quoted scalar";
    if (in_quoted) return std::nullopt;  // as yaml: it swallows the rest of the file
    return ResumeLine(first_line, at.line == 0 ? first_line : at.line - 1);
  }

  std::optional<std::size_t> ResumeLine(std::size_t first_line, std::size_t error_line0) {
    const std::size_t from = std::max(error_line0, first_line + 1);
    const std::size_t next = index().NextDocumentMarker(from);
    if (next >= index().line_count()) return std::nullopt;
    return next;
  }

  static std::string Hex(unsigned v) {
    char buf[16];
    auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
    std::string s(buf, r.ptr);
    if (s.size() < 2) s.insert(0, "0");
    return s;
  }

  std::string_view text_;
  const Limits& limits_;
  std::optional<TextIndex> index_;
  DocumentBuilder builder_;
  BadInput bad_;
  std::size_t bad_checked_from_ = SIZE_MAX;  // FindBadInput ran from here (npos: nothing after)
  Stream out_;
};

}  // namespace

Stream ParseStream(std::string_view text, const Limits& limits, Scanner scanner) {
  // libyaml asserts on a NULL input buffer, which an empty string_view may carry.
  if (text.data() == nullptr) text = std::string_view("", 0);
  // A leading UTF-8 BOM is not content (libyaml would count it as a column).
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // libyaml drops the final line break of a block scalar that ends the file
  // without one (`a: |\n  text`); yaml keeps it. A final newline changes
  // nothing else, marks included.
  if (!text.empty() && text.back() != '\n') {
    std::string terminated;
    terminated.reserve(text.size() + 1);
    terminated.append(text).push_back('\n');
    return StreamParser(terminated, limits).Run(scanner);
  }
  return StreamParser(text, limits).Run(scanner);
}

}  // namespace idp::yaml
