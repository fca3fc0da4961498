/* Checks shared by the catalog C tests: CHECK (with idp_last_error()),
 * HAS (JSON text contains a fragment), and removing an SQLite file with its
 * WAL and shared-memory files. */
#ifndef IDP_TESTS_CAPI_CATALOG_CHECK_H
#define IDP_TESTS_CAPI_CATALOG_CHECK_H

#include <stdio.h>
#include <string.h>

#include "idp/idp.h"

static int failures = 0;

static inline void check(int ok, const char *what, const char *file, int line) {
  if (!ok) {
    fprintf(stderr, "%s:%d: CHECK failed: %s (%s)\n", file, line, what, idp_last_error() ? idp_last_error() : "");
    ++failures;
  }
}
#define CHECK(cond) check((cond) != 0, #cond, __FILE__, __LINE__)

static inline void check_has(const char *json, const char *needle, int line) {
  if (json == NULL || strstr(json, needle) == NULL) {
    fprintf(stderr, "%s:%d: expected %s in %s\n", __FILE__, line, needle, json ? json : "(null)");
    ++failures;
  }
}
#define HAS(json, needle) check_has((json), (needle), __LINE__)

static inline void remove_db(const char *db) {
  char extra[512];
  remove(db);
  snprintf(extra, sizeof extra, "%s-wal", db);
  remove(extra);
  snprintf(extra, sizeof extra, "%s-shm", db);
  remove(extra);
}

/* Writes `text` to dir/name, the path into out[size]; 0 on success. */
static inline int write_file(char *out, size_t size, const char *dir, const char *name, const char *text) {
  FILE *f;
  snprintf(out, size, "%s/%s", dir, name);
  f = fopen(out, "w");
  if (f == NULL) return -1;
  fputs(text, f);
  return fclose(f);
}

static inline int finish(void) {
  if (failures) fprintf(stderr, "%d failures\n", failures);
  return failures ? 1 : 0;
}

#endif
