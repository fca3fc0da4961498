#!/usr/bin/env node
// Baseline for the validate benchmark: runs catalog YAML files through
// Backstage's OWN catalog code, on one JavaScript thread, and reports how
// fast it goes.
//
//   node tests/bench/backstage-validate.mjs [--json] [--list FILES.txt] [FILE...]
//
// Paths are taken as given (relative to the working directory); --list reads
// one path per line. Prints documents, valid/invalid counts, relations
// emitted, seconds, docs/s, MB/s, CPU seconds and peak RSS; with --json one
// JSON object instead (what run-validate-bench.sh parses).
//
// The wiring is the one of shared/oracle/validate.mjs (pinned packages, same
// package.json/package-lock.json, installed here with `npm ci`), reduced to
// the work the catalog backend does per file, once:
//   1. parseEntityYaml (the backend's parser) over the file bytes;
//   2. every parse result collected by ProcessorOutputCollector with the
//      file's Location entity as parent (envelope validation, managed-by
//      annotations), as FileReaderProcessor output is collected;
//   3. every collected entity processed by DefaultCatalogProcessingOrchestrator
//      with CatalogBuilder's default processors (placeholders, built-in kinds
//      incl. relation emission, location annotation) plus the scaffolder
//      Template processor, and the default entity policies.
// The oracle's extra diagnostic passes (second YAML parse to number
// documents, whole-file FileReaderProcessor run for `fileOk`) are left out:
// they are not work the backend does, and would inflate Backstage's time.
// Location targets are not followed (the same files are given explicitly),
// nothing is stored or stitched: this is the validation cost only.
//
// Timing starts after module loading (reported separately as load_s), so the
// figure is Backstage's steady processing cost, not node start-up.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const t0 = process.hrtime.bigint();

// The yaml library reports some oddities through process warnings; they are
// not errors for the catalog and would only add noise to a benchmark.
process.removeAllListeners('warning');
process.on('warning', () => {});

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
} = require(BACKEND);
const {
  ScaffolderEntitiesProcessor,
} = require('@backstage/plugin-catalog-backend-module-scaffolder-entity-model');
// Internal classes, loaded by path: the versions are pinned exactly.
const { DefaultCatalogProcessingOrchestrator } = internal(
  BACKEND,
  'dist/processing/DefaultCatalogProcessingOrchestrator.cjs.js',
);
const { ProcessorOutputCollector } = internal(
  BACKEND,
  'dist/processing/ProcessorOutputCollector.cjs.js',
);
const placeholderResolvers = internal(BACKEND, 'dist/processors/PlaceholderProcessor.cjs.js');
const { locationSpecToLocationEntity } = internal(BACKEND, 'dist/util/conversion.cjs.js');
const { defaultEntityDataParser } = internal(BACKEND, 'dist/util/parse.cjs.js');
const { filterAndSortProcessors } = internal(BACKEND, 'dist/service/util.cjs.js');

// ---------------------------------------------------------------------------
// Environment, mirroring CatalogBuilder defaults (as in shared/oracle)
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

// No network: a url placeholder would fail as a missing file. The generated
// catalog has none, so this never runs in the benchmark.
const offlineReader = {
  async readUrl(url) {
    throw new NotFoundError(`offline, cannot read ${url}`);
  },
  async readTree(url) {
    throw new NotFoundError(`offline, cannot read ${url}`);
  },
  async search(url) {
    throw new NotFoundError(`offline, cannot read ${url}`);
  },
};

// Same policy chain as CatalogBuilder.buildEntityPolicy() with no extras.
const policy = model.EntityPolicies.allOf([
  new model.SchemaValidEntityPolicy(),
  new model.DefaultNamespaceEntityPolicy(),
  new model.NoForeignRootFieldsEntityPolicy(),
  new model.FieldFormatEntityPolicy(model.makeValidator({})),
]);

// Claims every location type without reading: Location entities are
// validated, their targets are not followed (they are on the command line).
const noFollowReader = {
  getProcessorName: () => 'BenchNoFollowReader',
  async readLocation() {
    return true;
  },
};

// Order of CatalogBuilder.buildProcessors(): placeholder, builtin kinds,
// readers, annotate location, then module processors (scaffolder).
const orchestrator = new DefaultCatalogProcessingOrchestrator({
  processors: filterAndSortProcessors(
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
      noFollowReader,
      new AnnotateLocationEntityProcessor({ integrations }),
      new ScaffolderEntitiesProcessor(),
    ],
    config,
  ),
  integrations,
  rulesEnforcer: { isAllowed: () => true },
  logger: silentLogger,
  parser: defaultEntityDataParser,
  policy,
  allowedLocationTypes: ['url'], // CatalogBuilder default
});

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

let args = process.argv.slice(2);
const asJson = args.includes('--json');
args = args.filter(a => a !== '--json');
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--list') {
    const list = fs.readFileSync(args[++i], 'utf8');
    files.push(...list.split('\n').filter(Boolean));
  } else if (args[i] === '-h' || args[i] === '--help') {
    process.stdout.write('usage: backstage-validate.mjs [--json] [--list FILES.txt] [FILE...]\n');
    process.exit(0);
  } else {
    files.push(args[i]);
  }
}
if (!files.length) {
  process.stderr.write('usage: backstage-validate.mjs [--json] [--list FILES.txt] [FILE...]\n');
  process.exit(2);
}

// ---------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------

const counts = { documents: 0, valid: 0, invalid: 0, relations: 0, bytes: 0, unreadable: 0 };
const firstErrors = []; // a few examples, so a broken input is noticed

function noteError(file, text) {
  counts.invalid++;
  if (firstErrors.length < 5) firstErrors.push(`${file}: ${text}`);
}

async function processFile(file) {
  const target = path.normalize(file);
  const location = { type: 'file', target };
  let data;
  try {
    data = fs.readFileSync(target);
  } catch (e) {
    counts.unreadable++;
    noteError(file, `cannot read: ${e.message}`);
    return;
  }
  counts.bytes += data.length;
  // The Location entity the file is read for: parent of its entities.
  const parent = locationSpecToLocationEntity({ location });
  try {
    for (const parsed of catalogNode.parseEntityYaml(data, location)) {
      counts.documents++;
      if (parsed.type === 'error') {
        noteError(file, String(parsed.error));
        continue;
      }
      const collector = new ProcessorOutputCollector(silentLogger, parent);
      collector.generic()(parsed);
      const collected = collector.results();
      if (collected.errors.length) {
        noteError(file, String(collected.errors[0]));
        continue;
      }
      for (const { entity } of collected.deferredEntities) {
        const result = await orchestrator.process({ entity, state: {} });
        if (result.ok) {
          counts.valid++;
          counts.relations += result.relations.length;
        } else {
          noteError(file, String(result.errors[0]));
        }
      }
    }
  } catch (e) {
    // The parser aborts the whole file (e.g. too many aliases).
    counts.documents++;
    noteError(file, `file could not be read, ${e}`);
  }
}

const tStart = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
for (const file of files) await processFile(file);
const tEnd = process.hrtime.bigint();
const cpu = process.cpuUsage(cpuStart);

const seconds = Number(tEnd - tStart) / 1e9;
const summary = {
  tool: 'backstage',
  files: files.length,
  ...counts,
  load_s: Number(tStart - t0) / 1e9,
  seconds,
  cpu_s: (cpu.user + cpu.system) / 1e6,
  docs_per_s: counts.documents / seconds,
  mb_per_s: counts.bytes / 1e6 / seconds,
  // maxRSS is in KiB on Linux.
  peak_rss_mib: process.resourceUsage().maxRSS / 1024,
  node: process.version,
  first_errors: firstErrors,
};

if (asJson) {
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} else {
  const f = (v, d = 2) => v.toFixed(d);
  process.stdout.write(
    [
      `files          ${summary.files}`,
      `documents      ${summary.documents} (valid ${summary.valid}, invalid ${summary.invalid})`,
      `relations      ${summary.relations} emitted`,
      `MB read        ${f(summary.bytes / 1e6)}`,
      `module load    ${f(summary.load_s)} s (not in the figures below)`,
      `seconds        ${f(summary.seconds)} (CPU ${f(summary.cpu_s)} s)`,
      `docs/s         ${f(summary.docs_per_s, 0)}`,
      `MB/s           ${f(summary.mb_per_s)}`,
      `peak RSS       ${f(summary.peak_rss_mib, 1)} MiB`,
      ...firstErrors.map(e => `error          ${e}`),
    ].join('\n') + '\n',
  );
}
