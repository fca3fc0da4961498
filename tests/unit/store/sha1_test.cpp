#include "core/sha1.h"

#include <gtest/gtest.h>

#include <string>

namespace idp::store {
namespace {

TEST(Sha1, StandardVectors) {
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(Sha1Hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(Sha1, IncrementalEqualsOneShot) {
  Sha1 s;
  s.Update("The quick brown fox ");
  s.Update("jumps over the lazy dog");
  auto d = s.Finish();
  EXPECT_EQ(d[0], 0x2f);
  EXPECT_EQ(Sha1Hex("The quick brown fox jumps over the lazy dog"), "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
}

}  // namespace
}  // namespace idp::store
