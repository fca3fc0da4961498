/* Checks shared by the catalog C tests: CHECK (with idp_last_error()),
 * HAS (JSON text contains a fragment), and removing an SQLite file with its
 * WAL and shared-memory files. */
#ifndef IDP_TESTS_CAPI_CATALOG_CHECK_H
#define IDP_TESTS_CAPI_CATALOG_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A temp dir holding `name` with `text`, and the path of a database next to
 * it; opts point at that database with the dir as the only allowed root
 * (roots[0] must outlive opts). 0 on success. */
static inline int catalog_fixture(char *dir, char *file, size_t file_size, char *db, size_t db_size,
                                  const char *name, const char *text, idp_catalog_options *opts,
                                  const char **roots) {
  if (mkdtemp(dir) == NULL || write_file(file, file_size, dir, name, text) != 0) return -1;
  snprintf(db, db_size, "%s/catalog.db", dir);
  opts->db_path = db;
  roots[0] = dir;
  opts->allowed_roots = roots;
  opts->allowed_roots_count = 1;
  return 0;
}

/* Removes what catalog_fixture made. */
static inline void remove_fixture(const char *dir, const char *file, const char *db) {
  remove(file);
  remove_db(db);
  rmdir(dir);
}

static inline int finish(void) {
  if (failures) fprintf(stderr, "%d failures\n", failures);
  return failures ? 1 : 0;
}

#endif
