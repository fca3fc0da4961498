#include "core/ascii_span.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace idp {
namespace {

bool JsonPlain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }
bool YamlPlain(unsigned char c) { return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r'; }

// Non-zero when some byte of w stops a JSON span (a SWAR test: the borrow of
// `x - 0x01..` reaches a byte's high bit only from a byte below the bound).
template <typename Word>
Word JsonStopsWord(Word w) {
  constexpr Word kOnes = static_cast<Word>(0x0101010101010101ull);
  constexpr Word kHigh = static_cast<Word>(0x8080808080808080ull);
  const auto has_zero = [](Word x) { return static_cast<Word>((x - kOnes) & ~x & kHigh); };
  const Word below_space = static_cast<Word>((w - kOnes * 0x20) & ~w & kHigh);
  return below_space | (w & kHigh) | has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\'));
}

template <typename Word>
bool JsonPlainWord(const char* p) {
  Word w = 0;
  std::memcpy(&w, p, sizeof w);
  return JsonStopsWord(w) == 0;
}

// JSON strings are mostly short (refs, names, keys): two overlapping words
// cover 4 to 16 bytes; a stop inside them is then found byte by byte.
std::size_t JsonTail(const char* s, std::size_t i, std::size_t n) {
  for (; i + 8 <= n; i += 8) {
    if (!JsonPlainWord<std::uint64_t>(s + i)) break;
  }
  const std::size_t left = n - i;
  if (left >= 4 && left < 8 && JsonPlainWord<std::uint32_t>(s + i) && JsonPlainWord<std::uint32_t>(s + n - 4)) {
    return n;
  }
  while (i < n && JsonPlain(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

std::size_t YamlTail(const char* s, std::size_t i, std::size_t n) {
  while (i < n && YamlPlain(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

#if defined(__SSE2__)
// Masks of the bytes in v that stop a span (bit i: byte i).
unsigned JsonStops(__m128i v) {
  // Signed compare: 0x00-0x1F and 0x80-0xFF (negative) are both below 0x20.
  const __m128i low_or_high = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
  const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(low_or_high, _mm_or_si128(quote, backslash))));
}
unsigned YamlStops(__m128i v) {
  const __m128i low_or_high = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
  const __m128i allowed = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
  const __m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_andnot_si128(allowed, low_or_high), del)));
}

template <unsigned (*Stops)(__m128i), std::size_t (*Tail)(const char*, std::size_t, std::size_t)>
std::size_t Span(const char* s, std::size_t n) {
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    if (const unsigned m = Stops(v); m != 0) return i + static_cast<std::size_t>(__builtin_ctz(m));
  }
  if (i == n) return n;
  if (n < 16) return Tail(s, i, n);
  // The last 16 bytes, overlapping what was checked: only the new bits count.
  const unsigned seen = static_cast<unsigned>(16 - (n - i));
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16));
  const unsigned m = Stops(v) >> seen;
  return m == 0 ? n : i + static_cast<std::size_t>(__builtin_ctz(m));
}
#endif

}  // namespace

#if defined(__SSE2__)
std::size_t JsonPlainAsciiSpan(const char* s, std::size_t n) { return Span<JsonStops, JsonTail>(s, n); }
std::size_t YamlPlainAsciiSpan(const char* s, std::size_t n) { return Span<YamlStops, YamlTail>(s, n); }
#else
std::size_t JsonPlainAsciiSpan(const char* s, std::size_t n) { return JsonTail(s, 0, n); }
std::size_t YamlPlainAsciiSpan(const char* s, std::size_t n) { return YamlTail(s, 0, n); }
#endif

}  // namespace idp
