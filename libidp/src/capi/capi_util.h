// Helpers shared by the C ABI translation units: error detail, copies out,
// and the guard that keeps C++ exceptions from crossing the ABI.
#pragma once

#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>

#include "core/status.h"
#include "idp/idp.h"

namespace idp::capi {

void SetLastError(std::string message);
void ClearLastError();
// malloc'ed NUL-terminated copy, freed by idp_free; NULL when out of memory.
char* CopyOut(std::string_view s);
int CodeOf(const Status& status);
// Records the status as the thread's last error and returns its code.
int Fail(const Status& status);

// Runs fn() (returning an int result code) with every exception turned into
// a result code and a last-error message.
template <typename Fn>
int Guard(Fn&& fn) noexcept {
  try {
    ClearLastError();
    return fn();
  } catch (const std::bad_alloc&) {
    SetLastError("out of memory");
    return IDP_ENOMEM;
  } catch (const std::exception& e) {
    SetLastError(std::string("internal error: ") + e.what());
    return IDP_EINTERNAL;
  } catch (...) {
    SetLastError("internal error");
    return IDP_EINTERNAL;
  }
}

}  // namespace idp::capi
