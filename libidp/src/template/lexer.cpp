#include "template/lexer.h"

#include <array>

#include "template/errors.h"

namespace idp::tmpl {

namespace {

constexpr std::string_view kDelims = "()[]{}%*-+~/#,:|.<>=!";
constexpr std::string_view kIntChars = "0123456789";
constexpr std::uint32_t kNbsp = 0xA0;

// Byte classes for code: whitespace (NBSP's lead byte 0xC2 is checked in
// full by the caller) and single-character delimiters.
struct CodeClasses {
  std::array<bool, 256> space{}, delim{};
  constexpr CodeClasses() {
    for (char c : std::string_view(" \n\t\r")) space[static_cast<unsigned char>(c)] = true;
    for (char c : kDelims) delim[static_cast<unsigned char>(c)] = true;
  }
};
constexpr CodeClasses kCode;

bool IsAllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

const char* TokName(Tok t) {
  switch (t) {
    case Tok::kString: return "string";
    case Tok::kWhitespace: return "whitespace";
    case Tok::kData: return "data";
    case Tok::kBlockStart: return "block-start";
    case Tok::kBlockEnd: return "block-end";
    case Tok::kVariableStart: return "variable-start";
    case Tok::kVariableEnd: return "variable-end";
    case Tok::kComment: return "comment";
    case Tok::kLeftParen: return "left-paren";
    case Tok::kRightParen: return "right-paren";
    case Tok::kLeftBracket: return "left-bracket";
    case Tok::kRightBracket: return "right-bracket";
    case Tok::kLeftCurly: return "left-curly";
    case Tok::kRightCurly: return "right-curly";
    case Tok::kOperator: return "operator";
    case Tok::kComma: return "comma";
    case Tok::kColon: return "colon";
    case Tok::kTilde: return "tilde";
    case Tok::kPipe: return "pipe";
    case Tok::kInt: return "int";
    case Tok::kFloat: return "float";
    case Tok::kBoolean: return "boolean";
    case Tok::kNone: return "none";
    case Tok::kSymbol: return "symbol";
    case Tok::kRegex: return "regex";
  }
  return "?";
}

Lexer::Lexer(std::string_view src, LexOptions opts) : src_(src), opts_(std::move(opts)) {
  const Tags& t = opts_.tags;
  block_start_dash_ = t.block_start + "-";
  variable_start_dash_ = t.variable_start + "-";
  block_end_dash_ = "-" + t.block_end;
  variable_end_dash_ = "-" + t.variable_end;
  begin_chars_ = {t.block_start[0], t.variable_start[0], t.comment_start[0], t.comment_end[0]};
  word_end_chars_ = std::string(" \n\t\r\xA0", 5) + std::string(kDelims);
  auto fill = [](std::array<bool, 256>& stop, std::string_view chars) {
    for (char c : chars) stop[static_cast<unsigned char>(c)] = true;
    stop['\n'] = true;
    for (std::size_t b = 0x80; b < 256; ++b) stop[b] = true;
  };
  fill(begin_stop_, begin_chars_);
  fill(word_end_stop_, word_end_chars_);
}

std::string_view Lexer::Span(std::size_t from, std::size_t to) const {
  from = std::min(from, src_.size());
  to = std::min(to, src_.size());
  return src_.substr(from, to > from ? to - from : 0);
}

std::size_t Lexer::CharLen(std::size_t at) const {
  auto b = static_cast<unsigned char>(src_[at]);
  std::size_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  return std::min(n, src_.size() - at);
}

std::uint32_t Lexer::Current() const {
  if (Finished()) return 0xFFFFFFFF;
  auto b = static_cast<unsigned char>(src_[index_]);
  if (b < 0x80) return b;
  if (b == 0xC2 && index_ + 1 < src_.size() && static_cast<unsigned char>(src_[index_ + 1]) == 0xA0) return kNbsp;
  return 0x80000000u | b;  // some non-ASCII character: never a delimiter
}

std::uint32_t Lexer::Previous() const {
  if (index_ == 0) return 0xFFFFFFFF;
  return static_cast<unsigned char>(src_[index_ - 1]);
}

void Lexer::Forward() {
  if (Finished()) {
    ++index_;  // nunjucks moves past the end after an unterminated string
    ++col_;
    return;
  }
  std::size_t n = CharLen(index_);
  bool newline = src_[index_] == '\n';
  index_ += n;
  if (newline) {
    ++line_;
    col_ = 0;
  } else {
    col_ += n == 4 ? 2 : 1;  // astral characters are two UTF-16 units
  }
}

std::pair<int, int> Lexer::EndPosition() const {
  int line = 0, col = 0;
  for (std::size_t i = 0; i < src_.size();) {
    std::size_t n = CharLen(i);
    if (src_[i] == '\n') {
      ++line;
      col = 0;
    } else {
      col += n == 4 ? 2 : 1;
    }
    i += n;
  }
  return {line, col};
}

void Lexer::ForwardN(std::size_t bytes) {
  std::size_t end = index_ + bytes;
  while (index_ < end) Forward();
}

void Lexer::Rewind(std::size_t index) {
  index_ = 0;
  line_ = 0;
  col_ = 0;
  while (index_ < index) Forward();
}

bool Lexer::Matches(std::string_view s) const {
  if (index_ + s.size() > src_.size()) return false;
  if (!s.empty() && src_[index_] != s[0]) return false;  // the usual answer, without memcmp
  return src_.substr(index_, s.size()) == s;
}

bool Lexer::ExtractString(std::string_view s, std::string_view& out) {
  if (!Matches(s)) return false;
  out = src_.substr(index_, s.size());
  ForwardN(s.size());
  return true;
}

bool Lexer::InSet(std::uint32_t c, std::string_view chars) const {
  if (c == kNbsp) return chars.find('\xA0') != std::string_view::npos;
  if (c >= 0x80) return false;
  return chars.find(static_cast<char>(c)) != std::string_view::npos;
}

std::string_view Lexer::ExtractUntil(const std::array<bool, 256>& stop, std::string_view chars, bool* finished) {
  if (Finished()) {
    if (finished) *finished = true;
    return {};
  }
  if (finished) *finished = false;
  std::size_t start = index_;
  // Plain ASCII outside `chars` (most template text) advances in a tight
  // loop; line feeds, non-ASCII and the stop characters go the general way.
  const char* p = src_.data();
  const std::size_t n = src_.size();
  for (;;) {
    std::size_t i = index_;
    while (i < n && !stop[static_cast<unsigned char>(p[i])]) ++i;
    col_ += static_cast<int>(i - index_);
    index_ = i;
    if (i >= n) break;
    if (p[i] == '\n' && !InSet('\n', chars)) {
      ++index_;
      ++line_;
      col_ = 0;
      continue;
    }
    if (InSet(Current(), chars)) break;
    Forward();
  }
  return src_.substr(start, index_ - start);
}

std::string_view Lexer::Extract(std::string_view chars) {
  std::size_t start = index_;
  while (!Finished() && InSet(Current(), chars)) Forward();
  return src_.substr(start, index_ - start);
}

std::string_view Lexer::ParseString(char delim) {
  Forward();
  std::size_t start = index_;
  std::string out;
  bool escaped = false;
  while (!Finished() && Current() != static_cast<std::uint32_t>(static_cast<unsigned char>(delim))) {
    if (src_[index_] == '\\') {
      if (!escaped) out.assign(src_.substr(start, index_ - start));
      escaped = true;
      Forward();
      if (Finished()) break;
      char c = src_[index_];
      switch (c) {
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        default: out.append(src_.substr(index_, CharLen(index_)));
      }
      Forward();
    } else {
      if (escaped) out.append(src_.substr(index_, CharLen(index_)));
      Forward();
    }
  }
  std::size_t end = index_;
  Forward();
  if (!escaped) return Span(start, end);
  return decoded_.emplace_back(std::move(out));
}

bool Lexer::Next(Token& tok) {
  tok = Token{};
  tok.line = line_;
  tok.col = col_;
  const Tags& t = opts_.tags;
  if (in_code_) {
    if (Finished()) return false;
    std::uint32_t cur = Current();
    std::string_view s;
    if (cur == '"' || cur == '\'') {
      tok.type = Tok::kString;
      tok.value = ParseString(static_cast<char>(cur));
      return true;
    }
    if (cur < 0x80 ? kCode.space[cur] : cur == kNbsp) {
      tok.type = Tok::kWhitespace;
      std::size_t start = index_;
      for (;;) {
        std::uint32_t c = Current();
        if (!(c < 0x80 ? kCode.space[c] : c == kNbsp)) break;  // end of input is 0xFFFFFFFF
        Forward();
      }
      tok.value = Span(start, index_);
      return true;
    }
    if (ExtractString(t.block_end, s) || ExtractString(block_end_dash_, s)) {
      in_code_ = false;
      if (opts_.trim_blocks) {
        if (Current() == '\n') {
          Forward();
        } else if (Current() == '\r') {
          Forward();
          if (Current() == '\n') {
            Forward();
          } else {
            Rewind(index_ - 1);
          }
        }
      }
      tok.type = Tok::kBlockEnd;
      tok.value = s;
      return true;
    }
    if (ExtractString(t.variable_end, s) || ExtractString(variable_end_dash_, s)) {
      in_code_ = false;
      tok.type = Tok::kVariableEnd;
      tok.value = s;
      return true;
    }
    if (cur == 'r' && index_ + 1 < src_.size() && src_[index_ + 1] == '/') {
      ForwardN(2);
      std::size_t body_start = index_, body_end = index_;
      while (!Finished()) {
        if (src_[index_] == '/' && Previous() != '\\') {
          body_end = index_;
          Forward();
          break;
        }
        Forward();
        body_end = index_;
      }
      std::size_t flags_start = index_;
      while (!Finished() && std::string_view("gimy").find(src_[index_]) != std::string_view::npos) Forward();
      tok.type = Tok::kRegex;
      tok.value = Span(body_start, body_end);
      tok.flags = Span(flags_start, index_);
      return true;
    }
    if (cur < 0x80 && kCode.delim[cur]) {
      std::size_t op_start = index_;
      Forward();
      static constexpr std::string_view kComplex[] = {"==", "===", "!=", "!==", "<=", ">=", "//", "**"};
      auto is_complex = [](std::string_view x) {
        for (auto c : kComplex) {
          if (c == x) return true;
        }
        return false;
      };
      if (!Finished() && src_[index_] != 0) {
        if (is_complex(src_.substr(op_start, 2))) {
          Forward();
          if (!Finished() && is_complex(src_.substr(op_start, 3))) Forward();
        }
      }
      std::string_view op = src_.substr(op_start, index_ - op_start);
      switch (op[0]) {
        case '(': tok.type = op.size() == 1 ? Tok::kLeftParen : Tok::kOperator; break;
        case ')': tok.type = op.size() == 1 ? Tok::kRightParen : Tok::kOperator; break;
        case '[': tok.type = Tok::kLeftBracket; break;
        case ']': tok.type = Tok::kRightBracket; break;
        case '{': tok.type = Tok::kLeftCurly; break;
        case '}': tok.type = Tok::kRightCurly; break;
        case ',': tok.type = Tok::kComma; break;
        case ':': tok.type = Tok::kColon; break;
        case '~': tok.type = Tok::kTilde; break;
        case '|': tok.type = Tok::kPipe; break;
        default: tok.type = Tok::kOperator;
      }
      tok.value = op;
      return true;
    }
    std::size_t word_start = index_;
    std::string_view word = ExtractUntil(word_end_stop_, word_end_chars_, nullptr);
    if (IsAllDigits(word)) {
      if (Current() == '.') {
        Forward();
        Extract(kIntChars);
        tok.type = Tok::kFloat;
        tok.value = Span(word_start, index_);
      } else {
        tok.type = Tok::kInt;
        tok.value = word;
      }
    } else if (word == "true" || word == "false") {
      tok.type = Tok::kBoolean;
      tok.value = word;
    } else if (word == "none" || word == "null") {
      tok.type = Tok::kNone;
      tok.value = word;
    } else if (!word.empty()) {
      tok.type = Tok::kSymbol;
      tok.value = word;
    } else {
      throw EngineError(ErrorKind::kSyntax, "Unexpected value while parsing: " + std::string(word), tok.line + 1,
                        tok.col + 1);
    }
    return true;
  }

  // Template text: break on anything that may start a tag.
  if (Finished()) return false;
  std::string_view s;
  if (ExtractString(block_start_dash_, s) || ExtractString(t.block_start, s)) {
    in_code_ = true;
    tag_line_ = tok.line;
    tag_col_ = tok.col;
    tok.type = Tok::kBlockStart;
    tok.value = s;
    return true;
  }
  if (ExtractString(variable_start_dash_, s) || ExtractString(t.variable_start, s)) {
    in_code_ = true;
    tag_line_ = tok.line;
    tag_col_ = tok.col;
    tok.type = Tok::kVariableStart;
    tok.value = s;
    return true;
  }
  // The token's text is the source from here up to where it stops (or a
  // prefix of it, when lstripBlocks drops a line's indent).
  const std::size_t text_start = index_;
  std::size_t text_end = 0;
  bool in_comment = false;
  if (Matches(t.comment_start)) {
    in_comment = true;
    ExtractString(t.comment_start, s);
  }
  bool finished = false;
  for (;;) {
    ExtractUntil(begin_stop_, begin_chars_, &finished);
    if (finished) break;
    if ((Matches(t.block_start) || Matches(t.variable_start) || Matches(t.comment_start)) && !in_comment) {
      std::string_view text = Span(text_start, index_);
      if (opts_.lstrip_blocks && Matches(t.block_start) && col_ > 0) {
        // The current line's text before the tag, if all whitespace, goes.
        std::size_t line_start = text.rfind('\n');
        line_start = line_start == std::string::npos ? 0 : line_start + 1;
        std::string_view last = text.substr(line_start);
        bool white = !last.empty() && static_cast<int>(last.size()) <= col_;
        for (char c : last) {
          if (!(c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f')) white = false;
        }
        // nunjucks slices colno characters off the token; that equals the
        // current line only when the token holds the whole line.
        if (white && static_cast<int>(last.size()) == col_) {
          if (line_start == 0) return Next(tok);
          text_end = text_start + line_start;
        }
      }
      break;
    }
    if (Matches(t.comment_end)) {
      if (!in_comment) throw EngineError(ErrorKind::kSyntax, "unexpected end of comment", line_ + 1, col_ + 1);
      ExtractString(t.comment_end, s);
      break;
    }
    Forward();
  }
  if (finished && in_comment) {
    // Pointed at the comment's opening, which is what needs closing.
    throw EngineError(ErrorKind::kSyntax, "expected end of comment, got end of file (unterminated comment)", tok.line + 1,
                      tok.col + 1);
  }
  tok.type = in_comment ? Tok::kComment : Tok::kData;
  tok.value = Span(text_start, text_end ? text_end : index_);
  return true;
}

bool Lexer::ExtractRawTag(std::string_view tag_name, std::string& pre, bool& is_end, std::size_t& tag_start) {
  // Equivalent of /([\s\S]*?){%\s*(raw|endraw)\s*(?=%})%}/ from the current index.
  std::string end_name = "end" + std::string(tag_name);
  std::size_t pos = index_;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while ((pos = src_.find("{%", pos)) != std::string_view::npos) {
    std::size_t p = pos + 2;
    while (p < src_.size() && is_space(src_[p])) ++p;
    bool found = false;
    for (int which = 0; which < 2 && !found; ++which) {
      std::string_view name = which == 0 ? std::string_view(tag_name) : std::string_view(end_name);
      if (src_.substr(p, name.size()) != name) continue;
      std::size_t q = p + name.size();
      while (q < src_.size() && is_space(src_[q])) ++q;
      if (src_.substr(q, 2) == "%}") {
        found = true;
        is_end = which == 1;
        pre = std::string(src_.substr(index_, pos - index_));
        tag_start = pos;
        ForwardN(q + 2 - index_);
      }
    }
    if (found) return true;
    pos += 2;
  }
  return false;
}

}  // namespace idp::tmpl
