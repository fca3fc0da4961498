/*
 * libidp: the scaffolder through the C ABI (conventions of idp.h).
 *
 * An idp_scaffolder holds the action registry (every built-in action, plus
 * the custom actions registered here) and a template engine. Register custom
 * actions first, then run templates: runs may go on from any number of
 * threads at once, registration may not overlap a run.
 */
#ifndef IDP_SCAFFOLDER_H
#define IDP_SCAFFOLDER_H

#include "idp/idp.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct idp_scaffolder idp_scaffolder;

/* Creates a scaffolder with the built-in actions: fetch:*, fs:*, debug:*,
 * catalog:write, catalog:fetch and catalog:register (these two fail until
 * idp_scaffolder_set_catalog gives them a catalog), publish:github (github.com
 * only, the token from the step's `token` input) and publish:git.
 * *out receives it, freed with idp_scaffolder_free(); NULL on error.
 * Returns IDP_OK, IDP_EINVAL (out is NULL) or IDP_ENOMEM. */
IDP_API int idp_scaffolder_new(idp_scaffolder **out);
/* Frees a scaffolder. Accepts NULL. No run may be going on. */
IDP_API void idp_scaffolder_free(idp_scaffolder *scaffolder);

/* catalog:fetch reads from `catalog` and catalog:register registers locations
 * in it (what it may read: its idp_catalog_options roots and allowlist);
 * NULL detaches it. The catalog is not owned: it must stay open while the
 * scaffolder may run. A registration call: it may not overlap a run (the
 * catalog itself may meanwhile be used from other threads, see idp.h).
 * Custom actions stay registered. Returns IDP_OK or IDP_EINVAL (scaffolder
 * is NULL). Added in libidp 0.1 (ABI 1). */
IDP_API int idp_scaffolder_set_catalog(idp_scaffolder *scaffolder, idp_catalog *catalog);

/* ---- custom actions ---------------------------------------------------- */
/* What a running action sees besides its input: valid only during the call. */
typedef struct idp_scaffolder_action_context idp_scaffolder_action_context;

typedef enum idp_scaffolder_log_level {
  IDP_SCAFFOLDER_LOG_DEBUG = 0,
  IDP_SCAFFOLDER_LOG_INFO = 1,
  IDP_SCAFFOLDER_LOG_WARN = 2,
  IDP_SCAFFOLDER_LOG_ERROR = 3
} idp_scaffolder_log_level;

/* The handler of a custom action. input_json: the step's rendered input (an
 * object, already validated against the action's input schema);
 * workspace_path: the task's workspace (write only below it). Report through
 * the context: idp_scaffolder_action_log, _output, _cancelled, _fail.
 * Return IDP_OK, or an error code: IDP_EINVAL/IDP_EINVALID/IDP_EPARSE fail
 * the step as an InputError, IDP_ENOTALLOWED as NotAllowedError,
 * IDP_ENOTFOUND as NotFoundError, anything else as Error. */
typedef int (*idp_scaffolder_action_fn)(idp_scaffolder_action_context *ctx, const char *input_json,
                                        const char *workspace_path, void *user_data);

typedef struct idp_scaffolder_action_spec {
  unsigned int version;            /* IDP_SCAFFOLDER_ACTION_SPEC_VERSION */
  const char *id;                  /* required, e.g. "acme:create-ticket" */
  const char *description;         /* NULL: "" */
  const char *input_schema_json;   /* JSON Schema of the input; NULL: any input */
  const char *output_schema_json;  /* JSON Schema of the outputs (dry-run examples); NULL: none */
  const char *examples_json;       /* [{description, example}] as GET /v2/actions lists; NULL: [] */
  int supports_dry_run;            /* 0: skipped in dry-run, outputs made from the schema */
  idp_scaffolder_action_fn handler;
  void *user_data;                 /* passed to every call; must outlive the scaffolder */
} idp_scaffolder_action_spec;

#define IDP_SCAFFOLDER_ACTION_SPEC_VERSION 1
#define IDP_SCAFFOLDER_ACTION_SPEC_INIT { IDP_SCAFFOLDER_ACTION_SPEC_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL }

/* Registers a custom action; every string is copied. Returns IDP_OK,
 * IDP_EINVAL (NULL, no id or handler, unknown version) or IDP_EINVALID
 * (duplicate id, a schema or examples that are not JSON). */
IDP_API int idp_scaffolder_register_action(idp_scaffolder *scaffolder, const idp_scaffolder_action_spec *spec);

/* A log line of the step (secrets are redacted before anyone sees it). */
IDP_API void idp_scaffolder_action_log(idp_scaffolder_action_context *ctx, idp_scaffolder_log_level level,
                                       const char *message);
/* Sets the step output `name` (steps.<id>.output.<name>) to a JSON value.
 * Returns IDP_OK, IDP_EINVAL (NULL) or IDP_EPARSE (value_json is not JSON). */
IDP_API int idp_scaffolder_action_output(idp_scaffolder_action_context *ctx, const char *name,
                                         const char *value_json);
/* 1 once the task is cancelled: a long handler polls it and returns. */
IDP_API int idp_scaffolder_action_cancelled(const idp_scaffolder_action_context *ctx);
/* The message the failing step reports (the handler then returns an error
 * code); without it, the step fails with "action <id> failed". */
IDP_API void idp_scaffolder_action_fail(idp_scaffolder_action_context *ctx, const char *message);

/* ---- listing and runs -------------------------------------------------- */
/* GET /v2/actions: [{id, description, examples, schema: {input?, output?}}]
 * sorted by id, freed with idp_free(). */
IDP_API int idp_scaffolder_list_actions(char **out_json, idp_scaffolder *scaffolder);

/* Runs the Template in template_file (YAML) with values_json and
 * secrets_json (objects; secrets may be NULL) into workspace_dir (created,
 * kept). *out_result_json, freed with idp_free():
 *   {"taskStatus": "completed", "output": {...}, "events": [...]}
 *   {"taskStatus": "failed", "error": {"name", "message"}, "events": [...]}
 *   {"taskStatus": "rejected", "errors": [...]}   (values/secrets invalid)
 * events are the task's log events ({type, body: {message, stepId?,
 * status?}}), secrets redacted. Returns IDP_OK whenever the run happened
 * (whatever its status); IDP_EINVAL, IDP_EPARSE (values/secrets not JSON
 * objects) or the template's load error otherwise. */
IDP_API int idp_scaffolder_run(char **out_result_json, idp_scaffolder *scaffolder, const char *template_file,
                               const char *values_json, const char *secrets_json, const char *workspace_dir);

/* POST /v2/dry-run for template_dir (template.yaml and its skeletons):
 * *out_json = {"status": S, "body": B} as `idp scaffold dry-run --json`,
 * freed with idp_free(). Scratch directories live in the system's temporary
 * directory and are removed. Returns IDP_OK whenever an answer was made. */
IDP_API int idp_scaffolder_dry_run(char **out_json, idp_scaffolder *scaffolder, const char *template_dir,
                                   const char *values_json, const char *secrets_json);

#ifdef __cplusplus
}
#endif

#endif /* IDP_SCAFFOLDER_H */
