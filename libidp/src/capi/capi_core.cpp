// Version, thread-local error detail and memory for the C ABI.
#include "capi/capi_util.h"

#include <cstdlib>

#include "idp/idp.h"

namespace idp::capi {

thread_local std::string t_last_error;  // per thread by design: the C ABI's error slot

void SetLastError(std::string message) { t_last_error = std::move(message); }
void ClearLastError() { t_last_error.clear(); }

char* CopyOut(std::string_view s) {
  auto* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

int CodeOf(const Status& status) {
  switch (status.code()) {
    case Code::kOk: return IDP_OK;
    case Code::kInvalidArgument: return IDP_EINVAL;
    case Code::kNotFound: return IDP_ENOTFOUND;
    case Code::kIo: return IDP_EIO;
    case Code::kParse: return IDP_EPARSE;
    case Code::kInvalid: return IDP_EINVALID;
    case Code::kLimit: return IDP_ELIMIT;
    case Code::kNotAllowed: return IDP_ENOTALLOWED;
    case Code::kInternal: return IDP_EINTERNAL;
  }
  return IDP_ERROR;
}

int Fail(const Status& status) {
  SetLastError(status.message());
  return CodeOf(status);
}

}  // namespace idp::capi

extern "C" {

IDP_API int idp_version_number(void) { return IDP_VERSION_NUMBER; }
IDP_API const char* idp_version(void) { return IDP_VERSION_STRING; }
IDP_API int idp_abi_version(void) { return IDP_ABI_VERSION; }
IDP_API const char* idp_last_error(void) { return idp::capi::t_last_error.c_str(); }
IDP_API void idp_free(void* ptr) { std::free(ptr); }

}  // extern "C"
