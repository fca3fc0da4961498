/*
 * The C ABI of libidp exercised from plain C (C11), linked against libidp.so:
 * versions, errors, NULL handling, options, validation, entity references and
 * validation from several threads at once. Prints `N passed, M failed` last;
 * exits non-zero when anything failed.
 */
#include <idp/idp.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int g_passed;
static int g_failed;

static int check(int ok, const char *what, const char *file, int line) {
  if (ok) {
    ++g_passed;
  } else {
    ++g_failed;
    fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
  }
  return ok;
}

#define CHECK(cond) check((cond) != 0, #cond, __FILE__, __LINE__)

static int check_str(const char *actual, const char *expected, const char *what, const char *file,
                     int line) {
  int ok = actual != NULL && expected != NULL && strcmp(actual, expected) == 0;
  if (!ok) {
    fprintf(stderr, "%s:%d: FAILED: %s\n  expected: %s\n  actual:   %s\n", file, line, what,
            expected != NULL ? expected : "(NULL)", actual != NULL ? actual : "(NULL)");
  }
  return check(ok, what, file, line);
}
#define CHECK_STR(actual, expected) check_str((actual), (expected), #actual, __FILE__, __LINE__)

static int check_contains(const char *haystack, const char *needle, const char *what,
                          const char *file, int line) {
  int ok = haystack != NULL && strstr(haystack, needle) != NULL;
  if (!ok) {
    fprintf(stderr, "%s:%d: FAILED: %s does not contain %s\n  in: %s\n", file, line, what, needle,
            haystack != NULL ? haystack : "(NULL)");
  }
  return check(ok, what, file, line);
}
#define CHECK_CONTAINS(haystack, needle) \
  check_contains((haystack), (needle), #haystack, __FILE__, __LINE__)

/* ---- small helpers over the JSON lines ---------------------------------- */

/* Number of lines in s ("" has none). */
static size_t count_lines(const char *s) {
  size_t n = 0;
  if (s == NULL || *s == '\0') return 0;
  for (n = 1; *s != '\0'; ++s) {
    if (*s == '\n') ++n;
  }
  return n;
}

/* Copies line `index` (0-based) of s into a new malloc'ed string; NULL if none. */
static char *line_at(const char *s, size_t index) {
  const char *end;
  char *out;
  size_t len;
  if (s == NULL) return NULL;
  while (index > 0) {
    s = strchr(s, '\n');
    if (s == NULL) return NULL;
    ++s;
    --index;
  }
  end = strchr(s, '\n');
  len = end != NULL ? (size_t)(end - s) : strlen(s);
  out = malloc(len + 1);
  if (out == NULL) return NULL;
  memcpy(out, s, len);
  out[len] = '\0';
  return out;
}

/* The raw JSON text of the first member `key` in line (a string with its
 * quotes, a number, true/false/null, or the opening of an array/object up to
 * its matching close), in buf. Returns buf, or "(missing)" when absent. */
static const char *field(const char *line, const char *key, char *buf, size_t size) {
  char pattern[64];
  const char *p;
  const char *q;
  size_t len;
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  p = line != NULL ? strstr(line, pattern) : NULL;
  if (p == NULL) return "(missing)";
  p += strlen(pattern);
  while (*p == ' ') ++p;
  q = p;
  if (*q == '"') {
    for (++q; *q != '\0' && *q != '"'; ++q) {
      if (*q == '\\' && q[1] != '\0') ++q;
    }
    if (*q == '"') ++q;
  } else if (*q == '[' || *q == '{') {
    int depth = 0;
    int in_string = 0;
    for (; *q != '\0'; ++q) {
      if (in_string) {
        if (*q == '\\' && q[1] != '\0') ++q;
        else if (*q == '"') in_string = 0;
      } else if (*q == '"') {
        in_string = 1;
      } else if (*q == '[' || *q == '{') {
        ++depth;
      } else if (*q == ']' || *q == '}') {
        if (--depth == 0) {
          ++q;
          break;
        }
      }
    }
  } else {
    while (*q != '\0' && *q != ',' && *q != '}' && *q != ']') ++q;
  }
  len = (size_t)(q - p);
  if (len >= size) len = size - 1;
  memcpy(buf, p, len);
  buf[len] = '\0';
  return buf;
}

#define FIELD(line, key) field((line), (key), fieldbuf, sizeof fieldbuf)

/* Validates NUL-terminated text with the given options. */
static int validate(char **out, int *valid, const char *text, const idp_validate_options *opts) {
  return idp_validate_text(out, valid, text, strlen(text), opts);
}

/* ---- test data ---------------------------------------------------------- */

static const char kValidComponent[] =
    "apiVersion: backstage.io/v1alpha1\n"
    "kind: Component\n"
    "metadata:\n"
    "  name: web\n"
    "spec:\n"
    "  type: service\n"
    "  lifecycle: production\n"
    "  owner: team-a\n";

static const char kBadName[] =
    "apiVersion: backstage.io/v1alpha1\n"
    "kind: Component\n"
    "metadata:\n"
    "  name: 'bad name!'\n"
    "spec:\n"
    "  type: service\n"
    "  lifecycle: production\n"
    "  owner: team-a\n";

static const char kYamlError[] =
    "apiVersion: backstage.io/v1alpha1\n"
    "kind: Component\n"
    "metadata: {name: web\n";

/* Three entities: valid, invalid (a dependency without kind), valid; then an
 * empty document. */
static const char kMultiDoc[] =
    "apiVersion: backstage.io/v1alpha1\n"
    "kind: Component\n"
    "metadata:\n"
    "  name: web\n"
    "spec:\n"
    "  type: service\n"
    "  lifecycle: production\n"
    "  owner: team-a\n"
    "---\n"
    "apiVersion: backstage.io/v1alpha1\n"
    "kind: Component\n"
    "metadata:\n"
    "  name: api-gw\n"
    "spec:\n"
    "  type: service\n"
    "  lifecycle: production\n"
    "  owner: team-a\n"
    "  dependsOn: [db]\n"
    "---\n"
    "apiVersion: backstage.io/v1alpha1\n"
    "kind: Group\n"
    "metadata:\n"
    "  name: team-a\n"
    "  namespace: platform\n"
    "spec:\n"
    "  type: team\n"
    "  children: []\n"
    "---\n";

/* Two valid entities and an empty document (which Backstage skips). */
static const char kAllValid[] =
    "---\n"
    "# nothing here\n"
    "---\n"
    "apiVersion: backstage.io/v1alpha1\n"
    "kind: System\n"
    "metadata:\n"
    "  name: shop\n"
    "spec:\n"
    "  owner: team-a\n"
    "---\n"
    "apiVersion: backstage.io/v1alpha1\n"
    "kind: Component\n"
    "metadata:\n"
    "  name: web\n"
    "spec:\n"
    "  type: website\n"
    "  lifecycle: experimental\n"
    "  owner: team-a\n"
    "  system: shop\n";

/* ---- tests -------------------------------------------------------------- */

static void test_version(void) {
  char expected[64];
  CHECK(idp_version_number() == IDP_VERSION_NUMBER);
  CHECK(IDP_VERSION_NUMBER == IDP_VERSION_MAJOR * 1000000 + IDP_VERSION_MINOR * 1000 + IDP_VERSION_PATCH);
  CHECK(idp_version() != NULL);
  CHECK_STR(idp_version(), IDP_VERSION_STRING);
  snprintf(expected, sizeof expected, "%d.%d.%d", IDP_VERSION_MAJOR, IDP_VERSION_MINOR,
           IDP_VERSION_PATCH);
  CHECK_STR(idp_version(), expected);
  CHECK(idp_abi_version() == IDP_ABI_VERSION);
  CHECK(IDP_ABI_VERSION == 1);
}

static void test_last_error(void) {
  idp_entity_ref *ref = NULL;
  char *out = NULL;
  CHECK(idp_last_error() != NULL);
  /* A failure sets it... */
  CHECK(idp_entity_ref_parse(&ref, "component:", NULL, NULL) == IDP_EPARSE);
  CHECK(ref == NULL);
  CHECK(idp_last_error() != NULL);
  CHECK_CONTAINS(idp_last_error(), "component:");
  /* ...a success clears it... */
  CHECK(idp_entity_ref_stringify(&out, "Component", NULL, "web") == IDP_OK);
  CHECK_STR(idp_last_error(), "");
  idp_free(out);
  /* ...and a different failure replaces it. */
  CHECK(idp_validate_options_init(NULL, IDP_VALIDATE_OPTIONS_VERSION) == IDP_EINVAL);
  CHECK(strlen(idp_last_error()) > 0);
  CHECK(strstr(idp_last_error(), "component:") == NULL);
}

static void test_null_handling(void) {
  char *out = (char *)"sentinel";
  int valid = 7;
  idp_entity_ref *ref = (idp_entity_ref *)&valid; /* any non-NULL value */
  idp_free(NULL);
  idp_entity_ref_free(NULL);
  CHECK(idp_entity_ref_kind(NULL) == NULL);
  CHECK(idp_entity_ref_namespace(NULL) == NULL);
  CHECK(idp_entity_ref_name(NULL) == NULL);

  CHECK(idp_validate_text(NULL, &valid, "a: 1\n", 5, NULL) == IDP_EINVAL);
  CHECK(valid == 0);
  CHECK_CONTAINS(idp_last_error(), "out_jsonl");
  CHECK(idp_validate_text(&out, NULL, "a: 1\n", 5, NULL) == IDP_EINVAL);
  CHECK(out == NULL);
  CHECK_CONTAINS(idp_last_error(), "out_valid");
  out = (char *)"sentinel";
  valid = 7;
  CHECK(idp_validate_text(&out, &valid, NULL, 5, NULL) == IDP_EINVAL);
  CHECK(out == NULL && valid == 0);
  CHECK_CONTAINS(idp_last_error(), "text");
  /* NULL text of length 0 is the empty file: no documents, valid. */
  CHECK(idp_validate_text(&out, &valid, NULL, 0, NULL) == IDP_OK);
  CHECK_STR(out, "");
  CHECK(valid == 1);
  idp_free(out);

  CHECK(idp_validate_file(NULL, &valid, "x.yaml", NULL) == IDP_EINVAL);
  CHECK(idp_validate_file(&out, NULL, "x.yaml", NULL) == IDP_EINVAL);
  out = (char *)"sentinel";
  CHECK(idp_validate_file(&out, &valid, NULL, NULL) == IDP_EINVAL);
  CHECK(out == NULL);
  CHECK_CONTAINS(idp_last_error(), "path");

  CHECK(idp_entity_ref_parse(NULL, "component:web", NULL, NULL) == IDP_EINVAL);
  CHECK(idp_entity_ref_parse(&ref, NULL, NULL, NULL) == IDP_EINVAL);
  CHECK(ref == NULL);
  CHECK(idp_entity_ref_stringify(NULL, "component", NULL, "web") == IDP_EINVAL);
  out = (char *)"sentinel";
  CHECK(idp_entity_ref_stringify(&out, NULL, NULL, "web") == IDP_EINVAL);
  CHECK(out == NULL);
  CHECK(idp_entity_ref_stringify(&out, "component", NULL, NULL) == IDP_EINVAL);
  CHECK(idp_entity_ref_canonicalize(NULL, "component:web", NULL, NULL) == IDP_EINVAL);
  out = (char *)"sentinel";
  CHECK(idp_entity_ref_canonicalize(&out, NULL, NULL, NULL) == IDP_EINVAL);
  CHECK(out == NULL);
}

static void test_options(void) {
  idp_validate_options init = IDP_VALIDATE_OPTIONS_INIT;
  idp_validate_options opts;
  char *out = NULL;
  int valid = 0;

  CHECK(IDP_VALIDATE_OPTIONS_VERSION == 1);
  CHECK(init.version == IDP_VALIDATE_OPTIONS_VERSION);
  CHECK(init.file_label == NULL && init.location_type == NULL && init.placeholder_root == NULL);
  CHECK(init.max_depth == 0 && init.max_alias_count == 0 && init.max_document_bytes == 0);

  memset(&opts, 0xA5, sizeof opts);
  CHECK(idp_validate_options_init(&opts, IDP_VALIDATE_OPTIONS_VERSION) == IDP_OK);
  CHECK(opts.version == IDP_VALIDATE_OPTIONS_VERSION);
  CHECK(opts.file_label == NULL && opts.location_type == NULL && opts.placeholder_root == NULL);
  CHECK(opts.max_depth == 0 && opts.max_alias_count == 0 && opts.max_document_bytes == 0);

  CHECK(idp_validate_options_init(&opts, 0) == IDP_EINVAL);
  CHECK_CONTAINS(idp_last_error(), "version");
  CHECK(idp_validate_options_init(&opts, IDP_VALIDATE_OPTIONS_VERSION + 1) == IDP_EINVAL);
  CHECK_CONTAINS(idp_last_error(), "version");
  CHECK(idp_validate_options_init(NULL, IDP_VALIDATE_OPTIONS_VERSION) == IDP_EINVAL);

  /* Options of an unknown version are refused by the functions too. */
  init.version = 99;
  out = (char *)"sentinel";
  CHECK(validate(&out, &valid, kValidComponent, &init) == IDP_EINVAL);
  CHECK(out == NULL);
  CHECK_CONTAINS(idp_last_error(), "99");
  CHECK(idp_validate_file(&out, &valid, "does-not-matter.yaml", &init) == IDP_EINVAL);
  CHECK_CONTAINS(idp_last_error(), "version");
}

static void test_validate_valid(void) {
  idp_validate_options opts = IDP_VALIDATE_OPTIONS_INIT;
  char fieldbuf[4096];
  char *out = NULL;
  int valid = 0;

  /* Defaults (NULL options): the label is "<input>". */
  CHECK(validate(&out, &valid, kValidComponent, NULL) == IDP_OK);
  CHECK(valid == 1);
  CHECK(count_lines(out) == 1);
  CHECK_STR(FIELD(out, "file"), "\"<input>\"");
  CHECK_STR(FIELD(out, "index"), "0");
  CHECK_STR(FIELD(out, "line"), "1");
  CHECK_STR(FIELD(out, "kind"), "\"Component\"");
  CHECK_STR(FIELD(out, "name"), "\"web\"");
  CHECK_STR(FIELD(out, "ref"), "\"component:default/web\"");
  CHECK_STR(FIELD(out, "valid"), "true");
  CHECK_STR(FIELD(out, "fileOk"), "true");
  CHECK_STR(FIELD(out, "fileFatal"), "false");
  CHECK_STR(FIELD(out, "stage"), "null");
  CHECK_STR(FIELD(out, "error"), "null");
  CHECK_STR(FIELD(out, "errors"), "[]");
  CHECK_CONTAINS(FIELD(out, "relations"),
                 "{\"source\":\"component:default/web\",\"type\":\"ownedBy\","
                 "\"target\":\"group:default/team-a\"}");
  CHECK_CONTAINS(FIELD(out, "relations"),
                 "{\"source\":\"group:default/team-a\",\"type\":\"ownerOf\","
                 "\"target\":\"component:default/web\"}");
  idp_free(out);

  /* The label given in the options names the file. */
  opts.file_label = "catalog-info.yaml";
  CHECK(validate(&out, &valid, kValidComponent, &opts) == IDP_OK);
  CHECK(valid == 1);
  CHECK_STR(FIELD(out, "file"), "\"catalog-info.yaml\"");
  idp_free(out);

  /* Only `length` bytes count: the text need not be NUL-terminated. */
  {
    size_t n = strlen(kValidComponent);
    char *buf = malloc(n + 16);
    CHECK(buf != NULL);
    if (buf != NULL) {
      memcpy(buf, kValidComponent, n);
      memcpy(buf + n, "  : ][ {{ bad", 13); /* garbage past the end, no NUL */
      CHECK(idp_validate_text(&out, &valid, buf, n, NULL) == IDP_OK);
      CHECK(valid == 1);
      CHECK_STR(FIELD(out, "valid"), "true");
      idp_free(out);
      CHECK(idp_validate_text(&out, &valid, buf, n + 13, NULL) == IDP_OK);
      CHECK(valid == 0);
      CHECK_STR(FIELD(out, "stage"), "\"yaml\"");
      idp_free(out);
      free(buf);
    }
  }
}

static void test_validate_invalid(void) {
  char fieldbuf[4096];
  char *out = NULL;
  int valid = 1;

  CHECK(validate(&out, &valid, kBadName, NULL) == IDP_OK);
  CHECK(valid == 0);
  CHECK(count_lines(out) == 1);
  CHECK_STR(FIELD(out, "valid"), "false");
  CHECK_STR(FIELD(out, "stage"), "\"policy\"");
  CHECK_STR(FIELD(out, "fileOk"), "true");
  CHECK_CONTAINS(FIELD(out, "error"), "metadata.name");
  CHECK_CONTAINS(FIELD(out, "errors"), "metadata.name");
  CHECK_STR(FIELD(out, "relations"), "[]");
  CHECK_STR(idp_last_error(), ""); /* an invalid entity is not a failed call */
  idp_free(out);

  valid = 1;
  CHECK(validate(&out, &valid, kYamlError, NULL) == IDP_OK);
  CHECK(valid == 0);
  CHECK(count_lines(out) == 1);
  CHECK_STR(FIELD(out, "valid"), "false");
  CHECK_STR(FIELD(out, "stage"), "\"yaml\"");
  CHECK_STR(FIELD(out, "fileOk"), "false");
  CHECK_STR(FIELD(out, "fileFatal"), "true");
  CHECK(strcmp(FIELD(out, "error"), "null") != 0);
  idp_free(out);

  /* A root that is not an object is file-fatal. */
  valid = 1;
  CHECK(validate(&out, &valid, "- just\n- a list\n", NULL) == IDP_OK);
  CHECK(valid == 0);
  CHECK_STR(FIELD(out, "stage"), "\"root-not-object\"");
  CHECK_STR(FIELD(out, "fileOk"), "false");
  idp_free(out);
}

/* 1 when s is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
static int is_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p != 0) {
    unsigned long cp;
    int len;
    int k;
    if (*p < 0x80) {
      ++p;
      continue;
    }
    if ((*p & 0xE0) == 0xC0) len = 2, cp = *p & 0x1Fu;
    else if ((*p & 0xF0) == 0xE0) len = 3, cp = *p & 0x0Fu;
    else if ((*p & 0xF8) == 0xF0) len = 4, cp = *p & 0x07u;
    else return 0;
    for (k = 1; k < len; ++k) {
      if ((p[k] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (p[k] & 0x3Fu);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return 0;
    }
    p += len;
  }
  return 1;
}

static void test_validate_invalid_utf8(void) {
  static const char text[] =
      "apiVersion: backstage.io/v1alpha1\n"
      "kind: Component\n"
      "metadata:\n"
      "  name: web\n"
      "  title: \"Caf\xFF and \xE2\x82\"\n"
      "spec:\n"
      "  type: service\n"
      "  lifecycle: production\n"
      "  owner: team-a\n";
  char *out = NULL;
  int valid = 1;
  CHECK(validate(&out, &valid, text, NULL) == IDP_OK);
  CHECK(valid == 0);
  CHECK(out != NULL && is_utf8(out));
  CHECK(out != NULL && strchr(out, '\xFF') == NULL);
  CHECK_CONTAINS(out, "\xEF\xBF\xBD"); /* U+FFFD where a byte was not UTF-8 */
  idp_free(out);
  CHECK(validate(&out, &valid, kMultiDoc, NULL) == IDP_OK);
  CHECK(out != NULL && is_utf8(out));
  idp_free(out);
}

static void test_validate_multi_doc(void) {
  char fieldbuf[4096];
  char *out = NULL;
  char *line = NULL;
  int valid = 1;

  CHECK(validate(&out, &valid, kMultiDoc, NULL) == IDP_OK);
  CHECK(valid == 0);
  CHECK(count_lines(out) == 4);
  CHECK(out != NULL && out[strlen(out) - 1] != '\n'); /* joined, no trailing newline */

  line = line_at(out, 0);
  CHECK_STR(FIELD(line, "index"), "0");
  CHECK_STR(FIELD(line, "ref"), "\"component:default/web\"");
  CHECK_STR(FIELD(line, "valid"), "true");
  CHECK_STR(FIELD(line, "fileOk"), "true");
  free(line);

  line = line_at(out, 1);
  CHECK_STR(FIELD(line, "index"), "1");
  CHECK_STR(FIELD(line, "line"), "10");
  CHECK_STR(FIELD(line, "ref"), "\"component:default/api-gw\"");
  CHECK_STR(FIELD(line, "valid"), "false");
  CHECK_STR(FIELD(line, "stage"), "\"postprocess\"");
  CHECK_CONTAINS(FIELD(line, "error"), "had missing or empty kind");
  free(line);

  line = line_at(out, 2);
  CHECK_STR(FIELD(line, "index"), "2");
  CHECK_STR(FIELD(line, "kind"), "\"Group\"");
  CHECK_STR(FIELD(line, "ref"), "\"group:platform/team-a\"");
  CHECK_STR(FIELD(line, "valid"), "true");
  free(line);

  line = line_at(out, 3);
  CHECK_STR(FIELD(line, "index"), "3");
  CHECK_STR(FIELD(line, "stage"), "\"ignored\"");
  free(line);
  CHECK(line_at(out, 4) == NULL);
  idp_free(out);

  /* Every entity valid, plus an empty document: valid overall. */
  valid = 0;
  CHECK(validate(&out, &valid, kAllValid, NULL) == IDP_OK);
  CHECK(valid == 1);
  CHECK(count_lines(out) == 3);
  line = line_at(out, 0);
  CHECK_STR(FIELD(line, "stage"), "\"ignored\"");
  free(line);
  line = line_at(out, 1);
  CHECK_STR(FIELD(line, "ref"), "\"system:default/shop\"");
  CHECK_STR(FIELD(line, "valid"), "true");
  free(line);
  line = line_at(out, 2);
  CHECK_STR(FIELD(line, "ref"), "\"component:default/web\"");
  CHECK_CONTAINS(FIELD(line, "relations"), "\"type\":\"partOf\",\"target\":\"system:default/shop\"");
  free(line);
  idp_free(out);

  /* One file-fatal document makes the whole file not ingestible. */
  {
    static const char text[] =
        "apiVersion: backstage.io/v1alpha1\n"
        "kind: System\n"
        "metadata:\n"
        "  name: shop\n"
        "spec:\n"
        "  owner: team-a\n"
        "---\n"
        "kind: Component\n"
        "metadata:\n"
        "  name: no-api-version\n";
    valid = 1;
    CHECK(validate(&out, &valid, text, NULL) == IDP_OK);
    CHECK(valid == 0);
    CHECK(count_lines(out) == 2);
    line = line_at(out, 0);
    CHECK_STR(FIELD(line, "fileOk"), "false");
    CHECK_STR(FIELD(line, "fileFatal"), "false");
    free(line);
    line = line_at(out, 1);
    CHECK_STR(FIELD(line, "stage"), "\"envelope\"");
    CHECK_STR(FIELD(line, "fileFatal"), "true");
    free(line);
    idp_free(out);
  }
}

static void test_validate_limits(void) {
  static const char deep[] =
      "apiVersion: backstage.io/v1alpha1\n"
      "kind: Component\n"
      "metadata:\n"
      "  name: web\n"
      "  labels: {a: b}\n"
      "spec:\n"
      "  type: service\n"
      "  lifecycle: production\n"
      "  owner: team-a\n"
      "  x: [[[[[[1]]]]]]\n";
  static const char aliases[] =
      "apiVersion: backstage.io/v1alpha1\n"
      "kind: Component\n"
      "metadata:\n"
      "  name: web\n"
      "  tags: [&t a, *t, *t, *t]\n"
      "spec:\n"
      "  type: service\n"
      "  lifecycle: production\n"
      "  owner: team-a\n";
  idp_validate_options opts = IDP_VALIDATE_OPTIONS_INIT;
  char fieldbuf[4096];
  char *out = NULL;
  int valid = 0;

  /* The defaults allow both... (spec.x is an unknown field Backstage allows) */
  CHECK(validate(&out, &valid, deep, &opts) == IDP_OK);
  CHECK_STR(FIELD(out, "stage"), "null");
  idp_free(out);
  CHECK(validate(&out, &valid, aliases, &opts) == IDP_OK);
  CHECK_STR(FIELD(out, "stage"), "null");
  idp_free(out);

  /* ...smaller limits refuse them. */
  opts.max_depth = 4;
  valid = 1;
  CHECK(validate(&out, &valid, deep, &opts) == IDP_OK);
  CHECK(valid == 0);
  CHECK_STR(FIELD(out, "stage"), "\"yaml\"");
  idp_free(out);

  opts.max_depth = 0;
  opts.max_alias_count = 2;
  valid = 1;
  CHECK(validate(&out, &valid, aliases, &opts) == IDP_OK);
  CHECK(valid == 0);
  CHECK_STR(FIELD(out, "stage"), "\"yaml\"");
  idp_free(out);

  opts.max_alias_count = 0;
  opts.max_document_bytes = 64;
  valid = 1;
  CHECK(validate(&out, &valid, kValidComponent, &opts) == IDP_OK);
  CHECK(valid == 0);
  CHECK_STR(FIELD(out, "valid"), "false");
  idp_free(out);
}

static void test_validate_duplicates_and_location(void) {
  static const char twice[] =
      "apiVersion: backstage.io/v1alpha1\n"
      "kind: System\n"
      "metadata:\n"
      "  name: shop\n"
      "spec:\n"
      "  owner: team-a\n"
      "---\n"
      "apiVersion: backstage.io/v1alpha1\n"
      "kind: System\n"
      "metadata:\n"
      "  name: Shop\n"
      "spec:\n"
      "  owner: team-b\n";
  idp_validate_options opts = IDP_VALIDATE_OPTIONS_INIT;
  char fieldbuf[4096];
  char *out = NULL;
  char *line = NULL;
  int valid = 0;

  /* The same ref twice (compared lower-cased): both lines say so; Backstage
   * keeps the later one, so the file itself stays valid. */
  CHECK(validate(&out, &valid, twice, NULL) == IDP_OK);
  CHECK(valid == 1);
  CHECK(count_lines(out) == 2);
  line = line_at(out, 0);
  CHECK_STR(FIELD(line, "duplicateRef"), "true");
  free(line);
  line = line_at(out, 1);
  CHECK_STR(FIELD(line, "ref"), "\"system:default/shop\"");
  CHECK_STR(FIELD(line, "duplicateRef"), "true");
  free(line);
  idp_free(out);
  CHECK(validate(&out, &valid, kValidComponent, NULL) == IDP_OK);
  CHECK_STR(FIELD(out, "duplicateRef"), "false");
  idp_free(out);

  /* The location type names the location in Backstage's messages. */
  CHECK(validate(&out, &valid, kYamlError, NULL) == IDP_OK);
  CHECK_CONTAINS(FIELD(out, "error"), "YAML error at file:<input>");
  idp_free(out);
  opts.location_type = "url";
  opts.file_label = "repo/catalog-info.yaml";
  CHECK(validate(&out, &valid, kYamlError, &opts) == IDP_OK);
  CHECK_CONTAINS(FIELD(out, "error"), "YAML error at url:repo/catalog-info.yaml");
  idp_free(out);
}

/* Writes text to dir/name; returns 1 on success. */
static int write_file(const char *dir, const char *name, const char *text) {
  char path[512];
  FILE *f;
  size_t n = strlen(text);
  int ok;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "w");
  if (f == NULL) return 0;
  ok = fwrite(text, 1, n, f) == n;
  return fclose(f) == 0 && ok;
}

static void remove_file(const char *dir, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  unlink(path);
}

static void test_validate_placeholders(void) {
  static const char with_placeholder[] =
      "apiVersion: backstage.io/v1alpha1\n"
      "kind: Component\n"
      "metadata:\n"
      "  name: web\n"
      "  description:\n"
      "    $text: ./description.txt\n"
      "spec:\n"
      "  type: service\n"
      "  lifecycle: production\n"
      "  owner: team-a\n";
  static const char escaping[] =
      "apiVersion: backstage.io/v1alpha1\n"
      "kind: Component\n"
      "metadata:\n"
      "  name: web\n"
      "  description:\n"
      "    $text: ../outside.txt\n"
      "spec:\n"
      "  type: service\n"
      "  lifecycle: production\n"
      "  owner: team-a\n";
  char dir[] = "/tmp/idp_capi_root_XXXXXX";
  char label[128];
  char sub[64];
  idp_validate_options opts = IDP_VALIDATE_OPTIONS_INIT;
  char fieldbuf[4096];
  char *out = NULL;
  int valid = 1;

  if (!CHECK(mkdtemp(dir) != NULL)) return;
  snprintf(sub, sizeof sub, "%s/team", dir);
  CHECK(mkdir(sub, 0700) == 0);
  CHECK(write_file(sub, "description.txt", "The web shop"));
  CHECK(write_file(dir, "outside.txt", "not below the root"));
  CHECK(write_file(sub, "catalog-info.yaml", with_placeholder));
  snprintf(label, sizeof label, "%s/catalog-info.yaml", sub);

  /* No placeholder root: relative placeholders fail as in Backstage. */
  opts.file_label = label;
  CHECK(validate(&out, &valid, with_placeholder, &opts) == IDP_OK);
  CHECK(valid == 0);
  CHECK_STR(FIELD(out, "stage"), "\"preprocess\"");
  CHECK_CONTAINS(FIELD(out, "error"), "$text");
  idp_free(out);

  /* Below the root: resolved from the file's directory. */
  opts.placeholder_root = sub;
  CHECK(validate(&out, &valid, with_placeholder, &opts) == IDP_OK);
  CHECK(valid == 1);
  CHECK_STR(FIELD(out, "stage"), "null");
  idp_free(out);
  CHECK(idp_validate_file(&out, &valid, label, &opts) == IDP_OK);
  CHECK(valid == 1);
  idp_free(out);

  /* Outside the root: refused. */
  CHECK(validate(&out, &valid, escaping, &opts) == IDP_OK);
  CHECK(valid == 0);
  CHECK_STR(FIELD(out, "stage"), "\"preprocess\"");
  idp_free(out);
  /* ...and allowed once the root is wide enough. */
  opts.placeholder_root = dir;
  CHECK(validate(&out, &valid, escaping, &opts) == IDP_OK);
  CHECK(valid == 1);
  idp_free(out);

  remove_file(sub, "description.txt");
  remove_file(sub, "catalog-info.yaml");
  remove_file(dir, "outside.txt");
  CHECK(rmdir(sub) == 0);
  CHECK(rmdir(dir) == 0);
}

static void test_validate_file(void) {
  char path[] = "/tmp/idp_capi_test_XXXXXX";
  idp_validate_options opts = IDP_VALIDATE_OPTIONS_INIT;
  char fieldbuf[4096];
  char expected[64];
  char *out = NULL;
  int valid = 0;
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd < 0) return;
  CHECK(write(fd, kMultiDoc, strlen(kMultiDoc)) == (ssize_t)strlen(kMultiDoc));
  close(fd);

  CHECK(idp_validate_file(&out, &valid, path, NULL) == IDP_OK);
  CHECK(valid == 0);
  CHECK(count_lines(out) == 4);
  snprintf(expected, sizeof expected, "\"%s\"", path);
  CHECK_STR(FIELD(out, "file"), expected); /* the path as given */
  {
    /* The same lines as validating the text under the same label. */
    char *from_text = NULL;
    int text_valid = 1;
    opts.file_label = path;
    CHECK(validate(&from_text, &text_valid, kMultiDoc, &opts) == IDP_OK);
    CHECK_STR(out, from_text);
    CHECK(text_valid == valid);
    idp_free(from_text);
  }
  idp_free(out);

  opts.file_label = "catalog/all.yaml";
  CHECK(idp_validate_file(&out, &valid, path, &opts) == IDP_OK);
  CHECK_STR(FIELD(out, "file"), "\"catalog/all.yaml\"");
  idp_free(out);
  unlink(path);

  /* An unreadable file is a verdict, not a failed call. */
  valid = 1;
  CHECK(idp_validate_file(&out, &valid, path, NULL) == IDP_OK);
  CHECK(valid == 0);
  CHECK(count_lines(out) == 1);
  CHECK_STR(FIELD(out, "stage"), "\"io\"");
  CHECK_STR(FIELD(out, "fileOk"), "false");
  CHECK_STR(FIELD(out, "fileFatal"), "true");
  idp_free(out);
}

static void test_entity_ref(void) {
  idp_entity_ref *ref = NULL;
  char *out = NULL;

  CHECK(idp_entity_ref_parse(&ref, "Component:Team-A/Web", NULL, NULL) == IDP_OK);
  CHECK(ref != NULL);
  CHECK_STR(idp_entity_ref_kind(ref), "Component"); /* case kept as written */
  CHECK_STR(idp_entity_ref_namespace(ref), "Team-A");
  CHECK_STR(idp_entity_ref_name(ref), "Web");
  idp_entity_ref_free(ref);

  CHECK(idp_entity_ref_parse(&ref, "web", "component", NULL) == IDP_OK);
  CHECK_STR(idp_entity_ref_kind(ref), "component");
  CHECK_STR(idp_entity_ref_namespace(ref), "default");
  CHECK_STR(idp_entity_ref_name(ref), "web");
  idp_entity_ref_free(ref);

  CHECK(idp_entity_ref_parse(&ref, "group:ops", "component", "platform") == IDP_OK);
  CHECK_STR(idp_entity_ref_kind(ref), "group");
  CHECK_STR(idp_entity_ref_namespace(ref), "platform");
  CHECK_STR(idp_entity_ref_name(ref), "ops");
  idp_entity_ref_free(ref);

  /* "" as default namespace means "default", as Backstage's `||`. */
  CHECK(idp_entity_ref_parse(&ref, "group:ops", NULL, "") == IDP_OK);
  CHECK_STR(idp_entity_ref_namespace(ref), "default");
  idp_entity_ref_free(ref);

  /* Backstage's messages, code IDP_EPARSE. */
  ref = (idp_entity_ref *)&out;
  CHECK(idp_entity_ref_parse(&ref, "component:", NULL, NULL) == IDP_EPARSE);
  CHECK(ref == NULL);
  CHECK_STR(idp_last_error(),
            "Entity reference \"component:\" was not on the form [<kind>:][<namespace>/]<name>");
  CHECK(idp_entity_ref_parse(&ref, "web", NULL, NULL) == IDP_EPARSE);
  CHECK_STR(idp_last_error(),
            "Entity reference \"web\" had missing or empty kind (e.g. did not start with "
            "\"component:\" or similar)");
  CHECK(idp_entity_ref_parse(&ref, "", "component", NULL) == IDP_EPARSE);
  CHECK_STR(idp_last_error(), "Entity reference must not be empty");
  CHECK(idp_entity_ref_parse(&ref, "component:/web", NULL, NULL) == IDP_EPARSE);
  CHECK_STR(idp_last_error(),
            "Entity reference \"component:/web\" was not on the form [<kind>:][<namespace>/]<name>");

  /* stringify */
  CHECK(idp_entity_ref_stringify(&out, "Component", NULL, "Web") == IDP_OK);
  CHECK_STR(out, "component:default/web");
  idp_free(out);
  CHECK(idp_entity_ref_stringify(&out, "Group", "Team-A", "Platform") == IDP_OK);
  CHECK_STR(out, "group:team-a/platform");
  idp_free(out);
  CHECK(idp_entity_ref_stringify(&out, "API", "", "Orders") == IDP_OK);
  CHECK_STR(out, "api:default/orders");
  idp_free(out);
  CHECK(idp_entity_ref_stringify(&out, "User", NULL, "\xC3\x84nne") == IDP_OK); /* Änne */
  CHECK_STR(out, "user:default/\xC3\xA4nne");                                  /* änne */
  idp_free(out);
  out = (char *)"sentinel";
  CHECK(idp_entity_ref_stringify(&out, "", NULL, "web") == IDP_EINVAL);
  CHECK(out == NULL);
  CHECK_CONTAINS(idp_last_error(), "kind");
  CHECK(idp_entity_ref_stringify(&out, "component", NULL, "") == IDP_EINVAL);
  CHECK_CONTAINS(idp_last_error(), "name");

  /* canonicalize = parse + stringify */
  CHECK(idp_entity_ref_canonicalize(&out, "Component:Web", NULL, NULL) == IDP_OK);
  CHECK_STR(out, "component:default/web");
  idp_free(out);
  CHECK(idp_entity_ref_canonicalize(&out, "Team-A/Web", "Component", "ignored") == IDP_OK);
  CHECK_STR(out, "component:team-a/web");
  idp_free(out);
  CHECK(idp_entity_ref_canonicalize(&out, "jdoe", "User", "People") == IDP_OK);
  CHECK_STR(out, "user:people/jdoe");
  idp_free(out);
  out = (char *)"sentinel";
  CHECK(idp_entity_ref_canonicalize(&out, "a:b/", NULL, NULL) == IDP_EPARSE);
  CHECK(out == NULL);
  CHECK_STR(idp_last_error(),
            "Entity reference \"a:b/\" was not on the form [<kind>:][<namespace>/]<name>");
  CHECK(idp_entity_ref_canonicalize(&out, "ops", NULL, NULL) == IDP_EPARSE);
  CHECK_CONTAINS(idp_last_error(), "had missing or empty kind");
}

/* ---- threads ------------------------------------------------------------ */

enum { kThreads = 8, kRounds = 40 };

struct thread_job {
  int id;
  const char *expected; /* the single-threaded result */
  int expected_valid;
  int failures;
};

static void *thread_main(void *arg) {
  struct thread_job *job = arg;
  char ref[32];
  char message[128];
  int round;
  snprintf(ref, sizeof ref, "kind%d:", job->id);
  snprintf(message, sizeof message,
           "Entity reference \"%s\" was not on the form [<kind>:][<namespace>/]<name>", ref);
  for (round = 0; round < kRounds; ++round) {
    char *out = NULL;
    char *canonical = NULL;
    idp_entity_ref *parsed = NULL;
    int valid = -1;
    idp_validate_options opts = IDP_VALIDATE_OPTIONS_INIT;
    if (idp_validate_text(&out, &valid, kMultiDoc, strlen(kMultiDoc), &opts) != IDP_OK) ++job->failures;
    if (out == NULL || strcmp(out, job->expected) != 0) ++job->failures;
    if (valid != job->expected_valid) ++job->failures;
    idp_free(out);
    /* The error slot is per thread: this thread's message stays its own. */
    if (idp_entity_ref_parse(&parsed, ref, NULL, NULL) != IDP_EPARSE) ++job->failures;
    if (validate(&out, &valid, kValidComponent, NULL) == IDP_OK) idp_free(out);
    else ++job->failures;
    if (idp_entity_ref_parse(&parsed, ref, NULL, NULL) != IDP_EPARSE) ++job->failures;
    if (strcmp(idp_last_error(), message) != 0) ++job->failures;
    if (idp_entity_ref_canonicalize(&canonical, "Component:Web", NULL, NULL) != IDP_OK ||
        strcmp(canonical, "component:default/web") != 0) {
      ++job->failures;
    }
    idp_free(canonical);
  }
  return NULL;
}

static void test_threads(void) {
  pthread_t threads[kThreads];
  struct thread_job jobs[kThreads];
  char *expected = NULL;
  int expected_valid = -1;
  int i;
  int started = 0;
  CHECK(validate(&expected, &expected_valid, kMultiDoc, NULL) == IDP_OK);
  if (expected == NULL) return;
  for (i = 0; i < kThreads; ++i) {
    jobs[i].id = i;
    jobs[i].expected = expected;
    jobs[i].expected_valid = expected_valid;
    jobs[i].failures = 0;
    if (pthread_create(&threads[i], NULL, thread_main, &jobs[i]) == 0) ++started;
  }
  CHECK(started == kThreads);
  for (i = 0; i < started; ++i) {
    pthread_join(threads[i], NULL);
    if (!CHECK(jobs[i].failures == 0)) fprintf(stderr, "  thread %d: %d failures\n", i, jobs[i].failures);
  }
  idp_free(expected);
}

/* `capi_test --jsonl [--placeholder-root DIR] FILE...`: prints
 * idp_validate_file's lines for each file, one line per document, for
 * comparison with `idp validate --format jsonl FILE`. Exit 0 when every call
 * succeeded. */
static int print_jsonl(int argc, char **argv) {
  idp_validate_options opts = IDP_VALIDATE_OPTIONS_INIT;
  int i = 0;
  if (argc >= 2 && strcmp(argv[0], "--placeholder-root") == 0) {
    opts.placeholder_root = argv[1];
    i = 2;
  }
  for (; i < argc; ++i) {
    char *out = NULL;
    int valid = 0;
    int rc = idp_validate_file(&out, &valid, argv[i], &opts);
    if (rc != IDP_OK) {
      fprintf(stderr, "capi_test: %s: error %d: %s\n", argv[i], rc, idp_last_error());
      return 2;
    }
    if (*out != '\0') printf("%s\n", out);
    idp_free(out);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--jsonl") == 0) return print_jsonl(argc - 2, argv + 2);
  test_version();
  test_last_error();
  test_null_handling();
  test_options();
  test_validate_valid();
  test_validate_invalid();
  test_validate_multi_doc();
  test_validate_invalid_utf8();
  test_validate_limits();
  test_validate_duplicates_and_location();
  test_validate_placeholders();
  test_validate_file();
  test_entity_ref();
  test_threads();
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
