#!/usr/bin/env node
// Runs a Template entity directory through the GENUINE scaffolder 4.0.2 code
// (dry-run path of POST /v2/dry-run, or a full execution), using the real
// built-in actions. Needs `npm run setup:real`; re-execs with --no-node-snapshot.
//
// usage:
//   node run-template.mjs <templateDir> <values.json> <outDir> [--execute] [--secrets=secrets.json]
//   node run-template.mjs --list-actions > actions.json
//
// <templateDir> must contain template.yaml; every file below it is sent as the
// dry-run `directoryContents` (like the template editor does). Results:
//   <outDir>/response.json   body POST /v2/dry-run would answer (200), or the
//                            400 {errors} body for invalid parameters
//   <outDir>/workspace/...   the decoded directoryContents (what the task produced)
// With --execute the steps run for real (isDryRun=false); stub publish:github
// and catalog:register actions stand in for SCM/catalog side effects.

import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
// The integrations config the template conformance oracle renders with.
import { ORACLE_INTEGRATIONS_CONFIG } from '../../template/oracle/engines.mjs';

if (!process.execArgv.includes('--no-node-snapshot') && !(process.env.NODE_OPTIONS || '').includes('--no-node-snapshot')) {
  const r = spawnSync(process.execPath, ['--no-node-snapshot', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const realPkg = path.join(here, 'real/node_modules/@backstage/plugin-scaffolder-backend');
if (!fs.existsSync(realPkg)) {
  console.error('run-template.mjs needs `npm run setup:real`');
  process.exit(2);
}
const rq = createRequire(path.join(here, 'real/package.json'));
const dist = p => path.join(realPkg, 'dist', p);

const backend = rq(path.join(realPkg, 'dist/index.cjs.js'));
const { createDryRunner } = rq(dist('scaffolder/dryrun/createDryRunner.cjs.js'));
const { NunjucksWorkflowRunner } = rq(dist('scaffolder/tasks/NunjucksWorkflowRunner.cjs.js'));
const { createTemplateAction, serializeDirectoryContents } = rq('@backstage/plugin-scaffolder-node');
const { ScmIntegrations } = rq('@backstage/integration');
const { ConfigReader } = rq('@backstage/config');
const { validate } = rq('jsonschema');
const YAML = rq('yaml');

const args = process.argv.slice(2);
const config = new ConfigReader(ORACLE_INTEGRATIONS_CONFIG);
const integrations = ScmIntegrations.fromConfig(config);

const quietLogger = {
  info() {}, warn() {}, error() {}, debug() {},
  child() { return quietLogger; },
};
const metrics = {
  createCounter: () => ({ add() {} }),
  createHistogram: () => ({ record() {} }),
  createUpDownCounter: () => ({ add() {} }),
  createGauge: () => ({ record() {} }),
};
const credentials = { $$type: '@backstage/BackstageCredentials', principal: { type: 'user', userEntityRef: 'user:default/jdoe' } };

// In-memory catalog stub used by catalog:register / catalog:fetch.
const catalog = {
  async addLocation(loc) {
    return { location: { id: 'loc-1', type: loc.type, target: loc.target }, entities: [{ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'registered-component', namespace: 'default' }, spec: {} }] };
  },
  async getEntityByRef(ref) {
    return { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: String(ref).split('/').pop(), namespace: 'default' }, spec: { type: 'team', children: [] } };
  },
  async getEntitiesByRefs({ entityRefs }) {
    return { items: await Promise.all(entityRefs.map(r => catalog.getEntityByRef(r))) };
  },
};
const reader = {
  async readTree() { throw new Error('oracle: remote reads are not available; use relative ./ urls'); },
  async readUrl() { throw new Error('oracle: remote reads are not available; use relative ./ urls'); },
};

// Stand-in for @backstage/plugin-scaffolder-backend-module-github's
// publish:github (same id and output keys; no network).
const publishGithubStub = createTemplateAction({
  id: 'publish:github',
  description: 'ORACLE STUB of publish:github: no network, fixed outputs.',
  schema: {
    input: {
      repoUrl: z => z.string(),
      description: z => z.string().optional(),
      defaultBranch: z => z.string().optional(),
      repoVisibility: z => z.enum(['private', 'internal', 'public']).optional(),
      sourcePath: z => z.string().optional(),
    },
    output: {
      remoteUrl: z => z.string(),
      repoContentsUrl: z => z.string(),
      commitHash: z => z.string(),
    },
  },
  async handler(ctx) {
    const host = new URL(`https://${ctx.input.repoUrl}`);
    const owner = host.searchParams.get('owner');
    const repo = host.searchParams.get('repo');
    const branch = ctx.input.defaultBranch ?? 'master';
    ctx.logger.info(`(stub) would push workspace to https://${host.host}/${owner}/${repo}`);
    ctx.output('remoteUrl', `https://${host.host}/${owner}/${repo}`);
    ctx.output('repoContentsUrl', `https://${host.host}/${owner}/${repo}/blob/${branch}`);
    ctx.output('commitHash', '0000000000000000000000000000000000000000');
  },
});

function builtinActions() {
  return [
    backend.createFetchPlainAction({ reader, integrations }),
    backend.createFetchPlainFileAction({ reader, integrations }),
    backend.createFetchTemplateAction({ reader, integrations }),
    backend.createFetchTemplateFileAction({ reader, integrations }),
    backend.createDebugLogAction(),
    backend.createWaitAction(),
    backend.createCatalogRegisterAction({ catalog, integrations }),
    backend.createFetchCatalogEntityAction({ catalog }),
    backend.createCatalogWriteAction(),
    backend.createFilesystemDeleteAction(),
    backend.createFilesystemRenameAction(),
    backend.createFilesystemReadDirAction(),
  ];
}

function makeRegistry(actions) {
  const map = new Map(actions.map(a => [a.id, a]));
  return {
    register(a) { map.set(a.id, a); },
    async get(id) {
      const a = map.get(id);
      if (!a) {
        const e = new Error(`Template action with ID '${id}' is not registered. See https://backstage.io/docs/features/software-templates/builtin-actions/ on how to add a new action module.`);
        e.name = 'NotFoundError';
        throw e;
      }
      return a;
    },
    async list() { return new Map(map); },
  };
}

if (args.includes('--list-actions')) {
  // GET /v2/actions body for the built-in actions (sorted by id).
  const list = builtinActions()
    .map(a => ({ id: a.id, description: a.description, examples: a.examples, schema: a.schema }))
    .sort((a, b) => a.id.localeCompare(b.id));
  process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
  process.exit(0);
}

const [templateDir, valuesFile, outDir] = args.filter(a => !a.startsWith('--'));
const execute = args.includes('--execute');
const secretsArg = args.find(a => a.startsWith('--secrets='));
const secrets = secretsArg ? JSON.parse(fs.readFileSync(secretsArg.split('=')[1], 'utf8')) : undefined;

const template = YAML.parse(fs.readFileSync(path.join(templateDir, 'template.yaml'), 'utf8'));
const values = JSON.parse(fs.readFileSync(valuesFile, 'utf8'));
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
const writeJson = (name, obj) => fs.writeFileSync(path.join(outDir, name), `${JSON.stringify(obj, null, 2)}\n`);

// 1. parameter validation, exactly as the router does (jsonschema, per page)
for (const parameters of [template.spec.parameters ?? []].flat()) {
  const result = validate(values, parameters);
  if (!result.valid) {
    writeJson('response.json', { status: 400, body: { errors: JSON.parse(JSON.stringify(result.errors)) } });
    console.log(`${outDir}: 400 (parameter validation)`);
    process.exit(0);
  }
}

// 1b. secrets validation (since 3.2.0) when the template declares spec.secrets.schema
if (template.spec.secrets?.schema) {
  const result = validate(secrets ?? {}, template.spec.secrets.schema);
  if (!result.valid) {
    const errors = JSON.parse(JSON.stringify(result.errors)).map(err => {
      const property = err.property.replace(/^instance/, 'secrets');
      const message = err.name === 'required' ? `secrets.${err.argument} is required` : `${property} ${err.message}`;
      return { ...err, property, message, instance: {} };
    });
    writeJson('response.json', { status: 400, body: { errors } });
    console.log(`${outDir}: 400 (secrets validation)`);
    process.exit(0);
  }
}

// 2. steps get default ids/names like the router does
const steps = template.spec.steps.map((step, index) => ({
  ...step,
  id: step.id ?? `step-${index + 1}`,
  name: step.name ?? step.action,
}));

// 3. directoryContents: every file of the template dir, as the editor sends it
async function readDirectoryContents(dir) {
  const files = await serializeDirectoryContents(dir);
  return files.map(f => ({ path: f.path, content: f.content }));
}
const directoryContents = await readDirectoryContents(templateDir);

const workingDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'oracle-scaffolder-'));
const actions = [...builtinActions(), publishGithubStub];
const user = { ref: 'user:default/jdoe', entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'jdoe', namespace: 'default' }, spec: { profile: { displayName: 'Jane Doe' } } } };

let response;
if (!execute) {
  const dryRunner = createDryRunner({
    actionRegistry: makeRegistry(actions), integrations, logger: quietLogger,
    workingDirectory, config, metrics,
  });
  const contentsPath = path.join(workingDirectory, `dry-run-content-${randomUUID()}`);
  const templateInfo = {
    entityRef: 'template:default/dry-run',
    entity: { metadata: template.metadata },
    baseUrl: pathToFileURL(path.join(contentsPath, 'template.yaml')).toString(),
  };
  try {
    const result = await dryRunner({
      spec: { apiVersion: template.apiVersion, steps, output: template.spec.output ?? {}, parameters: values, user },
      templateInfo,
      directoryContents,
      secrets: { ...secrets, backstageToken: 'oracle-token' },
      credentials,
    });
    response = {
      status: 200,
      body: {
        ...result,
        steps,
        directoryContents: result.directoryContents.map(f => ({ path: f.path, executable: f.executable, base64Content: f.content.toString('base64') })),
      },
    };
  } catch (e) {
    // the router lets the error propagate: the error middleware answers 500
    // ({error:{name,message}, request, response}) unless it is a known error type
    response = { status: 'error', error: { name: e.name, message: e.message } };
  }
} else {
  // full execution through the genuine workflow runner
  const taskId = randomUUID();
  const contentsPath = path.join(workingDirectory, `template-${taskId}`);
  for (const f of directoryContents) {
    fs.mkdirSync(path.dirname(path.join(contentsPath, f.path)), { recursive: true });
    fs.writeFileSync(path.join(contentsPath, f.path), f.content);
  }
  let captured;
  const extract = createTemplateAction({
    id: 'oracle:extract',
    supportsDryRun: true,
    async handler(ctx) { captured = await serializeDirectoryContents(ctx.workspacePath); },
  });
  const runner = new NunjucksWorkflowRunner({
    actionRegistry: makeRegistry([...actions, extract]), integrations, logger: quietLogger,
    workingDirectory, config, metrics,
  });
  const events = [];
  const spec = {
    apiVersion: template.apiVersion,
    steps: [...steps, { id: 'oracle-extract', name: 'oracle:extract', action: 'oracle:extract', if: '${{ always() }}' }],
    output: template.spec.output ?? {},
    parameters: values,
    user,
    templateInfo: { entityRef: 'template:default/oracle', baseUrl: pathToFileURL(path.join(contentsPath, 'template.yaml')).toString(), entity: { metadata: template.metadata } },
  };
  let status;
  let completion;
  try {
    const { output } = await runner.execute({
      taskId, spec, secrets: { ...secrets, backstageToken: 'oracle-token' },
      getInitiatorCredentials: async () => credentials,
      done: false, isDryRun: false,
      getWorkspaceName: async () => taskId,
      cancelSignal: new AbortController().signal,
      async emitLog(message, meta) {
        if (meta?.stepId === 'oracle-extract') return;
        events.push({ type: 'log', body: { message, ...meta } });
      },
      async complete() {},
    });
    status = 'completed';
    completion = { message: 'Run completed with status: completed', output };
  } catch (e) {
    status = 'failed';
    completion = { message: 'Run completed with status: failed', error: { name: e.name, message: e.message } };
  }
  // the stack traces in failure logs contain machine paths; keep first line only
  for (const ev of events) {
    if (ev.body.status === 'failed' && typeof ev.body.message === 'string') ev.body.message = ev.body.message.split('\n')[0];
  }
  events.push({ type: 'completion', body: completion });
  response = {
    taskStatus: status,
    events,
    directoryContents: (captured ?? []).map(f => ({ path: f.path, executable: f.executable, base64Content: f.content.toString('base64') })),
  };
}
fs.rmSync(workingDirectory, { recursive: true, force: true });

// Backstage lists files with globby (concurrent traversal), so the order of
// directoryContents and of per-file log lines within a step is NOT stable.
// directoryContents is sorted by path here; compare per-step log lines as a
// multiset.
const byPath = (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
if (response.body?.directoryContents) response.body.directoryContents.sort(byPath);
if (response.directoryContents) response.directoryContents.sort(byPath);

// Normalise run-specific noise so expected files are stable: the dry-run id
// and temp paths appear in a few log lines.
let text = JSON.stringify(response, null, 2);
text = text.split(workingDirectory).join('<workingDirectory>');
text = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, '<uuid>');
fs.writeFileSync(path.join(outDir, 'response.json'), `${text}\n`);

const files = response.body?.directoryContents ?? response.directoryContents ?? [];
for (const f of files) {
  const p = path.join(outDir, 'workspace', f.path);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, Buffer.from(f.base64Content, 'base64'));
}
console.log(`${outDir}: ${response.status ?? response.taskStatus} (${files.length} files)`);
