#!/usr/bin/env node
// Catalog test oracle for libidp.
//
// This is the conformance suite's own copy (tests/conformance/catalog/oracle),
// kept identical in behaviour and output format to the shared oracle, so
// that expected.jsonl can be regenerated from this repository alone
// (../regen.sh). Dependencies: package.json + package-lock.json, `npm ci`.
//
// Runs every YAML document of the given files through the REAL Backstage
// catalog code (pinned versions, see package.json) the same way the catalog
// backend does when it ingests a `file:` location:
//
//   1. the file is parsed with the backend's own parser (parseEntityYaml from
//      @backstage/plugin-catalog-node, i.e. `yaml` parseAllDocuments, merge
//      keys disabled);
//   2. every parse result goes through the backend's ProcessorOutputCollector
//      (envelope validation + managed-by-location annotations), with a
//      generated root Location entity as parent, exactly as FileReaderProcessor
//      output is collected;
//   3. every emitted entity is processed by the backend's
//      DefaultCatalogProcessingOrchestrator with the default processor set of
//      CatalogBuilder (PlaceholderProcessor, BuiltinKindsEntityProcessor,
//      AnnotateLocationEntityProcessor) plus ScaffolderEntitiesProcessor
//      (Template kind), and the default entity policies (SchemaValid,
//      DefaultNamespace, NoForeignRootFields, FieldFormat).
//   4. the whole file is additionally processed as a root Location entity with
//      the real FileReaderProcessor, which tells whether the backend would
//      ingest the file at all (`fileOk`).
//
// Deliberate, documented deviations from a live backend (see README.md):
//   * catalog.rules are permissive (every kind allowed from every location);
//   * Location entities are validated but their targets are NOT followed
//     (a no-op reader claims every location type);
//   * there is no network: url reads (placeholders with absolute URLs, url
//     locations) fail with NotFoundError.
//
// Output: one JSON object per line, per YAML document, in file/document order.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

// The yaml library reports some oddities (e.g. collection keys) through
// process warnings; they are not errors for the catalog, keep stderr quiet.
process.removeAllListeners('warning');
process.on('warning', w => {
  if (!/Keys with collection values|Unresolved tag/.test(String(w?.message))) {
    process.stderr.write(`${w?.name ?? 'Warning'}: ${w?.message}\n`);
  }
});

const require = createRequire(import.meta.url);
const pkgDir = name => path.dirname(require.resolve(`${name}/package.json`));
const internal = (name, rel) => require(path.join(pkgDir(name), rel));

const model = require('@backstage/catalog-model');
const { ConfigReader } = require('@backstage/config');
const { ScmIntegrations } = require('@backstage/integration');
const { NotFoundError } = require('@backstage/errors');
const catalogNode = require('@backstage/plugin-catalog-node');
const BACKEND = '@backstage/plugin-catalog-backend';
const {
  BuiltinKindsEntityProcessor,
  AnnotateLocationEntityProcessor,
  PlaceholderProcessor,
  FileReaderProcessor,
  UrlReaderProcessor,
} = require(BACKEND);
const {
  ScaffolderEntitiesProcessor,
} = require('@backstage/plugin-catalog-backend-module-scaffolder-entity-model');
const { DefaultCatalogProcessingOrchestrator } = internal(
  BACKEND,
  'dist/processing/DefaultCatalogProcessingOrchestrator.cjs.js',
);
const { ProcessorOutputCollector } = internal(
  BACKEND,
  'dist/processing/ProcessorOutputCollector.cjs.js',
);
const placeholderResolvers = internal(
  BACKEND,
  'dist/processors/PlaceholderProcessor.cjs.js',
);
const { locationSpecToLocationEntity } = internal(
  BACKEND,
  'dist/util/conversion.cjs.js',
);
const { defaultEntityDataParser } = internal(BACKEND, 'dist/util/parse.cjs.js');
const { filterAndSortProcessors } = internal(BACKEND, 'dist/service/util.cjs.js');
// The very same `yaml` module instance that parseEntityYaml uses.
const yaml = createRequire(require.resolve('@backstage/plugin-catalog-node'))(
  'yaml',
);

// ---------------------------------------------------------------------------
// Environment, mirroring CatalogBuilder defaults
// ---------------------------------------------------------------------------

const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
const config = new ConfigReader({});
const integrations = ScmIntegrations.fromConfig(config);

// Offline UrlReaderService: every read fails like a missing file would.
const offlineReader = {
  async readUrl(url) {
    throw new NotFoundError(`oracle is offline, cannot read ${url}`);
  },
  async readTree(url) {
    throw new NotFoundError(`oracle is offline, cannot read ${url}`);
  },
  async search(url) {
    throw new NotFoundError(`oracle is offline, cannot read ${url}`);
  },
};

// Same policy chain as CatalogBuilder.buildEntityPolicy() with no extras.
const policy = model.EntityPolicies.allOf([
  new model.SchemaValidEntityPolicy(),
  new model.DefaultNamespaceEntityPolicy(),
  new model.NoForeignRootFieldsEntityPolicy(),
  new model.FieldFormatEntityPolicy(model.makeValidator({})),
]);

const permissiveRules = { isAllowed: () => true };

// Claims every location type without reading anything: Location entities are
// validated, but their targets are not followed.
const noFollowReader = {
  getProcessorName: () => 'OracleNoFollowReader',
  async readLocation() {
    return true;
  },
};

function makeProcessors(readers) {
  // Order of CatalogBuilder.buildProcessors(): placeholder, builtin kinds,
  // default processors (file reader, url reader, annotate location), then
  // processors added by modules (scaffolder entity model).
  return filterAndSortProcessors(
    [
      new PlaceholderProcessor({
        resolvers: {
          json: placeholderResolvers.jsonPlaceholderResolver,
          yaml: placeholderResolvers.yamlPlaceholderResolver,
          text: placeholderResolvers.textPlaceholderResolver,
        },
        reader: offlineReader,
        integrations,
      }),
      new BuiltinKindsEntityProcessor(),
      ...readers,
      new AnnotateLocationEntityProcessor({ integrations }),
      new ScaffolderEntitiesProcessor(),
    ],
    config,
  );
}

function makeOrchestrator(readers) {
  return new DefaultCatalogProcessingOrchestrator({
    processors: makeProcessors(readers),
    integrations,
    rulesEnforcer: permissiveRules,
    logger: silentLogger,
    parser: defaultEntityDataParser,
    policy,
    allowedLocationTypes: ['url'], // CatalogBuilder default
  });
}

const entityOrchestrator = makeOrchestrator([noFollowReader]);
const fileOrchestrator = makeOrchestrator([
  new FileReaderProcessor(),
  new UrlReaderProcessor({ reader: offlineReader, logger: silentLogger }),
]);

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const isPlainObject = v =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = v => typeof v === 'string' && v.length > 0;
const errText = e => String(e);

function stageOf(message) {
  const rules = [
    [/^Error: YAML error at /, 'yaml'],
    [/^Error: Failed to parse YAML at /, 'yaml'],
    [/^Error: Expected object at root/, 'root-not-object'],
    [/^Error: metadata\.annotations must be a valid object/, 'envelope'],
    [/^TypeError: /, 'envelope'],
    [/failed validation before processing/, 'envelope'],
    [/threw an error while preprocessing/, 'preprocess'],
    [/^InputError: Policy check failed/, 'policy'],
    [/failed validation after preprocessing/, 'schema'],
    [/kind, namespace, or name changed during processing/, 'preprocess'],
    [/threw an error while validating the entity/, 'kind'],
    [/No processor recognized the entity/, 'kind'],
    [/Registered locations must be of an allowed type/, 'location'],
    [/cannot handle .* that ends with a path separator/, 'location'],
    [/threw an error while reading/, 'location'],
    [/No processor was able to handle reading/, 'location'],
    [/threw an error while postprocessing/, 'postprocess'],
  ];
  for (const [re, stage] of rules) {
    if (re.test(message)) return stage;
  }
  return 'other';
}

function refOf(json) {
  if (!isPlainObject(json) || !isPlainObject(json.metadata)) return null;
  const { kind } = json;
  const { name, namespace } = json.metadata;
  if (!nonEmptyString(kind) || !nonEmptyString(name)) return null;
  return model.stringifyEntityRef({
    kind,
    namespace: nonEmptyString(namespace) ? namespace : model.DEFAULT_NAMESPACE,
    name,
  });
}

function relationsOf(result) {
  const seen = new Set();
  const out = [];
  for (const r of result.relations ?? []) {
    const rel = {
      source: model.stringifyEntityRef(r.source),
      type: r.type,
      target: model.stringifyEntityRef(r.target),
    };
    const key = `${rel.source}\u0000${rel.type}\u0000${rel.target}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(rel);
    }
  }
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  out.sort(
    (a, b) =>
      cmp(a.source, b.source) || cmp(a.type, b.type) || cmp(a.target, b.target),
  );
  return out;
}

// Which YAML documents yield a parse result, in parseEntityYaml order.
function planDocuments(text) {
  const docs = yaml.parseAllDocuments(text, { merge: false }).filter(d => d);
  return docs.map(doc => {
    if (doc.errors?.length) return { yields: true, json: undefined };
    let json;
    try {
      json = doc.toJSON();
    } catch (e) {
      return { yields: true, json: undefined, throws: e };
    }
    return { yields: json !== null, json };
  });
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function processFile(file) {
  const lines = [];
  const target = path.normalize(file);
  const location = { type: 'file', target };
  let data;
  try {
    data = fs.readFileSync(target);
  } catch (e) {
    lines.push({
      file,
      index: null,
      kind: null,
      name: null,
      ref: null,
      valid: false,
      error: `cannot read file: ${e.message}`,
      stage: 'io',
      fileOk: false,
      fileFatal: true,
      relations: [],
      entity: null,
    });
    return lines;
  }

  // Whole-file ingestion verdict from the real FileReaderProcessor path.
  const rootEntity = locationSpecToLocationEntity({ location });
  const rootResult = await fileOrchestrator.process({
    entity: rootEntity,
    state: {},
  });
  const fileOk = rootResult.ok;

  const plan = planDocuments(data.toString('utf8'));
  const iterator = catalogNode.parseEntityYaml(data, location);
  let iteratorBroken = null;

  for (let index = 0; index < plan.length; index++) {
    const p = plan[index];
    const raw = p.json;
    const line = {
      file,
      index,
      kind: isPlainObject(raw) && typeof raw.kind === 'string' ? raw.kind : null,
      name:
        isPlainObject(raw) &&
        isPlainObject(raw.metadata) &&
        typeof raw.metadata.name === 'string'
          ? raw.metadata.name
          : null,
      ref: refOf(raw),
      valid: false,
      error: null,
      stage: null,
      fileOk,
      fileFatal: false,
      relations: [],
      entity: null,
    };
    lines.push(line);

    if (!p.yields) {
      line.stage = 'ignored'; // empty / null document: silently dropped
      continue;
    }

    let parseResult;
    if (iteratorBroken) {
      parseResult = undefined;
    } else {
      try {
        const next = iterator.next();
        parseResult = next.done ? undefined : next.value;
      } catch (e) {
        iteratorBroken = e;
      }
    }
    if (!parseResult) {
      // The parser generator threw (e.g. excessive YAML aliases): in the
      // backend FileReaderProcessor turns this into one "could not be read"
      // error for the whole file.
      line.error = `file ${target} could not be read, ${iteratorBroken ?? p.throws}`;
      line.stage = 'yaml';
      line.fileFatal = true;
      continue;
    }

    if (parseResult.type === 'error') {
      line.error = errText(parseResult.error);
      line.stage = stageOf(line.error);
      line.fileFatal = true;
      continue;
    }

    // Collect exactly like FileReaderProcessor output is collected.
    const collector = new ProcessorOutputCollector(silentLogger, rootEntity);
    collector.generic()(parseResult);
    const collected = collector.results();
    if (collected.errors.length) {
      line.error = collected.errors.map(errText).join('; ');
      line.stage = stageOf(line.error);
      line.fileFatal = true;
      continue;
    }
    if (!collected.deferredEntities.length) {
      line.stage = 'ignored';
      continue;
    }

    const { entity } = collected.deferredEntities[0];
    const result = await entityOrchestrator.process({ entity, state: {} });
    if (!result.ok) {
      line.error = result.errors.map(errText).join('; ');
      line.stage = stageOf(errText(result.errors[0]));
      continue;
    }
    line.valid = true;
    line.ref = model.stringifyEntityRef(result.completedEntity);
    line.relations = relationsOf(result);
    line.entity = result.completedEntity;
  }
  return lines;
}

// --graph: what the catalog would hold after ingesting all files as
// separate file locations registered in argument order, and stitching.
//   * only valid documents of files with fileOk=true are ingested;
//   * same ref twice in one file: the later document wins (same location key);
//   * same ref in two files: the file registered first keeps it (conflict);
//   * each stored entity's relations are all relations (from any entity) whose
//     source is that entity, de-duplicated, sorted by type then targetRef.
function buildGraph(all) {
  const owner = new Map(); // ref -> line
  for (const l of all) {
    if (!l.valid || !l.fileOk) continue;
    const prev = owner.get(l.ref);
    if (!prev || prev.file === l.file) owner.set(l.ref, l);
  }
  const bySource = new Map();
  for (const l of owner.values()) {
    for (const r of l.relations) {
      if (!bySource.has(r.source)) bySource.set(r.source, new Map());
      bySource.get(r.source).set(`${r.type}\u0000${r.target}`, {
        type: r.type,
        targetRef: r.target,
      });
    }
  }
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return [...owner.values()]
    .sort((a, b) => cmp(a.ref, b.ref))
    .map(l => ({
      ref: l.ref,
      file: l.file,
      index: l.index,
      relations: [...(bySource.get(l.ref)?.values() ?? [])].sort(
        (a, b) => cmp(a.type, b.type) || cmp(a.targetRef, b.targetRef),
      ),
    }));
}

async function main() {
  let args = process.argv.slice(2);
  const graph = args.includes('--graph');
  args = args.filter(a => a !== '--graph');
  if (!args.length || args.includes('-h') || args.includes('--help')) {
    process.stderr.write(
      'usage: node validate.mjs [--graph] FILE.yaml [FILE.yaml ...]\n' +
        'Prints one JSON line per YAML document, or with --graph one line per\n' +
        'stored entity with its stitched relations (see README.md).\n',
    );
    process.exit(args.length ? 0 : 2);
  }
  const all = [];
  for (const file of args) {
    all.push(...(await processFile(file)));
  }
  if (graph) {
    for (const g of buildGraph(all)) {
      process.stdout.write(`${JSON.stringify(g)}\n`);
    }
    return;
  }
  // Flag refs produced by more than one valid document in this run.
  const counts = new Map();
  for (const l of all) {
    if (l.valid) counts.set(l.ref, (counts.get(l.ref) ?? 0) + 1);
  }
  for (const l of all) {
    l.duplicateRef = l.valid ? counts.get(l.ref) > 1 : false;
    process.stdout.write(`${JSON.stringify(l)}\n`);
  }
}

main().catch(e => {
  process.stderr.write(`oracle failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
