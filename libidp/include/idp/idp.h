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
/* The run-time version of the loaded library: compare with the compile-time
 * IDP_VERSION_NUMBER / IDP_VERSION_STRING / IDP_ABI_VERSION (idp_version.h).
 * idp_version() returns a static string ("MAJOR.MINOR.PATCH"), not to be freed.
 * Thread safety: any thread. */
IDP_API int idp_version_number(void);
IDP_API const char *idp_version(void);
IDP_API int idp_abi_version(void);

/* ---- errors and memory ------------------------------------------------- */
/* The message of the last failed call on this thread ("" if none). Every
 * function that returns a result code clears it on entry and sets it when it
 * fails. Valid until the next idp_ call on the same thread; owned by the
 * library. Never NULL. Thread safety: per thread by design. */
IDP_API const char *idp_last_error(void);
/* Frees memory that libidp returned (strings from idp_validate_*,
 * idp_entity_ref_stringify/canonicalize). Accepts NULL. Thread safety: any
 * thread. */
IDP_API void idp_free(void *ptr);

/* ---- validation of catalog files -------------------------------------- */
/*
 * Validates catalog-info YAML the way a Backstage catalog backend decides
 * about it (see shared/oracle/README.md for the verdict's fields).
 */

/* Options of idp_validate_text() / idp_validate_file(). Initialise with
 * IDP_VALIDATE_OPTIONS_INIT or idp_validate_options_init(); then set fields.
 * Strings are borrowed for the duration of the call only. */
typedef struct idp_validate_options {
  unsigned int version;         /* IDP_VALIDATE_OPTIONS_VERSION */
  const char *file_label;       /* name used in the output (`file`) and in messages;
                                   NULL -> "<input>" for text, the path for files */
  const char *location_type;    /* type of the location the file is read through, as in
                                   Backstage's messages ("YAML error at file:<label>")
                                   and location annotations; NULL -> "file" */
  const char *placeholder_root; /* directory that relative placeholders ($text, $json,
                                   $yaml) may read below; NULL or "" -> no file
                                   access (placeholders with relative paths then
                                   fail as they do in Backstage) */
  size_t max_depth;             /* nesting of YAML collections; 0 = default (512) */
  size_t max_alias_count;       /* YAML alias expansions; 0 = default (100, as Backstage) */
  size_t max_document_bytes;    /* size of one YAML document; 0 = default (16 MiB) */
} idp_validate_options;

#define IDP_VALIDATE_OPTIONS_VERSION 1
#define IDP_VALIDATE_OPTIONS_INIT { IDP_VALIDATE_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, 0 }

/* Sets *opts to the defaults of the given options version (pass
 * IDP_VALIDATE_OPTIONS_VERSION), like IDP_VALIDATE_OPTIONS_INIT.
 * Returns IDP_OK; IDP_EINVAL when opts is NULL or the version is unknown.
 * Thread safety: any thread; opts must not be shared while it is written. */
IDP_API int idp_validate_options_init(idp_validate_options *opts, unsigned int version);

/* Validates the catalog YAML in text[0..length) (need not be NUL-terminated;
 * text may be NULL only when length is 0). opts->file_label also stands for
 * the file's path: relative placeholders resolve from its directory (below
 * opts->placeholder_root; without a file_label they cannot be read).
 *
 * out_jsonl  receives one JSON object per YAML document of the text, in file
 *            order, each on its own line, the lines joined with "\n" (no
 *            trailing newline; "" when the text holds no document). These are
 *            the lines `idp validate --format jsonl` prints for this one
 *            file: fields file, index, line, kind, name, ref, valid, fileOk,
 *            fileFatal, stage, error, errors[], relations[], duplicateRef
 *            (true on a valid document whose ref another valid document of
 *            the same text defines too; this does not change *out_valid).
 *            Always valid UTF-8: bytes of the input that are not (quoted in
 *            messages) come out as U+FFFD. Free with idp_free().
 * out_valid  receives 1 when every document is valid (empty documents, which
 *            Backstage skips, count as valid) and the file as a whole would
 *            be ingested (fileOk), else 0.
 * opts       NULL for the defaults; else its version must be known.
 *
 * Returns IDP_OK whenever validation ran, whatever the verdicts (invalid
 * entities and YAML errors are reported in the lines, not as result codes).
 * IDP_EINVAL for NULL out pointers, NULL text with length > 0 or a bad
 * options version; IDP_ENOMEM. On failure *out_jsonl is set to NULL and
 * *out_valid to 0 (when the pointers are not NULL), and idp_last_error()
 * says why.
 * Thread safety: any number of threads may validate at once. */
IDP_API int idp_validate_text(char **out_jsonl, int *out_valid, const char *text, size_t length,
                              const idp_validate_options *opts);

/* As idp_validate_text() for the file at `path` (NUL-terminated). The file's
 * directory is where relative placeholders resolve from (below
 * opts->placeholder_root). A file that cannot be read is not a failure of
 * the call: it yields one line with stage "io" and *out_valid = 0, as
 * `idp validate` reports it; so does a file over 64 MiB. file_label defaults
 * to `path` as given.
 * Returns IDP_OK, or IDP_EINVAL / IDP_ENOMEM as idp_validate_text().
 * Thread safety: any number of threads may validate at once. */
IDP_API int idp_validate_file(char **out_jsonl, int *out_valid, const char *path,
                              const idp_validate_options *opts);

/* ---- entity references ------------------------------------------------- */
/*
 * Entity references `[<kind>:][<namespace>/]<name>`, parsed with Backstage's
 * parseEntityRef rules and error messages (@backstage/catalog-model).
 */

/* A parsed reference. Immutable: its getters may be used from any number of
 * threads at once; idp_entity_ref_free() must not race with them. */
typedef struct idp_entity_ref idp_entity_ref;

/* Parses `ref` (NUL-terminated UTF-8). default_kind is used when the ref has
 * no kind (NULL = none: a ref without kind then fails); default_namespace
 * when it has no namespace (NULL or "" = "default"). The parts keep their
 * case as written.
 * *out receives a new handle, freed with idp_entity_ref_free(); NULL on error.
 * Returns IDP_OK; IDP_EPARSE for a malformed ref, with Backstage's message in
 * idp_last_error() (e.g. `Entity reference "a:" was not on the form
 * [<kind>:][<namespace>/]<name>`); IDP_EINVAL for NULL out or ref.
 * Thread safety: any thread. */
IDP_API int idp_entity_ref_parse(idp_entity_ref **out, const char *ref, const char *default_kind,
                                 const char *default_namespace);

/* The parts of a parsed reference, owned by the handle (valid until
 * idp_entity_ref_free()); never NULL for a valid handle, NULL for NULL. */
IDP_API const char *idp_entity_ref_kind(const idp_entity_ref *ref);
IDP_API const char *idp_entity_ref_namespace(const idp_entity_ref *ref);
IDP_API const char *idp_entity_ref_name(const idp_entity_ref *ref);

/* Frees a handle from idp_entity_ref_parse(). Accepts NULL. */
IDP_API void idp_entity_ref_free(idp_entity_ref *ref);

/* The canonical string form `kind:namespace/name`, every part lower-cased as
 * Backstage's stringifyEntityRef does. kind and name must be non-NULL and
 * non-empty; namespace_ NULL or "" means "default". The parts are not
 * otherwise checked (as in Backstage).
 * *out receives a new string, freed with idp_free(); NULL on error.
 * Returns IDP_OK; IDP_EINVAL for NULL out, NULL or empty kind or name.
 * Thread safety: any thread. */
IDP_API int idp_entity_ref_stringify(char **out, const char *kind, const char *namespace_,
                                     const char *name);

/* Parses `ref` as idp_entity_ref_parse() does and returns its canonical form
 * as idp_entity_ref_stringify() does: "Component:Web" with default namespace
 * -> "component:default/web".
 * *out receives a new string, freed with idp_free(); NULL on error.
 * Returns IDP_OK; IDP_EPARSE (Backstage's message) or IDP_EINVAL as
 * idp_entity_ref_parse().
 * Thread safety: any thread. */
IDP_API int idp_entity_ref_canonicalize(char **out, const char *ref, const char *default_kind,
                                        const char *default_namespace);

/* ---- templates: Backstage's ${{ }} language -------------------------- */
/* A template engine: parses templates once and caches them (up to a bound),
 * so reuse one engine for many renders. Sandboxed: templates see only the
 * context's data; output size, work and nesting are bounded.
 * Thread safety: one engine may be used from any number of threads at once. */
typedef struct idp_template_engine idp_template_engine;

/* Creates an engine with Backstage's default integrations (github.com,
 * gitlab.com, bitbucket.org, dev.azure.com, ...) for parseRepoUrl/projectSlug.
 * *out receives the engine, freed with idp_template_engine_free(); NULL on
 * error. Returns IDP_OK, IDP_EINVAL (out is NULL) or IDP_ENOMEM. */
IDP_API int idp_template_engine_new(idp_template_engine **out);
/* Frees an engine. Accepts NULL. No render may be running on it. */
IDP_API void idp_template_engine_free(idp_template_engine *engine);

/* Renders as the scaffolder does in `mode`:
 *   "value"  a step's input: every string leaf rendered, a string that is one
 *            expression keeps its JSON type, "" becomes undefined;
 *   "string" a file or path as fetch:template renders it;
 *   "compat" fetch:template with cookiecutterCompat ({{ }} tags, jsonify);
 *   "if"     a step's `if`;  "each" a step's `each`;  "output" spec.output.
 * template_json: the template as JSON (a JSON string for "string"/"compat",
 * any JSON value for "value"/"output"). context_json: the context object
 * (parameters, steps, secrets, user, ... or `values` for "string").
 * options_json: NULL or {"trimBlocks", "lstripBlocks", "taskFailed"}.
 * *out_result_json receives, freed with idp_free():
 *   {"rendered": <JSON value or null>, "undefined": bool, "fallback": bool,
 *    "error": null | {"message": "...", "line": L, "column": C}}
 * where `fallback` means Backstage would keep the unrendered string after a
 * render error (value-like modes) and line/column are the template's.
 * Returns IDP_OK whenever it rendered, even if the template failed (see
 * "error"); IDP_EINVAL for a NULL argument or an unknown mode.
 * Thread safety: any thread; see idp_template_engine. */
IDP_API int idp_template_render(char **out_result_json, idp_template_engine *engine,
                                const char *mode, const char *template_json,
                                const char *context_json, const char *options_json);

/* ---- catalog ----------------------------------------------------------- */
/* A software catalog kept in an SQLite database: registered file and url locations
 * are processed as Backstage does and stored as stitched entities.
 * Thread safety: writers (idp_catalog_add_location, idp_catalog_add_processor,
 * idp_catalog_refresh) are serialised inside the catalog (a second writer
 * waits); readers (idp_catalog_get_entity, idp_catalog_query,
 * idp_catalog_facets, idp_catalog_ancestry, idp_catalog_graph_*) may run on
 * any thread at any time, also during a refresh, and see the last committed
 * state. No call may run on a catalog being closed. */
typedef struct idp_catalog idp_catalog;

typedef struct idp_catalog_options {
  unsigned int version;              /* IDP_CATALOG_OPTIONS_VERSION */
  const char *db_path;               /* SQLite file (created if missing) or ":memory:"; NULL: "idp-catalog.db" */
  const char *const *allowed_roots;  /* absolute directories files may be read from */
  size_t allowed_roots_count;
  int allow_location_dirs;           /* non-zero: each registered file's folder is allowed too */
  int keep_orphans;                  /* non-zero: keep orphans (annotated) instead of deleting them */
  unsigned int threads;              /* processing threads; 0: every core */
  /* version 2: `url` locations (http and https). Every URL read, and every
   * redirect hop, must be on the allowlist. */
  const char *const *url_allowlist;  /* "host[:port][/path/prefix]"; "*.example.com": any subdomain; none: no URL */
  size_t url_allowlist_count;
  int allow_location_hosts;          /* non-zero: each registered URL's host[:port] is allowed too */
  unsigned int url_timeout_ms;       /* one URL's whole response, redirects included; 0: 30000 */
  unsigned int url_connect_timeout_ms; /* 0: 10000 */
  size_t url_max_bytes;              /* body limit; 0: the YAML file limit (64 MiB) */
} idp_catalog_options;

/* Version 1 structs (without the url fields) are still accepted. */
#define IDP_CATALOG_OPTIONS_VERSION 2
#define IDP_CATALOG_OPTIONS_INIT { IDP_CATALOG_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, 0, NULL, 0, 0, 0, 0, 0 }

/* Opens (or creates) a catalog. *out receives it, freed with
 * idp_catalog_close(); NULL on error. options may be NULL (defaults).
 * Returns IDP_OK, IDP_EINVAL (bad version, relative root), IDP_EIO. */
IDP_API int idp_catalog_open(idp_catalog **out, const idp_catalog_options *options);
/* Closes a catalog. Accepts NULL. */
IDP_API void idp_catalog_close(idp_catalog *catalog);
/* Registers a location and stores its generated Location entity;
 * idp_catalog_refresh() reads it. `path` is a file or glob (made absolute),
 * or an http(s) URL ("https://..." or "url:https://...") for a `url`
 * location. IDP_EINVALID: already registered; IDP_EINVAL: a malformed URL. */
IDP_API int idp_catalog_add_location(idp_catalog *catalog, const char *path);
/* Processes every registered location, writes what changed, stitches and
 * handles orphans. *out_report_json (may be NULL) receives
 * {"processed","failed","written","stitched","deleted":[refs]}, freed with
 * idp_free(). */
IDP_API int idp_catalog_refresh(char **out_report_json, idp_catalog *catalog);
/* The stitched entity by ref (any case) as JSON, freed with idp_free().
 * IDP_ENOTFOUND when there is none. */
IDP_API int idp_catalog_get_entity(char **out_json, idp_catalog *catalog, const char *ref);
/* request_json: NULL or {"filter": ["kind=component,spec.type=service", ...]
 * (sets OR-ed), "fields": ["metadata.name", ...], "order": ["metadata.name" |
 * "-metadata.name", ...], "fullText": "term", "offset": N, "limit": N,
 * "cursor": "..."}. *out_json receives {"items": [...], "totalItems": N,
 * "pageInfo": {"nextCursor"?, "prevCursor"?}}, freed with idp_free(). */
IDP_API int idp_catalog_query(char **out_json, idp_catalog *catalog, const char *request_json);
/* request_json: {"facets": ["kind", "spec.type", ...], "filter": [...] (as
 * idp_catalog_query)}. *out_json receives {"facets": {"kind": [{"value":
 * "Component", "count": 3}, ...], ...}}, freed with idp_free(). */
IDP_API int idp_catalog_facets(char **out_json, idp_catalog *catalog, const char *request_json);
/* The chain of entities that brought `ref` in, as Backstage's ancestry
 * endpoint: {"rootEntityRef": ref, "items": [{"entity": {...},
 * "parentEntityRefs": [...]}, ...]}, the entity first, then its parents up to
 * the registered Location; freed with idp_free(). IDP_ENOTFOUND: no such
 * entity. */
IDP_API int idp_catalog_ancestry(char **out_json, idp_catalog *catalog, const char *ref);

/* ---- catalog graph ------------------------------------------------------ */
/* The stored relations as a graph; each call reads them once (a reader: any
 * thread, also during a refresh). Every built-in relation has its inverse,
 * so choose relation_types for cycles and impact analysis (e.g. dependsOn). */
typedef enum idp_graph_direction {
  IDP_GRAPH_OUT = 0,  /* source -> target: what `ref` depends on */
  IDP_GRAPH_IN = 1,   /* target -> source: who depends on `ref` (impact) */
  IDP_GRAPH_BOTH = 2
} idp_graph_direction;

typedef struct idp_graph_options {
  unsigned int version;               /* IDP_GRAPH_OPTIONS_VERSION */
  const char *const *relation_types;  /* NULL/0: every type */
  size_t relation_types_count;
  int direction;                      /* idp_graph_direction */
  int max_depth;                      /* < 0: unlimited */
} idp_graph_options;

#define IDP_GRAPH_OPTIONS_VERSION 1
#define IDP_GRAPH_OPTIONS_INIT { IDP_GRAPH_OPTIONS_VERSION, NULL, 0, IDP_GRAPH_OUT, -1 }

/* Breadth-first from `ref` (any case): {"root", "nodes": [{"ref", "depth",
 * "inCatalog"}], "edges": [{"source", "type", "target"}]}. options may be
 * NULL (defaults). IDP_ENOTFOUND: `ref` is neither an entity nor a target. */
IDP_API int idp_catalog_graph_traverse(char **out_json, idp_catalog *catalog, const char *ref,
                                       const idp_graph_options *options);
/* The fewest-hops chain from `from` to `to`: {"path": [{"source", "type",
 * "target"}, ...]} or {"path": null} when there is none. */
IDP_API int idp_catalog_graph_path(char **out_json, idp_catalog *catalog, const char *from, const char *to,
                                   const idp_graph_options *options);
/* Cycles along options->relation_types (direction and depth unused):
 * {"cycles": [["ref", ...], ...]}, each cycle's refs sorted. */
IDP_API int idp_catalog_graph_cycles(char **out_json, idp_catalog *catalog, const idp_graph_options *options);
/* Relations whose target is not in the catalog: {"relations": [{"source",
 * "type", "target"}, ...]}. */
IDP_API int idp_catalog_graph_dangling(char **out_json, idp_catalog *catalog);

/* ---- catalog processors written in C ----------------------------------- */
/* A processor is Backstage's CatalogProcessor as callbacks: each receives
 * entity JSON text and an emitter that is valid only during the call. Hooks
 * run on the processing threads, possibly at once for different entities:
 * keep no per-entity state in `user`. Every callback may be NULL. */
typedef struct idp_emitter idp_emitter;

/* What a hook returns: not mine / yes (kind recognised, location read) /
 * failed (after idp_emit_throw). */
enum { IDP_HOOK_NO = 0, IDP_HOOK_YES = 1, IDP_HOOK_THROWN = -1 };

typedef struct idp_processor_callbacks {
  const char *name; /* in error messages ("Processor <name> threw ...") */
  void *user;       /* passed back as is; must outlive the catalog */
  /* May replace the entity (idp_emit_replace_entity); location_ref is "<type>:<target>". */
  int (*pre_process)(void *user, const char *entity_json, const char *location_ref, idp_emitter *emit);
  /* IDP_HOOK_YES: this processor knows the entity's apiVersion and kind and it is valid. */
  int (*validate_kind)(void *user, const char *entity_json, idp_emitter *emit);
  /* IDP_HOOK_YES: this processor reads locations of `type` (emitting entities or errors). */
  int (*read_location)(void *user, const char *type, const char *target, int optional, idp_emitter *emit);
  int (*post_process)(void *user, const char *entity_json, const char *location_ref, idp_emitter *emit);
} idp_processor_callbacks;

/* An entity read from location <type>:<target>: a child of the entity being processed. */
IDP_API void idp_emit_entity(idp_emitter *emit, const char *location_type, const char *location_target,
                             const char *entity_json);
/* A location to read: becomes a generated Location entity child. */
IDP_API void idp_emit_location(idp_emitter *emit, const char *type, const char *target);
IDP_API void idp_emit_relation(idp_emitter *emit, const char *source_ref, const char *type, const char *target_ref);
/* A processing error: the entity being processed fails (status.items). */
IDP_API void idp_emit_error(idp_emitter *emit, const char *name, const char *message);
/* pre_process / post_process: the entity JSON to continue with. */
IDP_API void idp_emit_replace_entity(idp_emitter *emit, const char *entity_json);
/* Any hook: "throw" (then return IDP_HOOK_THROWN). */
IDP_API void idp_emit_throw(idp_emitter *emit, const char *name, const char *message);

/* Adds a processor after the built-in ones, for every following refresh (a
 * writer: serialised with refreshes). *callbacks is copied. IDP_EINVAL: a
 * NULL argument or name. */
IDP_API int idp_catalog_add_processor(idp_catalog *catalog, const idp_processor_callbacks *callbacks);

#ifdef __cplusplus
}
#endif

#endif /* IDP_H */
