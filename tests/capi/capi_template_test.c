/* The template ABI from plain C: idp_template_engine_new/free and
 * idp_template_render in each mode, errors with positions, the sandbox, and
 * one engine shared by several threads. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "idp/idp.h"

static int g_passed = 0;
static int g_failed = 0;

static void check(int cond, const char *what, const char *detail) {
  if (cond) {
    ++g_passed;
  } else {
    ++g_failed;
    fprintf(stderr, "FAIL: %s (%s)\n", what, detail ? detail : "");
  }
}

/* Renders and checks that the result JSON contains `expected`. */
static void expect(idp_template_engine *engine, const char *mode, const char *tmpl, const char *ctx,
                   const char *expected) {
  char *out = NULL;
  int rc = idp_template_render(&out, engine, mode, tmpl, ctx, NULL);
  check(rc == IDP_OK, "render returns IDP_OK", idp_last_error());
  check(out != NULL && strstr(out, expected) != NULL, expected, out);
  idp_free(out);
}

static void *render_many(void *arg) {
  idp_template_engine *engine = (idp_template_engine *)arg;
  int i;
  for (i = 0; i < 200; ++i) {
    char *out = NULL;
    if (idp_template_render(&out, engine, "string", "\"${{ values.n | upper }}-{% for x in values.xs %}${{ x }}{% endfor %}\"",
                            "{\"values\":{\"n\":\"ab\",\"xs\":[1,2,3]}}", NULL) != IDP_OK ||
        out == NULL || strstr(out, "\"rendered\":\"AB-123\"") == NULL) {
      idp_free(out);
      return (void *)1;
    }
    idp_free(out);
  }
  return NULL;
}

int main(void) {
  idp_template_engine *engine = NULL;
  char *out = NULL;
  pthread_t threads[4];
  int i, thread_failures = 0;

  check(idp_template_engine_new(NULL) == IDP_EINVAL, "engine_new(NULL) is EINVAL", NULL);
  check(idp_template_engine_new(&engine) == IDP_OK && engine != NULL, "engine_new", idp_last_error());
  idp_template_engine_free(NULL); /* accepted */

  /* value mode keeps the type of a single expression; "" is undefined */
  expect(engine, "value", "\"${{ parameters.n }}\"", "{\"parameters\":{\"n\":5}}", "\"rendered\":5");
  expect(engine, "value", "{\"name\":\"svc-${{ parameters.id }}\"}", "{\"parameters\":{\"id\":7}}",
         "\"rendered\":{\"name\":\"svc-7\"}");
  expect(engine, "value", "\"\"", "{}", "\"undefined\":true");
  /* string mode, the filters Backstage adds */
  expect(engine, "string", "\"${{ values.repoUrl | parseRepoUrl | dump }}\"",
         "{\"values\":{\"repoUrl\":\"github.com?owner=acme&repo=payments\"}}", "payments");
  expect(engine, "if", "\"${{ parameters.enabled }}\"", "{\"parameters\":{\"enabled\":false}}", "\"rendered\":false");
  /* a render error names the template's line */
  expect(engine, "string", "\"line one\\n${{ values.x | nosuchfilter }}\"", "{\"values\":{\"x\":1}}", "\"line\":2");
  /* value mode: Backstage keeps the raw string after an error */
  expect(engine, "value", "\"${{ parameters.x | nosuchfilter }}\"", "{\"parameters\":{}}", "\"fallback\":true");
  /* the sandbox: reflection names are refused */
  expect(engine, "string", "\"${{ values.constructor }}\"", "{\"values\":{}}", "reserved");

  check(idp_template_render(&out, engine, "nosuchmode", "\"x\"", "{}", NULL) == IDP_EINVAL && out == NULL,
        "unknown mode is EINVAL", out);
  check(strstr(idp_last_error(), "nosuchmode") != NULL, "last_error names the mode", idp_last_error());
  check(idp_template_render(&out, NULL, "value", "\"x\"", "{}", NULL) == IDP_EINVAL, "NULL engine", NULL);
  check(idp_template_render(NULL, engine, "value", "\"x\"", "{}", NULL) == IDP_EINVAL, "NULL out", NULL);

  for (i = 0; i < 4; ++i) pthread_create(&threads[i], NULL, render_many, engine);
  for (i = 0; i < 4; ++i) {
    void *result = NULL;
    pthread_join(threads[i], &result);
    if (result != NULL) ++thread_failures;
  }
  check(thread_failures == 0, "one engine from 4 threads", NULL);

  idp_template_engine_free(engine);
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
