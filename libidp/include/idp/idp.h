/*
 * libidp: the C ABI (v1).
 *
 * Conventions (as SQLite, libgit2, LevelDB's c.h):
 *  - every symbol starts with idp_, then the module, then the verb;
 *  - functions return an int result code (IDP_OK = 0, negative = error);
 *    the detail of the last error on the calling thread is idp_last_error();
 *  - outputs come first in the parameter list;
 *  - memory returned to the caller is freed with idp_free() (or the
 *    idp_*_free() of its handle type); all of them accept NULL;
 *  - option structs carry a version and are initialised with IDP_*_OPTIONS_INIT;
 *  - no C++ exception ever crosses this interface.
 * Thread safety: every function here may be called from any thread at once,
 * unless the object it works on says otherwise.
 */
#ifndef IDP_H
#define IDP_H

#include <stddef.h>
#include <stdint.h>

#include "idp/idp_version.h"

#if defined(_WIN32)
#  if defined(IDP_BUILDING_LIBRARY)
#    define IDP_API __declspec(dllexport)
#  else
#    define IDP_API __declspec(dllimport)
#  endif
#else
#  define IDP_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- result codes ------------------------------------------------------ */
enum {
  IDP_OK = 0,
  IDP_ERROR = -1,           /* unspecified failure */
  IDP_EINVAL = -2,          /* invalid argument (NULL where not allowed, bad option version, ...) */
  IDP_ENOTFOUND = -3,
  IDP_EIO = -4,             /* file system or network */
  IDP_EPARSE = -5,          /* malformed input (YAML, JSON, entity ref) */
  IDP_EINVALID = -6,        /* well-formed input that breaks a rule */
  IDP_ELIMIT = -7,          /* a configured limit was reached */
  IDP_ENOTALLOWED = -8,     /* outside allowed roots or allowlists */
  IDP_ENOMEM = -9,
  IDP_EINTERNAL = -10
};

/* ---- version ----------------------------------------------------------- */
/* The run-time version: compare with IDP_VERSION_NUMBER / IDP_VERSION_STRING. */
IDP_API int idp_version_number(void);
IDP_API const char *idp_version(void);
IDP_API int idp_abi_version(void);

/* ---- errors and memory ------------------------------------------------- */
/* The message of the last failed call on this thread ("" if none). Valid
 * until the next idp_ call on the same thread. Never NULL. */
IDP_API const char *idp_last_error(void);
/* Frees memory that libidp returned. Accepts NULL. */
IDP_API void idp_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* IDP_H */
