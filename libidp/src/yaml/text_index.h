// Line table of a YAML text: byte offset <-> 1-based line/column (columns in
// code points), and the search for document markers used to resume parsing
// after a syntax error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/source_map.h"

namespace idp::yaml {

class TextIndex {
 public:
  explicit TextIndex(std::string_view text);

  std::size_t line_count() const { return starts_.size(); }
  // Byte offset where the 0-based line starts (the text size past the end:
  // libyaml may count one more line, e.g. for a lone CR).
  std::size_t LineStart(std::size_t line0) const {
    return line0 < starts_.size() ? starts_[line0] : text_.size();
  }
  // 0-based line holding the byte offset.
  std::size_t LineOf(std::size_t offset) const;
  // 1-based mark of a byte offset (column counts UTF-8 lead bytes, so it is a
  // code point count on valid input and still sane on invalid input).
  Mark MarkOf(std::size_t offset) const;
  // First 0-based line >= from_line0 that starts with a `---` document
  // marker; line_count() if none.
  std::size_t NextDocumentMarker(std::size_t from_line0) const;
  // Last 0-based line in [lo, hi] that starts with a `---` marker; lo if none.
  std::size_t LastDocumentMarker(std::size_t lo, std::size_t hi) const;

 private:
  bool IsMarker(std::size_t line0) const;

  std::string_view text_;
  std::vector<std::size_t> starts_;
};

}  // namespace idp::yaml
