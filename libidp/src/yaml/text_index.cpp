#include "yaml/text_index.h"

#include <algorithm>
#include <cstring>

namespace idp::yaml {

TextIndex::TextIndex(std::string_view text) : text_(text) {
  starts_.reserve(text.size() / 32 + 1);
  starts_.push_back(0);
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  for (const char* p = begin; p < end;) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (nl == nullptr) break;
    p = static_cast<const char*>(nl) + 1;
    starts_.push_back(static_cast<std::size_t>(p - begin));
  }
}

std::size_t TextIndex::LineOf(std::size_t offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<std::size_t>(it - starts_.begin()) - 1;
}

Mark TextIndex::MarkOf(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const std::size_t line = LineOf(offset);
  std::uint32_t column = 1;
  for (std::size_t i = starts_[line]; i < offset; ++i) {
    if ((static_cast<unsigned char>(text_[i]) & 0xC0u) != 0x80u) ++column;
  }
  return {static_cast<std::uint32_t>(line + 1), column};
}

bool TextIndex::IsMarker(std::size_t line) const {
  const std::string_view rest = text_.substr(starts_[line]);
  if (rest.substr(0, 3) != "---") return false;
  if (rest.size() == 3) return true;
  const char c = rest[3];
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::size_t TextIndex::NextDocumentMarker(std::size_t from_line0) const {
  for (std::size_t line = from_line0; line < starts_.size(); ++line) {
    if (IsMarker(line)) return line;
  }
  return starts_.size();
}

std::size_t TextIndex::LastDocumentMarker(std::size_t lo, std::size_t hi) const {
  for (std::size_t line = std::min(hi, starts_.size() - 1); line > lo; --line) {
    if (IsMarker(line)) return line;
  }
  return lo;
}

}  // namespace idp::yaml
