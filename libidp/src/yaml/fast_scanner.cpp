#include "yaml/fast_scanner.h"

#include <cstdint>
#include <algorithm>
#include <cstring>

#include "core/utf8.h"

namespace idp::yaml {
namespace {

// libyaml refuses implicit (simple) keys longer than this.
constexpr std::size_t kMaxSimpleKey = 1024;

bool IsBlankOrEnd(std::string_view line, std::size_t i) { return i >= line.size() || line[i] == ' '; }

// Characters that cannot start a plain scalar in block context (or that start
// something outside the subset). '-' is handled by the callers.
bool IsIndicator(char c) {
  switch (c) {
    case '?': case ':': case ',': case '[': case ']': case '{': case '}': case '#':
    case '&': case '*': case '!': case '|': case '>': case '\'': case '"': case '%':
    case '@': case '`':
      return true;
    default:
      return false;
  }
}

// Bytes the subset excludes anywhere: tab, CR, and NEL/LS/PS/BOM (libyaml
// breaks lines at NEL/LS/PS; a BOM inside the stream is not content).
bool HasExcludedBytes(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    // 8 bytes at a time while none is a control character or non-ASCII.
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s + i, 8);
      const std::uint64_t low = (w - 0x2020202020202020ull) & ~w & 0x8080808080808080ull;
      if (((w & 0x8080808080808080ull) | low) == 0) {
        i += 8;
        continue;
      }
    }
    switch (s[i]) {
      case '\t':
      case '\r':
        return true;
      case 0xC2:
      case 0xE2:
      case 0xEF: {
        const std::string_view rest = text.substr(i, 3);
        if (rest.substr(0, 2) == "\xC2\x85" || rest == "\xE2\x80\xA8" || rest == "\xE2\x80\xA9" ||
            rest == "\xEF\xBB\xBF") {
          return true;
        }
        break;
      }
      default:
        break;
    }
    ++i;
  }
  return false;
}

class Scanner {
 public:
  Scanner(std::string_view text, std::size_t max_depth, std::vector<yaml_event_t>& out,
          std::string& unescaped)
      : text_(text), max_depth_(max_depth), out_(out), unescaped_(unescaped) {}

  bool Run() {
    Emit(YAML_STREAM_START_EVENT, MarkAt(0));
    while (line_start_ < text_.size()) {
      Load();
      if (!Line()) return false;
      // A block scalar stops at a line that is not its own: handle that
      // line as any other.
      if (!reprocess_) Advance();
      reprocess_ = false;
    }
    if (in_doc_) {
      if (!root_started_) return false;
      EndDocument();
    }
    Emit(YAML_STREAM_END_EVENT, MarkAt(0));
    for (const Fixup& f : fixups_) {
      out_[f.event].data.scalar.value =
          reinterpret_cast<yaml_char_t*>(unescaped_.data() + f.offset);
    }
    return true;
  }

 private:
  struct Open {
    bool is_map = false;
    bool indentless = false;  // a sequence at its parent key's column
    bool pending = false;     // a key or `-` whose value is still to come
    std::size_t col = 0;
    yaml_mark_t pending_mark{};
  };

  // The line at line_start_.
  void Load() {
    const char* begin = text_.data() + line_start_;
    const void* nl = std::memchr(begin, '\n', text_.size() - line_start_);
    const std::size_t len =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - begin) : text_.size() - line_start_;
    line_ = std::string_view(begin, len);
  }
  void Advance() {
    line_start_ += line_.size() + 1;
    ++line_no_;
  }
  bool AtEnd() const { return line_start_ >= text_.size(); }

  // Code points in the first n bytes of the current line.
  std::size_t Chars(std::size_t n) const {
    n = std::min(n, line_.size());
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {  // ASCII runs 8 bytes at a time
      std::uint64_t w;
      std::memcpy(&w, line_.data() + i, 8);
      if ((w & 0x8080808080808080ull) != 0) break;
    }
    std::size_t chars = i;
    for (; i < n; ++i) {
      if ((static_cast<unsigned char>(line_[i]) & 0xC0u) != 0x80u) ++chars;
    }
    return chars;
  }
  // libyaml's index counts code points; ours counts bytes. The driver only
  // uses it for the document size check, which cannot fire on the texts
  // FastScanner takes (they are smaller than the limit).
  yaml_mark_t MarkAt(std::size_t byte_in_line) const {
    yaml_mark_t m{};
    m.line = line_no_;
    m.column = Chars(byte_in_line);
    m.index = line_start_ + byte_in_line;
    return m;
  }

  yaml_event_t& Emit(yaml_event_type_t type, yaml_mark_t mark) {
    yaml_event_t e;
    std::memset(&e, 0, sizeof e);
    e.type = type;
    e.start_mark = mark;
    e.end_mark = mark;
    out_.push_back(e);
    return out_.back();
  }
  void EmitScalar(const char* value, std::size_t length, yaml_scalar_style_t style, yaml_mark_t mark) {
    yaml_event_t& e = Emit(YAML_SCALAR_EVENT, mark);
    // The builder only reads values; libyaml's type is non-const.
    e.data.scalar.value = reinterpret_cast<yaml_char_t*>(const_cast<char*>(value));
    e.data.scalar.length = length;
    e.data.scalar.plain_implicit = style == YAML_PLAIN_SCALAR_STYLE;
    e.data.scalar.quoted_implicit = style != YAML_PLAIN_SCALAR_STYLE;
    e.data.scalar.style = style;
  }
  void EmitEmpty(yaml_mark_t mark) { EmitScalar("", 0, YAML_PLAIN_SCALAR_STYLE, mark); }
  // A scalar whose value is unescaped_ from `begin` on; its pointer is set
  // when the scan ends (unescaped_ may still grow).
  void EmitUnescaped(std::size_t begin, yaml_scalar_style_t style, yaml_mark_t mark) {
    fixups_.push_back({out_.size(), begin});
    EmitScalar(nullptr, unescaped_.size() - begin, style, mark);
  }

  bool StartCollection(std::size_t col, bool is_seq, bool indentless) {
    if (stack_.size() + 1 > max_depth_) return false;
    if (is_seq) {
      yaml_event_t& e = Emit(YAML_SEQUENCE_START_EVENT, MarkAt(col));
      e.data.sequence_start.implicit = 1;
      e.data.sequence_start.style = YAML_BLOCK_SEQUENCE_STYLE;
    } else {
      yaml_event_t& e = Emit(YAML_MAPPING_START_EVENT, MarkAt(col));
      e.data.mapping_start.implicit = 1;
      e.data.mapping_start.style = YAML_BLOCK_MAPPING_STYLE;
    }
    Open o;
    o.is_map = !is_seq;
    o.indentless = indentless;
    o.col = col;
    stack_.push_back(o);
    root_started_ = true;
    return true;
  }
  void Close() {
    Emit(stack_.back().is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT, MarkAt(0));
    stack_.pop_back();
  }
  bool EndDocument() {
    if (!stack_.empty() && stack_.back().pending) {
      EmitEmpty(stack_.back().pending_mark);
      stack_.back().pending = false;
    }
    while (!stack_.empty()) Close();
    yaml_event_t& e = Emit(YAML_DOCUMENT_END_EVENT, MarkAt(0));
    e.data.document_end.implicit = 1;
    in_doc_ = false;
    return true;
  }

  bool Line() {
    std::size_t ind = 0;
    while (ind < line_.size() && line_[ind] == ' ') ++ind;
    if (ind == line_.size() || line_[ind] == '#') return true;  // blank or comment
    if (ind == 0 && (line_.substr(0, 3) == "---" || line_.substr(0, 3) == "...")) {
      if (line_.substr(0, 3) == "..." || !IsBlankOrEnd(line_, 3) || !OnlyComment(3)) return false;
      if (in_doc_) {
        if (!root_started_) return false;  // an empty document
        EndDocument();
      }
      yaml_event_t& e = Emit(YAML_DOCUMENT_START_EVENT, MarkAt(0));
      e.end_mark.column += 3;
      e.end_mark.index += 3;
      in_doc_ = true;
      root_started_ = false;
      return true;
    }
    if (ind == 0 && line_[0] == '%') return false;  // a directive
    if (!in_doc_) {
      yaml_event_t& e = Emit(YAML_DOCUMENT_START_EVENT, MarkAt(ind));
      e.data.document_start.implicit = 1;
      in_doc_ = true;
      root_started_ = false;
    }
    const bool entry = line_[ind] == '-' && IsBlankOrEnd(line_, ind + 1);

    if (!stack_.empty() && stack_.back().pending) {
      Open& top = stack_.back();
      const bool child = ind > top.col || (top.is_map && ind == top.col && entry);
      top.pending = false;
      if (child) {
        if (!StartCollection(ind, entry, top.is_map && ind == top.col)) return false;
        return entry ? EntryLine(ind) : KeyLine(ind);
      }
      EmitEmpty(top.pending_mark);
    }
    while (!stack_.empty()) {
      const Open& top = stack_.back();
      if (top.col > ind || (top.col == ind && top.indentless && !entry)) {
        Close();
        continue;
      }
      break;
    }
    if (stack_.empty()) {
      if (root_started_) return false;  // content after the root collection
      if (!StartCollection(ind, entry, false)) return false;
    }
    const Open& top = stack_.back();
    if (top.col != ind || top.is_map == entry) return false;
    return entry ? EntryLine(ind) : KeyLine(ind);
  }

  // Only blanks, then optionally a comment, from i (i itself blank or end).
  bool OnlyComment(std::size_t i) const {
    while (i < line_.size() && line_[i] == ' ') ++i;
    return i == line_.size() || line_[i] == '#';
  }
  // After a closed quoted scalar or flow sequence ending at i.
  bool RestIsEmpty(std::size_t i) const { return i == line_.size() || (line_[i] == ' ' && OnlyComment(i)); }

  // End of a plain key starting at i: the ':' followed by a blank; npos when
  // the text holds none before a comment or the end.
  std::size_t KeyColon(std::size_t i) const {
    for (; i < line_.size(); ++i) {
      const char c = line_[i];
      if (c == ':' && IsBlankOrEnd(line_, i + 1)) return i;
      if (c == '#' && line_[i - 1] == ' ') return std::string_view::npos;
    }
    return std::string_view::npos;
  }
  bool PlainStart(std::size_t i) const {
    const char c = line_[i];
    if (c == '-') return !IsBlankOrEnd(line_, i + 1);
    return c != ' ' && !IsIndicator(c);
  }

  bool KeyLine(std::size_t start) {
    if (!PlainStart(start)) return false;
    const std::size_t colon = KeyColon(start);
    if (colon == std::string_view::npos) return false;
    std::size_t end = colon;
    while (end > start && line_[end - 1] == ' ') --end;
    if (Chars(colon) - Chars(start) > kMaxSimpleKey) return false;
    EmitScalar(line_.data() + start, end - start, YAML_PLAIN_SCALAR_STYLE, MarkAt(start));
    std::size_t v = colon + 1;
    while (v < line_.size() && line_[v] == ' ') ++v;
    if (v == line_.size() || line_[v] == '#') {
      Open& top = stack_.back();
      top.pending = true;
      top.pending_mark = MarkAt(colon + 1);
      return true;
    }
    return Value(v);
  }

  bool EntryLine(std::size_t start) {
    std::size_t v = start + 1;
    while (v < line_.size() && line_[v] == ' ') ++v;
    if (v == line_.size() || line_[v] == '#') {
      Open& top = stack_.back();
      top.pending = true;
      top.pending_mark = MarkAt(start + 1);
      return true;
    }
    if (line_[v] == '-' && IsBlankOrEnd(line_, v + 1)) return false;  // `- - x`
    if (PlainStart(v) && KeyColon(v) != std::string_view::npos) {  // `- key: value`
      if (!StartCollection(v, false, false)) return false;
      return KeyLine(v);
    }
    return Value(v);
  }

  bool Value(std::size_t v) {
    const char c = line_[v];
    if (c == '[') return FlowSequence(v);
    if (c == '|' || c == '>') return BlockScalar(v, stack_.back().col);
    if (c == '{') {
      std::size_t close = v + 1;
      while (close < line_.size() && line_[close] == ' ') ++close;
      if (close == line_.size() || line_[close] != '}') return false;
      yaml_event_t& e = Emit(YAML_MAPPING_START_EVENT, MarkAt(v));
      e.data.mapping_start.implicit = 1;
      e.data.mapping_start.style = YAML_FLOW_MAPPING_STYLE;
      Emit(YAML_MAPPING_END_EVENT, MarkAt(close));
      return RestIsEmpty(close + 1);
    }
    if (c == '\'' || c == '"') {
      std::size_t after = 0;
      return Quoted(v, after) && RestIsEmpty(after);
    }
    if (!PlainStart(v)) return false;
    std::size_t end = v;
    for (std::size_t i = v; i < line_.size(); ++i) {
      const char ch = line_[i];
      if (ch == '#' && line_[i - 1] == ' ') break;
      if (ch == ':' && IsBlankOrEnd(line_, i + 1)) return false;  // a mapping where none may be
      if (ch != ' ') end = i + 1;
    }
    EmitScalar(line_.data() + v, end - v, YAML_PLAIN_SCALAR_STYLE, MarkAt(v));
    return true;
  }

  // A one-line quoted scalar at q; `after` is the byte after its closing quote.
  bool Quoted(std::size_t q, std::size_t& after) {
    const char quote = line_[q];
    const std::size_t begin = unescaped_.size();
    for (std::size_t i = q + 1; i < line_.size(); ++i) {
      const char c = line_[i];
      if (quote == '"' && c == '\\') {
        if (!Escape(i)) return false;
        continue;
      }
      if (c != quote) {
        unescaped_.push_back(c);
        continue;
      }
      if (quote == '\'' && i + 1 < line_.size() && line_[i + 1] == '\'') {
        unescaped_.push_back('\'');
        ++i;
        continue;
      }
      EmitUnescaped(begin, quote == '"' ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE,
                    MarkAt(q));
      after = i + 1;
      return true;
    }
    return false;  // the scalar goes on on the next line
  }

  // The escape at line_[i] (a backslash) of a double-quoted scalar, as
  // libyaml decodes it; i ends on its last character. False: outside the
  // subset (a line continuation) or an error libyaml reports.
  bool Escape(std::size_t& i) {
    if (i + 1 >= line_.size()) return false;
    const char e = line_[++i];
    int hex = 0;
    switch (e) {
      case '0': unescaped_.push_back('\0'); return true;
      case 'a': unescaped_.push_back('\x07'); return true;
      case 'b': unescaped_.push_back('\x08'); return true;
      case 't': case '\t': unescaped_.push_back('\x09'); return true;
      case 'n': unescaped_.push_back('\x0A'); return true;
      case 'v': unescaped_.push_back('\x0B'); return true;
      case 'f': unescaped_.push_back('\x0C'); return true;
      case 'r': unescaped_.push_back('\x0D'); return true;
      case 'e': unescaped_.push_back('\x1B'); return true;
      case ' ': unescaped_.push_back(' '); return true;
      case '"': unescaped_.push_back('"'); return true;
      case '/': unescaped_.push_back('/'); return true;
      case '\\': unescaped_.push_back('\\'); return true;
      case 'N': unescaped_ += "\xC2\x85"; return true;
      case '_': unescaped_ += "\xC2\xA0"; return true;
      case 'L': unescaped_ += "\xE2\x80\xA8"; return true;
      case 'P': unescaped_ += "\xE2\x80\xA9"; return true;
      case 'x': hex = 2; break;
      case 'u': hex = 4; break;
      case 'U': hex = 8; break;
      default: return false;
    }
    std::uint32_t cp = 0;
    for (int k = 0; k < hex; ++k) {
      if (i + 1 >= line_.size()) return false;
      const char h = line_[++i];
      std::uint32_t d = 0;
      if (h >= '0' && h <= '9') d = static_cast<std::uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f') d = static_cast<std::uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') d = static_cast<std::uint32_t>(h - 'A' + 10);
      else return false;
      cp = cp * 16 + d;
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    AppendUtf8(unescaped_, static_cast<char32_t>(cp));
    return true;
  }

  // A literal (|) or folded (>) block scalar whose indicator is at line_[h],
  // as libyaml scans it; the lines it takes are consumed. parent: the column
  // of the collection holding it.
  bool BlockScalar(std::size_t h, std::size_t parent) {
    const bool literal = line_[h] == '|';
    std::size_t i = h + 1;
    int chomping = 0;  // -1 strip, 0 clip, +1 keep
    if (i < line_.size() && (line_[i] == '-' || line_[i] == '+')) chomping = line_[i++] == '-' ? -1 : 1;
    if (!(i == line_.size() || (line_[i] == ' ' && OnlyComment(i)))) return false;  // e.g. an indentation indicator
    const yaml_mark_t mark = MarkAt(h);
    const std::size_t begin = unescaped_.size();
    std::size_t indent = 0;      // set by the first content line
    std::size_t empty_before = 0;  // whitespace-only lines before the first content line: their widest
    std::size_t breaks = 0;      // empty lines since the last content line
    bool have_content = false;
    bool last_blank = false;     // the last content line started with a space (folding)
    for (;;) {
      Advance();
      if (AtEnd()) break;
      Load();
      std::size_t sp = 0;
      while (sp < line_.size() && line_[sp] == ' ') ++sp;
      const bool whitespace_only = sp == line_.size();
      if (whitespace_only && have_content && sp <= indent) {  // an empty line
        ++breaks;
        continue;
      }
      if (!have_content) {
        if (whitespace_only) {
          empty_before = std::max(empty_before, sp);
          ++breaks;
          continue;
        }
        indent = std::max<std::size_t>(sp, parent + 1);
        if (sp < indent || empty_before > sp) return false;  // no content, or libyaml's max_indent quirk
        if (breaks != 0) unescaped_.append(breaks, '\n');
      } else if (sp < indent) {
        reprocess_ = true;  // a line of the enclosing structure
        break;
      }
      const std::string_view content = line_.substr(indent);
      const bool blank = !content.empty() && content[0] == ' ';
      if (have_content) {
        if (!literal && !last_blank && !blank) {
          if (breaks == 0) unescaped_.push_back(' ');
          else unescaped_.append(breaks, '\n');
        } else {
          unescaped_.append(breaks + 1, '\n');
        }
      }
      unescaped_ += content;
      have_content = true;
      last_blank = blank;
      breaks = 0;
    }
    if (!have_content) return false;
    if (chomping != -1) unescaped_.push_back('\n');
    if (chomping == 1) unescaped_.append(breaks, '\n');
    EmitUnescaped(begin, literal ? YAML_LITERAL_SCALAR_STYLE : YAML_FOLDED_SCALAR_STYLE, mark);
    return true;
  }

  // `[a, 'b', "c"]` on one line; nested collections and `key: value` pairs decline.
  bool FlowSequence(std::size_t open) {
    if (stack_.size() + 1 > max_depth_) return false;
    yaml_event_t& e = Emit(YAML_SEQUENCE_START_EVENT, MarkAt(open));
    e.data.sequence_start.implicit = 1;
    e.data.sequence_start.style = YAML_FLOW_SEQUENCE_STYLE;
    std::size_t i = open + 1;
    bool need_item = true;  // after `[` or `,`: an item or `]`
    for (;;) {
      while (i < line_.size() && line_[i] == ' ') ++i;
      if (i == line_.size()) return false;
      const char c = line_[i];
      if (c == ']') {
        Emit(YAML_SEQUENCE_END_EVENT, MarkAt(i));
        return RestIsEmpty(i + 1);
      }
      if (!need_item) {
        if (c != ',') return false;
        ++i;
        need_item = true;
        continue;
      }
      if (c == '\'' || c == '"') {
        if (!Quoted(i, i)) return false;
      } else {
        if (!PlainStart(i) || c == '-') return false;  // '-' items: keep the subset small
        const std::size_t begin = i;
        std::size_t end = i;
        for (; i < line_.size(); ++i) {
          const char ch = line_[i];
          if (ch == ',' || ch == ']') break;
          if (ch == '[' || ch == '{' || ch == '}' || ch == ':' || ch == '#') return false;
          if (ch != ' ') end = i + 1;
        }
        EmitScalar(line_.data() + begin, end - begin, YAML_PLAIN_SCALAR_STYLE, MarkAt(begin));
      }
      need_item = false;
    }
  }

  std::string_view text_;
  std::size_t max_depth_;
  std::vector<yaml_event_t>& out_;
  std::string& unescaped_;
  struct Fixup {
    std::size_t event;
    std::size_t offset;
  };
  std::vector<Fixup> fixups_;
  bool reprocess_ = false;

  std::string_view line_;
  std::size_t line_start_ = 0;  // byte offset
  std::size_t line_no_ = 0;
  bool in_doc_ = false;
  bool root_started_ = false;
  std::vector<Open> stack_;
};

}  // namespace

bool FastScanner::Scan(std::string_view text, std::size_t max_depth) {
  events_.clear();
  unescaped_.clear();
  if (HasExcludedBytes(text)) return false;
  // About two events per line of ~25 bytes: growing the vector instead
  // costs more copying than the scan itself.
  events_.reserve(text.size() / 12 + 16);
  return Scanner(text, max_depth, events_, unescaped_).Run();
}

}  // namespace idp::yaml
