// SHA-1 (FIPS 180-4), for etags and generated location names: no crypto
// library is linked, and these hashes are identifiers, not security.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace idp {

class Sha1 {
 public:
  Sha1();
  void Update(std::string_view data);
  std::array<std::uint8_t, 20> Finish();

 private:
  void Block(const std::uint8_t* p);
  std::array<std::uint32_t, 5> h_;
  std::array<std::uint8_t, 64> buf_{};
  std::size_t buf_len_ = 0;
  std::uint64_t total_ = 0;
};

// Lower-case hex digest of `data`.
std::string Sha1Hex(std::string_view data);

}  // namespace idp
