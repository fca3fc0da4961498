// SHA-1, for etags, content hashes and generated location names (identifiers,
// not security). OpenSSL's libcrypto computes it: the SHA extensions where the
// CPU has them, 3 to 12 times our portable code on this machine.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace idp {

class Sha1 {
 public:
  Sha1();  // throws std::bad_alloc when OpenSSL cannot make a context
  void Update(std::string_view data);
  std::array<std::uint8_t, 20> Finish();

 private:
  struct CtxFree {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  std::unique_ptr<evp_md_ctx_st, CtxFree> ctx_;
};

// Lower-case hex digest of `data`.
std::string Sha1Hex(std::string_view data);

}  // namespace idp
