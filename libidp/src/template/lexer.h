// Tokenizer: a faithful port of nunjucks 3.2.4's lexer (lazy, one token at a
// time, positions in UTF-16 code units as JS counts them), parameterised by the
// tag delimiters so the same code serves `${{ }}` and cookiecutter `{{ }}`.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>

namespace idp::tmpl {

enum class Tok : std::uint8_t {
  kString, kWhitespace, kData, kBlockStart, kBlockEnd, kVariableStart, kVariableEnd,
  kComment, kLeftParen, kRightParen, kLeftBracket, kRightBracket, kLeftCurly,
  kRightCurly, kOperator, kComma, kColon, kTilde, kPipe, kInt, kFloat, kBoolean,
  kNone, kSymbol, kRegex,
};

// nunjucks' token type names, used in its error messages.
const char* TokName(Tok t);

// Plain and trivially copyable: the text is a view into the source, or for
// a string literal with escapes into the lexer's own storage, so it lives as
// long as the lexer (the parser copies what it keeps).
struct Token {
  Tok type = Tok::kData;
  std::string_view value;  // for kRegex: the body
  std::string_view flags;  // kRegex only
  int line = 0;        // 0-based, as nunjucks keeps them
  int col = 0;
};

struct Tags {
  std::string block_start = "{%";
  std::string block_end = "%}";
  std::string variable_start = "${{";
  std::string variable_end = "}}";
  std::string comment_start = "{#";
  std::string comment_end = "#}";
};

struct LexOptions {
  Tags tags;
  bool trim_blocks = false;
  bool lstrip_blocks = false;
};

class Lexer {
 public:
  Lexer(std::string_view src, LexOptions opts);
  // False at end of input; throws EngineError on lexical errors.
  bool Next(Token& tok);
  const Tags& tags() const { return opts_.tags; }

  // For {% raw %}: finds the next `{% raw %}`/`{% endraw %}` (tagName given)
  // from the current position. On success, `pre` is the text before it, `is_end`
  // tells which one was found, and the lexer stands after the tag.
  bool ExtractRawTag(std::string_view tag_name, std::string& pre, bool& is_end, std::size_t& tag_start);
  // Moves back to an earlier byte offset (recomputing line and column).
  void Rewind(std::size_t index);

  struct State {
    std::size_t index;
    int line;
    int col;
    bool in_code;
  };
  State Save() const { return {index_, line_, col_, in_code_}; }
  void Restore(const State& s) {
    index_ = s.index;
    line_ = s.line;
    col_ = s.col;
    in_code_ = s.in_code;
  }
  std::size_t index() const { return index_; }
  // The current position (0-based) and, while inside a tag, where it opened:
  // what an error at the end of input can point at.
  int line() const { return line_; }
  int col() const { return col_; }
  // Line and column (0-based) just past the last character of the input.
  std::pair<int, int> EndPosition() const;
  bool in_code() const { return in_code_; }
  int tag_line() const { return tag_line_; }
  int tag_col() const { return tag_col_; }
  std::string_view Slice(std::size_t from, std::size_t to) const { return src_.substr(from, to - from); }

 private:
  bool Finished() const { return index_ >= src_.size(); }
  std::uint32_t Current() const;
  std::uint32_t Previous() const;
  std::size_t CharLen(std::size_t at) const;
  void Forward();
  void ForwardN(std::size_t bytes);
  bool Matches(std::string_view s) const;
  bool ExtractString(std::string_view s, std::string_view& out);
  std::string_view ExtractUntil(const std::array<bool, 256>& stop, std::string_view chars, bool* finished);
  std::string_view Extract(std::string_view chars);
  std::string_view ParseString(char delim);
  // src_[from, to), clamped: an unterminated string moves the index past the end.
  std::string_view Span(std::size_t from, std::size_t to) const;
  bool InSet(std::uint32_t c, std::string_view chars) const;

  std::string_view src_;
  LexOptions opts_;
  std::size_t index_ = 0;
  int line_ = 0;
  int col_ = 0;
  bool in_code_ = false;
  int tag_line_ = 0;
  int tag_col_ = 0;
  // Delimiter strings derived from the tags once, not on every token.
  std::string block_start_dash_, variable_start_dash_, block_end_dash_, variable_end_dash_;
  std::string begin_chars_, word_end_chars_;
  // Bytes at which ExtractUntil leaves its fast loop: the stop characters,
  // and what needs decoding or line counting (line feed, non-ASCII).
  std::array<bool, 256> begin_stop_{}, word_end_stop_{};
  // Decoded string literals that differ from their source text (escapes).
  std::deque<std::string> decoded_;
};

}  // namespace idp::tmpl
