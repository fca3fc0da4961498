/* A custom action written in C, registered through <idp/idp_scaffolder.h>
 * and used by a Template: its input (validated against its schema), the
 * workspace, log lines, outputs, failures with their error class, dry-run
 * skipping, the listing, and the argument checks. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idp/idp_scaffolder.h"

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

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (f == NULL) {
    perror(path);
    exit(2);
  }
  fputs(text, f);
  fclose(f);
}

/* A JSON string member of a flat object, copied into buf (enough for the test). */
static const char *string_member(const char *json, const char *key, char *buf, size_t size) {
  char pattern[64];
  const char *p;
  size_t n = 0;
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  p = strstr(json, pattern);
  if (p == NULL) return NULL;
  p += strlen(pattern);
  while (*p && *p != '"' && n + 1 < size) buf[n++] = *p++;
  buf[n] = '\0';
  return buf;
}

static int g_calls = 0;

/* acme:write-note: writes input.text to <workspace>/<input.file>; "boom"
 * fails as NotAllowedError. */
static int write_note(idp_scaffolder_action_context *ctx, const char *input_json, const char *workspace_path,
                      void *user_data) {
  char text[256], file[256], path[1024], out[64];
  int *calls = (int *)user_data;
  FILE *f;
  ++*calls;
  if (string_member(input_json, "text", text, sizeof text) == NULL ||
      string_member(input_json, "file", file, sizeof file) == NULL) {
    idp_scaffolder_action_fail(ctx, "text and file are required");
    return IDP_EINVAL;
  }
  if (strcmp(text, "boom") == 0) {
    idp_scaffolder_action_fail(ctx, "notes may not say boom");
    return IDP_ENOTALLOWED;
  }
  if (idp_scaffolder_action_cancelled(ctx)) return IDP_ERROR;
  snprintf(path, sizeof path, "%s/%s", workspace_path, file);
  f = fopen(path, "w");
  if (f == NULL) return IDP_EIO;
  fputs(text, f);
  fclose(f);
  idp_scaffolder_action_log(ctx, IDP_SCAFFOLDER_LOG_INFO, "note written");
  snprintf(out, sizeof out, "%u", (unsigned)strlen(text));
  if (idp_scaffolder_action_output(ctx, "bytes", out) != IDP_OK) return IDP_ERROR;
  if (idp_scaffolder_action_output(ctx, "broken", "{not json") != IDP_EPARSE) return IDP_ERROR;
  return IDP_OK;
}

/* Runs template_file into dir/ws and checks the result holds both strings. */
static void run_expect(idp_scaffolder *s, const char *dir, const char *template_file, const char *ws,
                       const char *want1, const char *want2, const char *what) {
  char workspace[256];
  char *out = NULL;
  int rc;
  snprintf(workspace, sizeof workspace, "%s/%s", dir, ws);
  rc = idp_scaffolder_run(&out, s, template_file, "{}", NULL, workspace);
  check(rc == IDP_OK && out && strstr(out, want1) && strstr(out, want2), what, out ? out : idp_last_error());
  idp_free(out);
}

static const char *kTemplate =
    "apiVersion: scaffolder.backstage.io/v1beta3\n"
    "kind: Template\n"
    "metadata: {name: c-action}\n"
    "spec:\n"
    "  type: service\n"
    "  parameters:\n"
    "    properties:\n"
    "      text: {type: string}\n"
    "      extra: {type: string}\n"
    "  steps:\n"
    "    - id: note\n"
    "      action: acme:write-note\n"
    "      input:\n"
    "        text: ${{ parameters.text }}\n"
    "        file: note.txt\n"
    "        extra: ${{ parameters.extra }}\n"
    "  output:\n"
    "    bytes: ${{ steps.note.output.bytes }}\n";

int main(void) {
  char dir[] = "/tmp/idp-capi-scaf-XXXXXX";
  char template_file[256], workspace[256], path[512], cmd[600];
  idp_scaffolder *s = NULL;
  idp_scaffolder_action_spec spec = IDP_SCAFFOLDER_ACTION_SPEC_INIT;
  char *out = NULL;
  int rc;

  if (mkdtemp(dir) == NULL) return 2;
  snprintf(template_file, sizeof template_file, "%s/template.yaml", dir);
  write_file(template_file, kTemplate);

  check(idp_scaffolder_new(NULL) == IDP_EINVAL, "new(NULL) is EINVAL", NULL);
  check(idp_scaffolder_new(&s) == IDP_OK && s != NULL, "new", idp_last_error());

  spec.id = "acme:write-note";
  spec.description = "Writes a note into the workspace";
  spec.input_schema_json =
      "{\"type\":\"object\",\"required\":[\"text\",\"file\"],\"additionalProperties\":false,"
      "\"properties\":{\"text\":{\"type\":\"string\"},\"file\":{\"type\":\"string\"}}}";
  spec.output_schema_json = "{\"type\":\"object\",\"properties\":{\"bytes\":{\"type\":\"number\"}}}";
  spec.handler = write_note;
  spec.user_data = &g_calls;
  check(idp_scaffolder_register_action(s, &spec) == IDP_OK, "register", idp_last_error());
  check(idp_scaffolder_register_action(s, &spec) == IDP_EINVALID, "duplicate id refused", idp_last_error());
  {
    idp_scaffolder_action_spec bad = spec;
    bad.version = 99;
    check(idp_scaffolder_register_action(s, &bad) == IDP_EINVAL, "unknown spec version refused", NULL);
    bad = spec;
    bad.id = "acme:bad-schema";
    bad.input_schema_json = "{nope";
    check(idp_scaffolder_register_action(s, &bad) == IDP_EINVALID, "bad schema refused", idp_last_error());
  }

  rc = idp_scaffolder_list_actions(&out, s);
  check(rc == IDP_OK && strstr(out, "\"id\":\"acme:write-note\"") && strstr(out, "\"id\":\"fetch:template\""),
        "listing has the C action and the built-ins", out);
  idp_free(out);

  /* A run: the C action writes into the workspace and sets an output. */
  snprintf(workspace, sizeof workspace, "%s/ws-ok", dir);
  rc = idp_scaffolder_run(&out, s, template_file, "{\"text\":\"hello from C\"}", NULL, workspace);
  check(rc == IDP_OK, "run", idp_last_error());
  check(out && strstr(out, "\"taskStatus\":\"completed\"") && strstr(out, "\"output\":{\"bytes\":12}"),
        "run completes with the action's output", out);
  check(out && strstr(out, "note written"), "the action's log line is an event", out);
  idp_free(out);
  snprintf(path, sizeof path, "%s/note.txt", workspace);
  check(access(path, F_OK) == 0, "the note is in the workspace", path);
  check(g_calls == 1, "handler called once", NULL);

  /* A failing handler: its code names the error class, its message is kept. */
  snprintf(workspace, sizeof workspace, "%s/ws-boom", dir);
  rc = idp_scaffolder_run(&out, s, template_file, "{\"text\":\"boom\"}", "{}", workspace);
  check(rc == IDP_OK && out && strstr(out, "\"taskStatus\":\"failed\"") &&
            strstr(out, "\"name\":\"NotAllowedError\",\"message\":\"notes may not say boom\""),
        "failure reported as NotAllowedError", out);
  idp_free(out);

  /* Input validated against the action's schema before the handler runs. */
  snprintf(workspace, sizeof workspace, "%s/ws-extra", dir);
  rc = idp_scaffolder_run(&out, s, template_file, "{\"text\":\"x\",\"extra\":\"y\"}", NULL, workspace);
  check(rc == IDP_OK && out && strstr(out, "\"name\":\"InputError\"") &&
            strstr(out, "is not allowed to have the additional property \\\"extra\\\""),
        "unknown input key rejected", out);
  idp_free(out);
  check(g_calls == 2, "handler not called for invalid input", NULL);

  /* Dry-run: the action does not support it, so it is skipped and its
   * outputs come from its output schema. */
  rc = idp_scaffolder_dry_run(&out, s, dir, "{\"text\":\"dry\"}", NULL);
  check(rc == IDP_OK && out && strstr(out, "\"status\":200") &&
            strstr(out, "Skipping because acme:write-note does not support dry-run") &&
            strstr(out, "\"output\":{\"bytes\":0}"),
        "dry-run skips the action", out);
  idp_free(out);
  check(g_calls == 2, "handler not called in dry-run", NULL);

  /* Bad arguments. */
  check(idp_scaffolder_run(&out, s, template_file, "[1]", NULL, workspace) == IDP_EPARSE && out == NULL,
        "values must be an object", idp_last_error());
  check(idp_scaffolder_run(&out, s, "/nonexistent/template.yaml", "{}", NULL, workspace) != IDP_OK,
        "missing template is an error", NULL);
  check(idp_scaffolder_run(NULL, s, template_file, "{}", NULL, workspace) == IDP_EINVAL, "NULL out", NULL);

  /* catalog:* and publish:* are there from the start. */
  rc = idp_scaffolder_list_actions(&out, s);
  check(rc == IDP_OK && strstr(out, "\"id\":\"catalog:fetch\"") && strstr(out, "\"id\":\"catalog:register\"") &&
            strstr(out, "\"id\":\"catalog:write\"") && strstr(out, "\"id\":\"publish:github\"") &&
            strstr(out, "\"id\":\"publish:git\""),
        "listing has catalog:* and publish:*", out);
  idp_free(out);

  /* catalog:fetch fails without a catalog, then reads the one attached. */
  {
    char catalog_template[256], group_file[256], db[256];
    idp_catalog *cat = NULL;
    idp_catalog_options copts = IDP_CATALOG_OPTIONS_INIT;
    snprintf(catalog_template, sizeof catalog_template, "%s/catalog-template.yaml", dir);
    write_file(catalog_template,
               "apiVersion: scaffolder.backstage.io/v1beta3\n"
               "kind: Template\n"
               "metadata: {name: c-catalog}\n"
               "spec:\n"
               "  type: service\n"
               "  steps:\n"
               "    - id: owner\n"
               "      action: catalog:fetch\n"
               "      input: {entityRef: 'group:default/c-team'}\n"
               "  output:\n"
               "    type: ${{ steps.owner.output.entity.spec.type }}\n");
    run_expect(s, dir, catalog_template, "ws-nocat", "\"taskStatus\":\"failed\"", "no catalog is configured",
               "catalog:fetch without a catalog fails saying so");

    snprintf(group_file, sizeof group_file, "%s/group.yaml", dir);
    write_file(group_file,
               "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: c-team}\n"
               "spec: {type: team, children: []}\n");
    snprintf(db, sizeof db, "%s/catalog.db", dir);
    copts.db_path = db;
    copts.allow_location_dirs = 1;
    check(idp_catalog_open(&cat, &copts) == IDP_OK, "catalog open", idp_last_error());
    check(idp_catalog_add_location(cat, group_file) == IDP_OK, "catalog add", idp_last_error());
    check(idp_catalog_refresh(NULL, cat) == IDP_OK, "catalog refresh", idp_last_error());
    check(idp_scaffolder_set_catalog(NULL, cat) == IDP_EINVAL, "set_catalog(NULL scaffolder) is EINVAL", NULL);
    check(idp_scaffolder_set_catalog(s, cat) == IDP_OK, "set_catalog", idp_last_error());
    run_expect(s, dir, catalog_template, "ws-cat", "\"taskStatus\":\"completed\"", "\"output\":{\"type\":\"team\"}",
               "catalog:fetch reads the attached catalog");
    rc = idp_scaffolder_list_actions(&out, s);
    check(rc == IDP_OK && strstr(out, "\"id\":\"acme:write-note\"") && strstr(out, "\"id\":\"catalog:fetch\""),
          "the C action stays registered with the catalog attached", out);
    idp_free(out);
    check(idp_scaffolder_set_catalog(s, NULL) == IDP_OK, "detach the catalog", idp_last_error());
    idp_catalog_close(cat);
  }

  idp_scaffolder_free(s);
  idp_scaffolder_free(NULL);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  printf("capi_scaffolder_test: %d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
