#!/usr/bin/env node
// Synthetic catalog generator for the validate benchmark (no dependencies).
//
//   node tests/bench/gen-catalog.mjs [--entities N] [--out DIR] [--seed S]
//                                    [--min-per-file 20] [--max-per-file 50]
//
// Writes a directory tree that looks like a large organisation's catalog:
//
//   DIR/all.yaml                         root Location -> every folder Location
//   DIR/org/location.yaml                Location -> the org files
//   DIR/org/teams-NNNN.yaml              Groups (one tree) and their Users
//   DIR/domains/<domain>/location.yaml   Location -> that domain's files
//   DIR/domains/<domain>/part-NNN.yaml   the Domain, its Systems, Components,
//                                        APIs and Resources
//   DIR/files.txt                        every YAML file, relative to DIR,
//                                        one per line (what the bench feeds
//                                        to both tools, in this order)
//   DIR/manifest.json                    counts: documents, files, bytes,
//                                        kinds, relations the built-in
//                                        processors should emit
//
// N counts every YAML document, Locations included, so "docs" in the bench
// table is exactly N. The kind mix follows shared/backstage-host's generator
// (Domain 1%, System 5%, Group 4%, User 20%, API 20%, Resource 10%, the rest
// Components) so figures can be set next to the measured Backstage ingest.
// Each file holds a random 20-50 documents. Every reference points at an
// entity that exists and is written the way people write them in practice:
// shorthand where the field has a default kind (owner: team-x, system: y),
// explicit kinds where Backstage requires them (dependsOn: resource:...).
// Output is deterministic for a given (N, seed, per-file range).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// --------------------------------------------------------------------------
// Options
// --------------------------------------------------------------------------

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
function opt(name, def) {
  const i = argv.indexOf(name);
  if (i < 0) return def;
  const v = argv[i + 1];
  if (v === undefined) usage(`${name} needs a value`);
  return v;
}
function usage(msg) {
  if (msg) process.stderr.write(`gen-catalog: ${msg}\n`);
  process.stderr.write(
    'usage: gen-catalog.mjs [--entities N] [--out DIR] [--seed S] ' +
      '[--min-per-file 20] [--max-per-file 50]\n',
  );
  process.exit(2);
}
if (argv.includes('-h') || argv.includes('--help')) usage();

const N = Number(opt('--entities', 100000));
const SEED = Number(opt('--seed', 1));
const MIN_PER_FILE = Number(opt('--min-per-file', 20));
const MAX_PER_FILE = Number(opt('--max-per-file', 50));
const OUT = path.resolve(opt('--out', path.join(here, 'out', `catalog-${N}`)));
if (!Number.isInteger(N) || N < 200) usage('--entities must be an integer >= 200');
if (!(MIN_PER_FILE >= 1 && MAX_PER_FILE >= MIN_PER_FILE)) usage('bad per-file range');

// --------------------------------------------------------------------------
// Deterministic randomness (mulberry32): same seed, same catalog, so runs on
// different machines or days validate byte-identical input.
// --------------------------------------------------------------------------

let state = SEED >>> 0 || 1;
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = n => Math.floor(rnd() * n);
const pick = arr => arr[ri(arr.length)];
const chance = p => rnd() < p;
// `count` distinct integers in [0, n), never `exclude`.
function distinct(count, n, exclude = -1) {
  const want = Math.min(count, n - (exclude >= 0 && exclude < n ? 1 : 0));
  const s = new Set();
  while (s.size < want) {
    const v = ri(n);
    if (v !== exclude) s.add(v);
  }
  return [...s];
}

// --------------------------------------------------------------------------
// Minimal YAML emitter. Only what the catalog uses: maps, lists, strings,
// numbers, booleans. Strings that could be misread (booleans, numbers,
// leading indicators, ": " or " #") are written JSON-quoted, which is valid
// YAML double-quoted syntax; multi-line strings become literal blocks.
// --------------------------------------------------------------------------

const PLAIN = /^[A-Za-z0-9_./@$(][A-Za-z0-9 _./@:+#$(){}',-]*$/;
const LOOKS_TYPED = /^(?:true|false|yes|no|on|off|null|~|[-+]?(?:\d[\d_]*)?\.?\d+(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|nan))$/i;

function scalar(s) {
  if (
    PLAIN.test(s) &&
    !LOOKS_TYPED.test(s) &&
    !s.includes(': ') &&
    !s.includes(' #') &&
    !s.endsWith(':') &&
    !s.endsWith(' ')
  ) {
    return s;
  }
  return JSON.stringify(s);
}

function emit(value, indent, out) {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
        // First key on the dash line, the rest aligned under it.
        const lines = [];
        emit(item, indent + 2, lines);
        lines[0] = `${pad}- ${lines[0].slice(indent + 2)}`;
        out.push(...lines);
      } else {
        out.push(`${pad}- ${inline(item, indent + 2)}`);
      }
    }
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const key = scalar(k);
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(`${pad}${key}: []`);
      else {
        out.push(`${pad}${key}:`);
        emit(v, indent + 2, out);
      }
    } else if (v !== null && typeof v === 'object') {
      if (Object.keys(v).length === 0) out.push(`${pad}${key}: {}`);
      else {
        out.push(`${pad}${key}:`);
        emit(v, indent + 2, out);
      }
    } else {
      out.push(`${pad}${key}: ${inline(v, indent + 2)}`);
    }
  }
}

function inline(v, blockIndent) {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (typeof v === 'string' && v.includes('\n') && !/^\s/.test(v) && !/[^\n]\s\n|\r|\t/.test(v)) {
    // "|" keeps exactly one trailing newline, "|-" none.
    const body = v.endsWith('\n') ? v.slice(0, -1) : v;
    if (body.endsWith('\n')) return JSON.stringify(v);
    const p = ' '.repeat(blockIndent);
    return `${v.endsWith('\n') ? '|' : '|-'}\n${body
      .split('\n')
      .map(l => (l ? p + l : ''))
      .join('\n')}`;
  }
  return scalar(String(v));
}

const toYaml = obj => {
  const out = [];
  emit(obj, 0, out);
  return out.join('\n');
};

// --------------------------------------------------------------------------
// Vocabulary, so names and descriptions read like a real catalog.
// --------------------------------------------------------------------------

const AREAS = ['payments', 'checkout', 'identity', 'search', 'catalog', 'pricing', 'ledger',
  'fraud', 'shipping', 'billing', 'notifications', 'analytics', 'inventory', 'loyalty',
  'support', 'onboarding', 'risk', 'treasury', 'reporting', 'platform'];
const NOUNS = ['gateway', 'router', 'engine', 'worker', 'scheduler', 'indexer', 'store',
  'adapter', 'bridge', 'portal', 'console', 'collector', 'resolver', 'tracker', 'exporter',
  'importer', 'matcher', 'planner', 'sync', 'hub'];
const FIRST = ['alex', 'sam', 'robin', 'kim', 'jo', 'maria', 'li', 'noah', 'ava', 'omar',
  'lena', 'yuki', 'ines', 'tom', 'priya', 'lucas', 'zoe', 'ivan', 'mia', 'eli'];
const LAST = ['garcia', 'smith', 'chen', 'muller', 'rossi', 'kowalski', 'silva', 'tanaka',
  'okafor', 'larsen', 'dubois', 'novak', 'patel', 'nguyen', 'haddad', 'berg'];
const LANGS = ['java', 'go', 'typescript', 'python', 'kotlin', 'rust'];

const pad = (i, w = 5) => String(i).padStart(w, '0');
const cap = s => s[0].toUpperCase() + s.slice(1);

// Counts: fixed fractions, Locations and the remainder go to Components.
const D = Math.max(1, Math.round(N * 0.01));
const S = Math.max(D, Math.round(N * 0.05));
const G = Math.max(2, Math.round(N * 0.04));
const U = Math.round(N * 0.2);
const A = Math.round(N * 0.2);
const R = Math.round(N * 0.1);
const LOCATIONS = 2 + D; // all.yaml, org/location.yaml, one per domain folder
const C = N - D - S - G - U - A - R - LOCATIONS;
if (C < S) usage('--entities too small for the kind mix');

const names = {
  domain: Array.from({ length: D }, (_, i) => `${AREAS[i % AREAS.length]}-domain-${pad(i)}`),
  system: Array.from({ length: S }, (_, i) => `${pick(AREAS)}-${pick(NOUNS)}-system-${pad(i)}`),
  group: Array.from({ length: G }, (_, i) => (i === 0 ? 'acme-corp' : `team-${pick(AREAS)}-${pad(i)}`)),
  user: Array.from({ length: U }, (_, i) => `${pick(FIRST)}.${pick(LAST)}.${pad(i)}`),
  api: Array.from({ length: A }, (_, i) => `${pick(AREAS)}-${pick(NOUNS)}-api-${pad(i)}`),
  resource: [],
  component: Array.from({ length: C }, (_, i) => `${pick(AREAS)}-${pick(NOUNS)}-${pad(i)}`),
};
const RESOURCE_TYPES = [
  ['database', 'postgres'], ['database', 'mysql'], ['queue', 'kafka-topic'], ['queue', 'sqs'],
  ['bucket', 's3'], ['cache', 'redis'],
];
const resourceType = Array.from({ length: R }, () => pick(RESOURCE_TYPES));
names.resource = resourceType.map(([, flavour], i) => `${flavour}-${pad(i)}`);

// Relation bookkeeping: the built-in processors emit a forward and an inverse
// relation per reference (spec §7.1), so the expected emitted total is
// 2 x references, summed over entities. The generator never repeats a target
// within one entity's relation fields, so nothing is counted twice.
let expectedRelations = 0;
const refs = list => {
  expectedRelations += 2 * list.length;
  return list;
};

// --------------------------------------------------------------------------
// Organisation: one Group tree (4 children each) and its Users.
// --------------------------------------------------------------------------

const groupDocs = [];
const childrenOf = Array.from({ length: G }, () => []);
for (let i = 1; i < G; i++) childrenOf[Math.floor((i - 1) / 4)].push(i);
const membersOf = Array.from({ length: G }, () => []);
const userGroups = Array.from({ length: U }, (_, u) => {
  // Everybody is in one team; one in five also in a second (guild, on-call).
  const gs = [1 + (u % (G - 1))];
  if (u % 5 === 0) {
    const g2 = 1 + ri(G - 1);
    if (g2 !== gs[0]) gs.push(g2);
  }
  return gs;
});
userGroups.forEach((gs, u) => gs.forEach(g => membersOf[g].push(u)));

for (let g = 0; g < G; g++) {
  const n = names.group[g];
  const spec = {
    type: g === 0 ? 'organization' : childrenOf[g].length ? 'department' : 'team',
    profile: {
      displayName: g === 0 ? 'Acme Corp' : `${cap(n.split('-')[1])} team ${g}`,
      email: `${n}@acme.example`,
    },
  };
  const fields = [];
  if (g > 0) {
    spec.parent = names.group[Math.floor((g - 1) / 4)];
    fields.push(spec.parent);
  }
  spec.children = childrenOf[g].map(c => names.group[c]);
  fields.push(...spec.children);
  // Some org exports list members on the group too (dupes the memberOf edge).
  if (g % 3 === 0 && membersOf[g].length) {
    spec.members = membersOf[g].slice(0, 3).map(u => names.user[u]);
    fields.push(...spec.members.map(m => `user:${m}`));
  }
  refs(fields.map(f => (f.includes(':') ? f : `group:${f}`)));
  groupDocs.push({
    tree: g,
    doc: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: n,
        description: g === 0 ? 'The whole company' : `${spec.profile.displayName}, part of Acme Corp engineering`,
        annotations: { 'github.com/team-slug': `acme/${n}` },
      },
      spec,
    },
  });
}
const userDocs = names.user.map((n, u) => {
  const [first, last] = n.split('.');
  const memberOf = userGroups[u].map(g => names.group[g]);
  refs(memberOf.map(m => `group:${m}`));
  return {
    tree: userGroups[u][0],
    doc: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: n },
      spec: {
        profile: { displayName: `${cap(first)} ${cap(last)}`, email: `${n}@acme.example` },
        memberOf,
      },
    },
  };
});

// --------------------------------------------------------------------------
// Software: Domains -> Systems -> Components / APIs / Resources.
// --------------------------------------------------------------------------

const teamOf = () => 1 + ri(G - 1); // any team but the root organisation
const systemDomain = Array.from({ length: S }, (_, s) => (s < D ? s : ri(D)));
const systemOwner = Array.from({ length: S }, teamOf);
const apiSystem = Array.from({ length: A }, () => ri(S));
const resourceSystem = Array.from({ length: R }, () => ri(S));
const componentSystem = Array.from({ length: C }, (_, c) => (c < S ? c : ri(S)));
const byDomain = Array.from({ length: D }, () => []); // docs per domain folder
// A system's entities are written together (system, then its APIs, resources
// and components), the way a team's repository or monorepo file reads.
const bySystem = Array.from({ length: S }, () => []);

const commonMeta = (name, system, extra = {}) => ({
  name,
  description: `${cap(name.replace(/-\d+$/, '').replace(/-/g, ' '))}, part of ${names.system[system]}`,
  labels: { 'acme.example/tier': pick(['tier-1', 'tier-2', 'tier-3']), 'acme.example/cost-center': `cc-${100 + ri(40)}` },
  ...extra,
});

for (let d = 0; d < D; d++) {
  const owner = names.group[teamOf()];
  const spec = { owner, type: 'product-area' };
  const r = [`group:${owner}`];
  if (d > 0 && chance(0.1)) {
    spec.subdomainOf = names.domain[ri(d)];
    r.push(`domain:${spec.subdomainOf}`);
  }
  refs(r);
  byDomain[d].push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: names.domain[d], title: `${cap(AREAS[d % AREAS.length])} domain ${d}`, description: 'Product area' },
    spec,
  });
}
for (let s = 0; s < S; s++) {
  const spec = { owner: names.group[systemOwner[s]], domain: names.domain[systemDomain[s]], type: 'product' };
  refs([`group:${spec.owner}`, `domain:${spec.domain}`]);
  bySystem[s].push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: names.system[s], description: `System ${s}`, tags: [pick(AREAS)] },
    spec,
  });
}

const API_TYPES = ['openapi', 'openapi', 'openapi', 'asyncapi', 'graphql', 'grpc'];
function definition(type, name) {
  switch (type) {
    case 'openapi':
      return `openapi: 3.0.3\ninfo:\n  title: ${name}\n  version: 1.${ri(20)}.0\npaths:\n  /v1/items:\n    get:\n      summary: List items\n      responses:\n        '200':\n          description: OK\n  /v1/items/{id}:\n    get:\n      summary: Get one item\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '200':\n          description: OK\n        '404':\n          description: Not found\n`;
    case 'asyncapi':
      return `asyncapi: 2.6.0\ninfo:\n  title: ${name}\n  version: 1.0.0\nchannels:\n  ${name}.events:\n    subscribe:\n      message:\n        payload:\n          type: object\n          properties:\n            id:\n              type: string\n`;
    case 'graphql':
      return `type Query {\n  item(id: ID!): Item\n  items(first: Int = 20): [Item!]!\n}\n\ntype Item {\n  id: ID!\n  name: String!\n}\n`;
    default:
      return `syntax = "proto3";\n\npackage acme.v1;\n\nservice Items {\n  rpc GetItem (GetItemRequest) returns (Item);\n}\n\nmessage GetItemRequest { string id = 1; }\nmessage Item { string id = 1; string name = 2; }\n`;
  }
}
for (let a = 0; a < A; a++) {
  const s = apiSystem[a];
  const type = API_TYPES[a % API_TYPES.length];
  const spec = {
    type,
    lifecycle: pick(['production', 'production', 'experimental', 'deprecated']),
    owner: `group:default/${names.group[systemOwner[s]]}`,
    system: names.system[s],
    definition: definition(type, names.api[a]),
  };
  refs([spec.owner, `system:${spec.system}`]);
  bySystem[s].push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: commonMeta(names.api[a], s, { tags: [type, 'rest'].slice(0, type === 'openapi' ? 2 : 1) }),
    spec,
  });
}
for (let r = 0; r < R; r++) {
  const s = resourceSystem[r];
  const [type, flavour] = resourceType[r];
  const spec = { type, owner: names.group[systemOwner[s]], system: names.system[s] };
  const rr = [`group:${spec.owner}`, `system:${spec.system}`];
  // Read replicas and DLQs depend on their primary resource.
  if (r > 0 && chance(0.15)) {
    spec.dependsOn = [`resource:${names.resource[ri(r)]}`];
    rr.push(...spec.dependsOn);
  }
  refs(rr);
  bySystem[s].push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: commonMeta(names.resource[r], s, { tags: [flavour] }),
    spec,
  });
}

// Every API gets exactly one provider component; consumers are random.
const provides = Array.from({ length: C }, () => []);
for (let a = 0; a < A; a++) provides[a % C].push(a);
const TYPES = ['service', 'service', 'service', 'website', 'library'];
for (let c = 0; c < C; c++) {
  const s = componentSystem[c];
  const name = names.component[c];
  const lang = pick(LANGS);
  const spec = {
    type: TYPES[c % TYPES.length],
    lifecycle: pick(['production', 'production', 'production', 'experimental', 'deprecated']),
    owner: names.group[systemOwner[s]],
    system: names.system[s],
  };
  const rr = [`group:${spec.owner}`, `system:${spec.system}`];
  if (c >= S && chance(0.05)) {
    spec.subcomponentOf = names.component[ri(c)];
    rr.push(`component:${spec.subcomponentOf}`);
  }
  if (provides[c].length) {
    spec.providesApis = provides[c].map(a => names.api[a]);
    rr.push(...spec.providesApis.map(x => `api:${x}`));
  }
  const consumes = distinct(ri(4), A).filter(a => !provides[c].includes(a));
  if (consumes.length) {
    spec.consumesApis = consumes.map(a => `api:${names.api[a]}`);
    rr.push(...spec.consumesApis);
  }
  const deps = distinct(ri(3), C, c)
    .map(x => `component:${names.component[x]}`)
    .filter(x => x !== `component:${spec.subcomponentOf}`);
  if (chance(0.6)) deps.push(`resource:default/${names.resource[ri(R)]}`);
  if (deps.length) {
    spec.dependsOn = deps;
    rr.push(...deps);
  }
  refs(rr);
  bySystem[s].push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: commonMeta(name, s, {
      annotations: {
        'github.com/project-slug': `acme/${name}`,
        'backstage.io/techdocs-ref': 'dir:.',
        'pagerduty.com/service-id': `P${pad(c, 6)}`,
      },
      tags: [lang, spec.type],
      links: [
        { url: `https://grafana.acme.example/d/${name}`, title: 'Dashboard', icon: 'dashboard' },
        { url: `https://runbooks.acme.example/${name}`, title: 'Runbook' },
      ],
    }),
    spec,
  });
}

for (let s = 0; s < S; s++) byDomain[systemDomain[s]].push(...bySystem[s]);

// --------------------------------------------------------------------------
// Files: chunk each folder's documents into 20-50 document files.
// --------------------------------------------------------------------------

const files = []; // { rel, docs }
function chunk(dir, prefix, docs, width) {
  const out = [];
  for (let i = 0, f = 0; i < docs.length; f++) {
    const n = MIN_PER_FILE + ri(MAX_PER_FILE - MIN_PER_FILE + 1);
    out.push({ rel: `${dir}/${prefix}-${pad(f, width)}.yaml`, docs: docs.slice(i, i + n) });
    i += n;
  }
  return out;
}
function location(name, description, targets) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name, description },
    spec: { targets },
  };
}

// Org: order groups and users by team so a file reads like a department.
const orgDocs = [...groupDocs, ...userDocs].sort((x, y) => x.tree - y.tree).map(x => x.doc);
const orgFiles = chunk('org', 'teams', orgDocs, 4);
const folderLocations = ['./org/location.yaml'];
const locFiles = [
  {
    rel: 'org/location.yaml',
    docs: [location('acme-org', 'Groups and users', orgFiles.map(f => `./${path.basename(f.rel)}`))],
  },
];
const domainFiles = [];
for (let d = 0; d < D; d++) {
  const dir = `domains/${names.domain[d]}`;
  const parts = chunk(dir, 'part', byDomain[d], 3);
  domainFiles.push(...parts);
  folderLocations.push(`./${dir}/location.yaml`);
  locFiles.push({
    rel: `${dir}/location.yaml`,
    docs: [location(`${names.domain[d]}-files`, `Catalog files of ${names.domain[d]}`, parts.map(f => `./${path.basename(f.rel)}`))],
  });
}
files.push(
  { rel: 'all.yaml', docs: [location('acme-catalog', `Synthetic Acme catalog, ${N} documents, seed ${SEED}`, folderLocations)] },
  ...locFiles,
  ...orgFiles,
  ...domainFiles,
);

fs.rmSync(OUT, { recursive: true, force: true });
let bytes = 0;
const kinds = {};
let documents = 0;
for (const f of files) {
  const text = f.docs.map(doc => `---\n${toYaml(doc)}\n`).join('');
  const abs = path.join(OUT, f.rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  bytes += Buffer.byteLength(text);
  for (const doc of f.docs) kinds[doc.kind] = (kinds[doc.kind] ?? 0) + 1;
  documents += f.docs.length;
}
if (documents !== N) throw new Error(`internal: wrote ${documents} documents, wanted ${N}`);
fs.writeFileSync(path.join(OUT, 'files.txt'), files.map(f => f.rel).join('\n') + '\n');
const manifest = {
  documents,
  files: files.length,
  bytes,
  seed: SEED,
  perFile: [MIN_PER_FILE, MAX_PER_FILE],
  kinds,
  expectedRelations,
  root: 'all.yaml',
  // Lets run-validate-bench.sh notice a tree written by an older generator.
  generatorSha256: crypto.createHash('sha256').update(fs.readFileSync(fileURLToPath(import.meta.url))).digest('hex'),
};
fs.writeFileSync(path.join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
process.stdout.write(`${JSON.stringify({ out: OUT, ...manifest })}\n`);
