#include "core/sha1.h"

#include <openssl/evp.h>

#include <new>
#include <stdexcept>

namespace idp {

namespace {

// Fetched once: an implicit fetch per digest costs more than hashing a ref.
// The EVP_MD is immutable and shared by every thread.
const EVP_MD* Sha1Md() {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    return fetched != nullptr ? fetched : EVP_sha1();
  }();
  return md;
}

[[noreturn]] void Fail(const char* what) { throw std::runtime_error(std::string("SHA-1: ") + what); }

}  // namespace

void Sha1::CtxFree::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sha1::Sha1() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) throw std::bad_alloc();
  if (EVP_DigestInit_ex(ctx_.get(), Sha1Md(), nullptr) != 1) Fail("cannot initialise the digest");
}

void Sha1::Update(std::string_view data) {
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) Fail("cannot update the digest");
}

std::array<std::uint8_t, 20> Sha1::Finish() {
  std::array<std::uint8_t, 20> out{};
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), out.data(), &n) != 1 || n != out.size()) Fail("cannot finish the digest");
  return out;
}

std::string Sha1Hex(std::string_view data) {
  unsigned char digest[20];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &n, Sha1Md(), nullptr) != 1 || n != sizeof digest) {
    Fail("cannot compute the digest");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(40, '0');
  for (unsigned i = 0; i < 20; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace idp
