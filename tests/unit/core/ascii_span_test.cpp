// The vector and word scans against a byte-by-byte reference, for every
// length up to 48 and a stop byte at every position (so every step and tail
// of the scans sees one), at every alignment.
#include "core/ascii_span.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

namespace idp {
namespace {

bool JsonPlainRef(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }
bool YamlPlainRef(unsigned char c) { return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r'; }

template <typename Plain>
std::size_t Reference(const std::string& s, Plain plain) {
  std::size_t i = 0;
  while (i < s.size() && plain(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

TEST(AsciiSpan, EveryByteAtEveryPositionAndAlignment) {
  const std::string filler = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN\t\n\r ~";
  std::string buffer(80, 'x');
  for (std::size_t length = 0; length <= 48; ++length) {
    for (std::size_t offset = 0; offset < 16; ++offset) {
      std::string text;
      for (std::size_t i = 0; i < length; ++i) text.push_back(filler[(i * 7 + offset) % filler.size()]);
      for (int byte = 0; byte < 256; ++byte) {
        for (std::size_t at = 0; at < length; at += (length > 20 ? 3 : 1)) {
          std::string t = text;
          t[at] = static_cast<char>(byte);
          buffer.replace(offset, t.size(), t);  // at `offset` from a 16-aligned start
          const char* p = buffer.data() + offset;
          ASSERT_EQ(JsonPlainAsciiSpan(p, t.size()), Reference(t, JsonPlainRef))
              << "json: length " << length << " byte " << byte << " at " << at << " offset " << offset;
          ASSERT_EQ(YamlPlainAsciiSpan(p, t.size()), Reference(t, YamlPlainRef))
              << "yaml: length " << length << " byte " << byte << " at " << at << " offset " << offset;
        }
      }
    }
  }
}

TEST(AsciiSpan, StopsExactlyAtTheFirstSpecialByte) {
  EXPECT_EQ(JsonPlainAsciiSpan("component:default/x\"y", 21), 19u);
  EXPECT_EQ(JsonPlainAsciiSpan("0123456789abcdef0123\x1f", 21), 20u);  // 0x1A-0x1F: RapidJSON's SSE2 bug
  EXPECT_EQ(JsonPlainAsciiSpan("0123456789abcdef\x7f", 17), 17u);     // DEL needs no escape in JSON
  EXPECT_EQ(YamlPlainAsciiSpan("key: value\n  x\t\r\n\x7f", 18), 17u);  // YAML refuses DEL
  EXPECT_EQ(YamlPlainAsciiSpan("caf\xc3\xa9", 5), 3u);
  EXPECT_EQ(JsonPlainAsciiSpan("", 0), 0u);
}

}  // namespace
}  // namespace idp
