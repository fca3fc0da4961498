// Every public method of the real @backstage/catalog-client CatalogClient
// (pinned in package-lock.json) against a real idp-server over the catalog in
// ./catalog. Expected values come from the YAML files themselves, Backstage's
// rules (shared/spec/catalog.md, cited by section) and the real Backstage
// code (expected-relations.jsonl is the output of the pinned catalog oracle,
// see README.md), never from what the server answers.
//
//   IDP_SERVER=<build>/tools/idp-server/idp-server node --test catalog-client.test.mjs
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { CATALOG_FILTER_EXISTS, CatalogClient } from '@backstage/catalog-client';
import { parseEntityRef, stringifyEntityRef, stringifyLocationRef } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';

import { startServer } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const catalogDir = path.join(here, 'catalog');
const ROOT = path.join(catalogDir, 'all.yaml');
const EXTRA = path.join(catalogDir, 'extra.yaml');
const EXTRA2 = path.join(catalogDir, 'extra2.yaml');
const EXTRA3 = path.join(catalogDir, 'extra3.yaml');
const TOKEN = 'catalog-client-test-token-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// ---------------------------------------------------------------------------
// What the catalog holds, from the YAML files (spec §8.1, §8.4)
// ---------------------------------------------------------------------------

const sha1 = s => crypto.createHash('sha1').update(s).digest('hex');
// Backstage's locationSpecToMetadataName / computeLocationEntityRef.
const generatedRef = (type, target) => `location:default/generated-${sha1(`${type}:${target}`)}`;
const ROOT_LOCATION_REF = generatedRef('file', ROOT);

function readDocs(file) {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS());
}
// Files reachable from all.yaml (its `targets`, relative to its folder).
const rootDocs = readDocs(ROOT);
const reachable = [ROOT, ...rootDocs[0].spec.targets.map(t => path.join(catalogDir, t))];
const source = []; // {entity, file}
for (const file of reachable) for (const entity of readDocs(file)) source.push({ entity, file });
const refOf = e => stringifyEntityRef(e);
const sourceByRef = new Map(source.map(s => [refOf(s.entity), s]));
const components = source.map(s => s.entity).filter(e => e.kind === 'Component');
// Served: every document plus the config location's generated Location entity.
const expectedRefs = [...sourceByRef.keys(), ROOT_LOCATION_REF].sort();
const expectedRelations = new Map(
  fs.readFileSync(path.join(here, 'expected-relations.jsonl'), 'utf8').trim().split('\n')
    .map(l => JSON.parse(l)).map(l => [l.ref, l.relations]));

const sortRels = rels => [...rels].sort((a, b) =>
  (a.type + a.targetRef).localeCompare(b.type + b.targetRef));
const names = items => items.map(e => e.metadata.name);
function countBy(values) {
  const m = new Map();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  // facets are ordered by value (spec §10.10)
  return [...m].map(([value, count]) => ({ value, count }))
    .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

// ---------------------------------------------------------------------------
// Server and clients
// ---------------------------------------------------------------------------

// A real HTTP server on 127.0.0.1 serving the catalog folder: what `url`
// locations read (backend.reading.allow admits its host:port and /catalog/).
let yamlServer;
let yamlBase;
let CONFIG;
const configText = () => `
backend:
  reading:
    allow:
      - host: 127.0.0.1:${new URL(yamlBase).port}
        paths: [/catalog/]
  auth:
    externalAccess:
      - type: static
        options:
          token: ${TOKEN}
          subject: catalog-client-test
catalog:
  rules:
    - allow: [Component, System, API, Resource, Location, Domain, Group, User, Template]
  processingInterval:
    seconds: 3600
idp:
  server:
    readsRequireToken: true
    accessLog: false
`;

let server;
let client;     // the real CatalogClient, wrapped to record which methods ran
let anonymous;  // no Authorization header
let badToken;
const called = new Set();

function makeClient(token) {
  const discoveryApi = { getBaseUrl: async pluginId => `${server.url}/api/${pluginId}` };
  const fetchApi = {
    fetch: (input, init = {}) => {
      const headers = new Headers(init.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    },
  };
  return new CatalogClient({ discoveryApi, fetchApi });
}

before(async () => {
  yamlServer = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/(catalog|outside)\//, '');
    const file = path.join(catalogDir, path.basename(name));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/yaml' }).end(fs.readFileSync(file));
  });
  await new Promise(resolve => yamlServer.listen(0, '127.0.0.1', resolve));
  yamlBase = `http://127.0.0.1:${yamlServer.address().port}`;
  CONFIG = configText();
  server = await startServer({ config: CONFIG, locations: [ROOT] });
  const real = makeClient(TOKEN);
  client = new Proxy(real, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args) => {
        called.add(prop);
        return v.apply(target, args);
      };
    },
  });
  anonymous = makeClient(undefined);
  badToken = makeClient('not-the-token');
});

after(async () => {
  yamlServer?.close();
  if (server) {
    const { code, signal } = await server.stop();
    assert.equal(signal, null, 'idp-server died from a signal');
    assert.equal(code, 0, 'idp-server must exit 0 on SIGTERM');
  }
});

// An error from the client, as a ResponseError with Backstage's body (§10.1).
async function expectError(promise, status, name, message) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected a ${status} ${name}, got success`);
  assert.equal(err.name, 'ResponseError', `not a ResponseError: ${err.stack}`);
  assert.equal(err.statusCode, status, JSON.stringify(err.body));
  assert.equal(err.cause?.name, name, JSON.stringify(err.body));
  assert.equal(err.body?.error?.name, name);
  assert.equal(err.body?.response?.statusCode, status);
  assert.equal(typeof err.body?.request?.method, 'string');
  assert.match(err.body?.request?.url ?? '', /^\/api\/catalog\//, 'request.url keeps the /api/catalog prefix');
  if (message instanceof RegExp) assert.match(err.body.error.message, message);
  else if (message !== undefined) assert.equal(err.body.error.message, message);
  return err;
}

// Backstage processes registered locations asynchronously (spec §8.8): a
// client that wants to see the result has to ask again until it is there.
async function eventually(fn, what) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`never happened: ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------

test('getEntities: every entity, served shape (spec §9), relations as Backstage stitches them', async () => {
  const { items } = await client.getEntities();
  assert.deepEqual(items.map(refOf).sort(), expectedRefs);
  const uids = new Set();
  for (const e of items) {
    const ref = refOf(e);
    assert.match(e.metadata.uid, UUID, `${ref} uid`);
    uids.add(e.metadata.uid);
    assert.match(e.metadata.etag, /^[0-9a-f]{40}$/, `${ref} etag`);
    assert.equal(e.metadata.namespace, parseEntityRef(ref).namespace);
    const ann = e.metadata.annotations;
    if (ref === ROOT_LOCATION_REF) {
      assert.deepEqual(e.spec, { type: 'file', target: ROOT });
      assert.equal(ann['backstage.io/managed-by-location'], `file:${ROOT}`);
      assert.equal(ann['backstage.io/managed-by-origin-location'], `file:${ROOT}`);
      continue;
    }
    const src = sourceByRef.get(ref);
    assert.equal(ann['backstage.io/managed-by-location'], `file:${src.file}`, ref);
    assert.equal(ann['backstage.io/managed-by-origin-location'], `file:${ROOT}`, ref);
    assert.equal(e.status, undefined, `${ref} has processing errors: ${JSON.stringify(e.status)}`);
    assert.equal(e.metadata.title, src.entity.metadata.title);
    assert.equal(e.metadata.description, src.entity.metadata.description);
    assert.deepEqual(sortRels(e.relations ?? []), sortRels(expectedRelations.get(ref) ?? []), `${ref} relations`);
  }
  assert.equal(uids.size, items.length, 'uids are unique');
});

test('getEntities: filter (AND in a set, OR across sets, EXISTS), fields, order, offset/limit paging', async () => {
  const websites = components.filter(e => e.spec.type === 'website').map(refOf).sort();
  let r = await client.getEntities({ filter: { kind: 'component', 'spec.type': 'WEBSITE' } });
  assert.deepEqual(r.items.map(refOf).sort(), websites, 'filter is case-insensitive (§10.2)');

  r = await client.getEntities({ filter: [{ kind: 'API' }, { kind: 'system' }] });
  assert.deepEqual(r.items.map(refOf).sort(), ['api:default/orders-api', 'system:shop/checkout']);

  r = await client.getEntities({ filter: { kind: 'Group', 'spec.parent': CATALOG_FILTER_EXISTS } });
  assert.deepEqual(r.items.map(refOf).sort(), ['group:default/team-a', 'group:default/team-b']);

  r = await client.getEntities({ filter: { 'relations.ownedBy': 'group:default/team-a', kind: 'component' } });
  assert.deepEqual(r.items.map(refOf).sort(),
    components.filter(e => e.spec.owner === 'team-a').map(refOf).sort());

  r = await client.getEntities({ filter: { 'metadata.tags': 'web' }, fields: ['metadata.name', 'spec.type'] });
  const web = components.filter(e => e.metadata.tags.includes('web'));
  assert.deepEqual(r.items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)),
    web.map(e => ({ metadata: { name: e.metadata.name }, spec: { type: e.spec.type } })));

  const refs = components.map(refOf).sort();
  r = await client.getEntities({ filter: { kind: 'Component' }, offset: 5, limit: 10 });
  assert.deepEqual(r.items.map(refOf), refs.slice(5, 15), 'paged: entity ref order (§10.3)');

  r = await client.getEntities({
    filter: { kind: 'Component' }, order: { field: 'metadata.name', order: 'desc' }, limit: 4,
  });
  assert.deepEqual(names(r.items), components.map(e => e.metadata.name).sort().reverse().slice(0, 4));

  r = await client.getEntities({ filter: { kind: 'Component', 'spec.type': 'nothing-has-this' } });
  assert.deepEqual(r.items, []);
});

test('getEntityByRef / getEntityByName: by-name lookup, case-insensitive, 404 is undefined', async () => {
  const e = await client.getEntityByRef('component:default/svc-01');
  assert.equal(refOf(e), 'component:default/svc-01');
  assert.deepEqual(e.spec.providesApis, ['orders-api']);
  assert.equal((await client.getEntityByRef('Component:Default/SVC-01')).metadata.uid, e.metadata.uid);
  const sys = await client.getEntityByRef({ kind: 'System', namespace: 'shop', name: 'checkout' });
  assert.equal(refOf(sys), 'system:shop/checkout');
  assert.equal(await client.getEntityByRef('component:default/does-not-exist'), undefined);
  assert.equal(await client.getEntityByRef('component:shop/svc-01'), undefined, 'wrong namespace');

  const byName = await client.getEntityByName({ kind: 'User', name: 'alice' });
  assert.equal(byName.spec.profile.email, 'alice@example.com');
  assert.equal(await client.getEntityByName({ kind: 'User', namespace: 'default', name: 'carol' }), undefined);
});

test('getEntitiesByRefs: same length and order, null for missing or filtered out, fields, filter, query', async () => {
  const refs = ['component:default/svc-01', 'component:default/nope', 'api:default/orders-api'];
  let r = await client.getEntitiesByRefs({ entityRefs: refs });
  assert.equal(r.items.length, 3);
  assert.equal(refOf(r.items[0]), refs[0]);
  assert.equal(r.items[1], undefined);
  assert.equal(refOf(r.items[2]), refs[2]);

  r = await client.getEntitiesByRefs({ entityRefs: refs, fields: ['kind', 'metadata.name'] });
  assert.deepEqual(r.items, [
    { kind: 'Component', metadata: { name: 'svc-01' } }, undefined, { kind: 'API', metadata: { name: 'orders-api' } }]);

  r = await client.getEntitiesByRefs({ entityRefs: refs, filter: { kind: 'api' } });
  assert.deepEqual(r.items.map(e => e && refOf(e)), [undefined, undefined, 'api:default/orders-api']);

  r = await client.getEntitiesByRefs({ entityRefs: refs, query: { kind: 'component' } });
  assert.deepEqual(r.items.map(e => e && refOf(e)), ['component:default/svc-01', undefined, undefined]);

  // Refs match the canonical lower-case form only (spec §10.6, §11.17).
  r = await client.getEntitiesByRefs({ entityRefs: ['Component:default/SVC-01'] });
  assert.deepEqual(r.items, [undefined]);

  r = await client.getEntitiesByRefs({ entityRefs: [] });
  assert.deepEqual(r.items, []);
});

test('queryEntities: cursor pages, totalItems, prev/next cursors, fullTextFilter, fields', async () => {
  const all = components.map(e => e.metadata.name).sort();
  const first = await client.queryEntities({
    filter: { kind: 'component' }, limit: 7, orderFields: { field: 'metadata.name', order: 'asc' },
  });
  assert.equal(first.totalItems, all.length);
  assert.deepEqual(names(first.items), all.slice(0, 7));
  assert.equal(typeof first.pageInfo.nextCursor, 'string');
  assert.equal(first.pageInfo.prevCursor, undefined, 'no prevCursor on the first page (§10.4)');

  const seen = [...names(first.items)];
  let page = first;
  let second;
  while (page.pageInfo.nextCursor) {
    page = await client.queryEntities({ cursor: page.pageInfo.nextCursor, limit: 7 });
    second ??= page;
    assert.equal(page.totalItems, all.length, 'totalItems is carried in the cursor');
    assert.equal(typeof page.pageInfo.prevCursor, 'string');
    seen.push(...names(page.items));
  }
  assert.deepEqual(seen, all);
  const back = await client.queryEntities({ cursor: second.pageInfo.prevCursor, limit: 7 });
  assert.deepEqual(names(back.items), all.slice(0, 7), 'prevCursor of page 2 is page 1');

  const desc = await client.queryEntities({
    filter: { kind: 'component' }, limit: 3, offset: 2, orderFields: { field: 'metadata.name', order: 'desc' },
  });
  assert.deepEqual(names(desc.items), [...all].reverse().slice(2, 5));

  const ft = await client.queryEntities({
    filter: { kind: 'component' }, fullTextFilter: { term: ' SVC-1 ', fields: ['metadata.name'] },
    orderFields: { field: 'metadata.name', order: 'asc' },
  });
  assert.deepEqual(names(ft.items), all.filter(n => n.includes('svc-1')));
  assert.equal(ft.totalItems, ft.items.length);
  assert.deepEqual(ft.pageInfo, {});

  const noTotal = await client.queryEntities({ filter: { kind: 'component' }, limit: 2, totalItems: 'exclude' });
  assert.equal(noTotal.totalItems, 0);
  assert.equal(noTotal.items.length, 2);

  const countOnly = await client.queryEntities({ filter: { kind: 'group' }, limit: 0 });
  assert.deepEqual(countOnly.items, []);
  assert.equal(countOnly.totalItems, source.filter(s => s.entity.kind === 'Group').length);

  const def = await client.queryEntities({ filter: { kind: 'component' } });
  assert.equal(def.items.length, all.length, 'default limit (200) covers all');

  const proj = await client.queryEntities({ filter: { kind: 'API' }, fields: ['metadata.name', 'spec.type'] });
  assert.deepEqual(proj.items, [{ metadata: { name: 'orders-api' }, spec: { type: 'openapi' } }]);
});

test('queryEntities with a predicate query (POST /entities/by-query) and its cursor', async () => {
  const notGo = components.filter(e => !e.metadata.tags.includes('go')).map(e => e.metadata.name).sort();
  const q = {
    query: { $all: [{ kind: 'component' }, { $not: { 'metadata.tags': { $contains: 'go' } } }] },
    orderFields: { field: 'metadata.name', order: 'asc' },
    limit: 5,
  };
  let page = await client.queryEntities(q);
  assert.equal(page.totalItems, notGo.length);
  const seen = [...names(page.items)];
  while (page.pageInfo.nextCursor) {
    page = await client.queryEntities({ cursor: page.pageInfo.nextCursor, limit: 5 });
    seen.push(...names(page.items));
  }
  assert.deepEqual(seen, notGo);

  const inList = await client.queryEntities({
    query: { kind: { $in: ['api', 'domain'] } }, orderFields: { field: 'kind', order: 'asc' },
  });
  assert.deepEqual(inList.items.map(refOf), ['api:default/orders-api', 'domain:default/commerce']);

  const owned = await client.queryEntities({
    query: { relations: { $contains: { type: 'ownedBy', targetRef: 'group:default/team-a' } }, kind: 'component' },
  });
  assert.equal(owned.totalItems, components.filter(e => e.spec.owner === 'team-a').length);

  const prefix = await client.queryEntities({ query: { 'metadata.name': { $hasPrefix: 'svc-2' } } });
  assert.deepEqual(names(prefix.items).sort(), components.map(e => e.metadata.name).filter(n => n.startsWith('svc-2')));

  const none = await client.queryEntities({ query: { $any: [] } });
  assert.deepEqual(none.items, []);
  assert.equal(none.totalItems, 0);
});

test('streamEntities: pages of pageSize until no cursor', async () => {
  const pages = [];
  for await (const p of client.streamEntities({ filter: { kind: 'component' }, pageSize: 8 })) pages.push(p);
  assert.deepEqual(pages.map(p => p.length), [8, 8, 8, 6]);
  assert.deepEqual(pages.flat().map(refOf).sort(), components.map(refOf).sort());
});

test('getEntityFacets: GET with filter and POST with query; counts from the YAML', async () => {
  const kinds = countBy([...source.map(s => s.entity.kind), 'Location']);
  let r = await client.getEntityFacets({ facets: ['kind'] });
  assert.deepEqual(r.facets.kind, kinds);

  r = await client.getEntityFacets({
    facets: ['spec.type', 'metadata.tags', 'relations.ownedBy'], filter: { kind: 'component' },
  });
  assert.deepEqual(r.facets['spec.type'], countBy(components.map(e => e.spec.type)));
  assert.deepEqual(r.facets['metadata.tags'], countBy(components.flatMap(e => e.metadata.tags)));
  assert.deepEqual(r.facets['relations.ownedBy'],
    countBy(components.map(e => `group:default/${e.spec.owner}`)), 'keyed as requested, any index key');

  r = await client.getEntityFacets({ facets: ['spec.lifecycle'], query: { kind: 'component' } });
  assert.deepEqual(r.facets['spec.lifecycle'], countBy(components.map(e => e.spec.lifecycle)));

  r = await client.getEntityFacets({ facets: ['metadata.labels.tier'], filter: { kind: 'component', 'spec.type': 'website' } });
  assert.deepEqual(r.facets['metadata.labels.tier'],
    countBy(components.filter(e => e.spec.type === 'website').map(e => e.metadata.labels.tier)));

  r = await client.getEntityFacets({ facets: ['spec.no-such-field'] });
  assert.deepEqual(r.facets, { 'spec.no-such-field': [] });
});

test('getEntityAncestors: the entity, then its Location chain up to the root', async () => {
  const r = await client.getEntityAncestors({ entityRef: 'component:default/svc-01' });
  assert.equal(r.rootEntityRef, 'component:default/svc-01');
  assert.deepEqual(r.items.map(i => [refOf(i.entity), i.parentEntityRefs]), [
    ['component:default/svc-01', ['location:default/test-root']],
    ['location:default/test-root', [ROOT_LOCATION_REF]],
    [ROOT_LOCATION_REF, []],
  ]);
  await expectError(client.getEntityAncestors({ entityRef: 'component:default/nope' }),
    404, 'NotFoundError', 'No such entity component:default/nope');
});

test('refreshEntity: 200 for a known entity, 404 NotFoundError otherwise', async () => {
  await client.refreshEntity('component:default/svc-03');
  await client.refreshEntity('location:default/test-root');
  await expectError(client.refreshEntity('component:default/nope'), 404, 'NotFoundError');
});

test('removeEntityByUid: the entity with that uid is gone; unknown uids are 204 too', async () => {
  const e = await client.getEntityByRef('component:default/svc-30');
  await client.removeEntityByUid(e.metadata.uid);
  const r = await client.getEntities({ filter: { 'metadata.uid': e.metadata.uid } });
  assert.deepEqual(r.items, [], 'no entity keeps the deleted uid (it may come back with a new one, §8.9)');
  await client.removeEntityByUid('00000000-0000-4000-8000-000000000000');
});

// ---------------------------------------------------------------------------
// Locations (file locations: idp-server's allowed type, spec §8.2)
// ---------------------------------------------------------------------------

test('locations: add, conflict, dryRun, get by id/ref/entity, query/stream, update, remove', async () => {
  assert.deepEqual(await client.getLocations(), { items: [] }, 'config locations are not listed (§10.11)');
  assert.deepEqual(await client.queryLocations(), { items: [], totalItems: 0, pageInfo: {} });

  const added = await client.addLocation({ type: 'file', target: EXTRA });
  assert.match(added.location.id, UUID);
  assert.deepEqual(added.location, { id: added.location.id, type: 'file', target: EXTRA, entityRef: generatedRef('file', EXTRA) });
  assert.deepEqual(added.entities, []);
  assert.equal(added.exists, undefined);
  const id1 = added.location.id;

  await expectError(client.addLocation({ type: 'file', target: EXTRA }), 409, 'ConflictError',
    `Location file:${EXTRA} already exists`);

  // dryRun (Backstage's DefaultLocationService.dryRunCreateLocation): the
  // location is processed now, depth first, and nothing is stored; entities
  // come back as processing leaves them (no uid, etag, relations or status).
  const dry = await client.addLocation({ type: 'file', target: EXTRA2, dryRun: true });
  assert.equal(dry.exists, false);
  assert.deepEqual(dry.location, { type: 'file', target: EXTRA2, id: `file:${EXTRA2}`, entityRef: generatedRef('file', EXTRA2) });
  const managed = target => ({
    'backstage.io/managed-by-location': `file:${target}`,
    'backstage.io/managed-by-origin-location': `file:${target}`,
  });
  const extra2 = readDocs(EXTRA2)[0];
  assert.deepEqual(dry.entities, [
    {
      apiVersion: 'backstage.io/v1alpha1', kind: 'Location',
      metadata: { name: parseEntityRef(generatedRef('file', EXTRA2)).name, namespace: 'default', annotations: managed(EXTRA2) },
      spec: { type: 'file', target: EXTRA2 },
    },
    { ...extra2, metadata: { ...extra2.metadata, namespace: 'default', annotations: managed(EXTRA2) } },
  ]);
  assert.equal(await client.getEntityByRef('component:default/extra-three'), undefined, 'dryRun ingests nothing');
  assert.equal(await client.getEntityByRef(generatedRef('file', EXTRA2)), undefined, 'dryRun stores no Location entity');
  const dryAgain = await client.addLocation({ type: 'file', target: EXTRA, dryRun: true });
  assert.equal(dryAgain.exists, true);
  assert.equal((await client.getLocations()).items.length, 1, 'dryRun registers nothing');
  // Any processing error fails the whole dry run: 400 with the errors joined
  // as `${name}: ${message}`; the same ref twice is a duplicate.
  await expectError(client.addLocation({ type: 'file', target: path.join(catalogDir, 'dry-invalid.yaml'), dryRun: true }),
    400, 'InputError', /^InputError: Policy check failed for component:default\/not a valid name!; caused by Error: "metadata\.name" is not valid/);
  await expectError(client.addLocation({ type: 'file', target: path.join(catalogDir, 'dry-duplicate.yaml'), dryRun: true }),
    400, 'InputError', 'Duplicate nested entity: component:default/dry-twice');
  await expectError(client.addLocation({ type: 'file', target: path.join(catalogDir, 'no-such-file.yaml'), dryRun: true }),
    400, 'InputError', `NotFoundError: file ${path.join(catalogDir, 'no-such-file.yaml')} does not exist`);
  assert.equal(await client.getEntityByRef('component:default/dry-fine'), undefined);

  assert.deepEqual(await client.getLocations(), { items: [added.location] });
  assert.deepEqual(await client.getLocationById(id1), added.location);
  assert.equal(await client.getLocationById('00000000-0000-4000-8000-000000000000'), undefined);
  assert.deepEqual(await client.getLocationByRef(`file:${EXTRA}`), added.location);
  assert.equal(stringifyLocationRef(added.location), `file:${EXTRA}`);
  assert.equal(await client.getLocationByRef('file:/no/such/file.yaml'), undefined);

  const extraOne = await eventually(() => client.getEntityByRef('component:default/extra-one'),
    'entities of the added location are ingested');
  assert.equal(extraOne.metadata.annotations['backstage.io/managed-by-origin-location'], `file:${EXTRA}`);
  assert.deepEqual(await client.getLocationByEntity('component:default/extra-one'), added.location);
  assert.deepEqual(await client.getLocationByEntity({ kind: 'Component', namespace: 'default', name: 'extra-two' }), added.location);
  assert.equal(await client.getLocationByEntity('component:default/svc-01'), undefined,
    'origin is a config location, which is not a registered one');
  assert.equal(await client.getLocationByEntity('component:default/nope'), undefined);

  const second = (await client.addLocation({ type: 'file', target: EXTRA2 })).location;
  const ids = [id1, second.id].sort();
  const p1 = await client.queryLocations({ limit: 1 });
  assert.equal(p1.totalItems, 2);
  assert.deepEqual(p1.items.map(l => l.id), [ids[0]], 'ordered by id');
  assert.equal(typeof p1.pageInfo.nextCursor, 'string');
  const p2 = await client.queryLocations({ cursor: p1.pageInfo.nextCursor });
  assert.deepEqual(p2.items.map(l => l.id), [ids[1]]);
  assert.equal(p2.pageInfo.nextCursor, undefined);

  // Backstage's location filter: keys id/type/target/entityRef in any case,
  // values case-insensitive, $in, $hasPrefix, $exists, $not; $any: [] is false.
  const q = async query => (await client.queryLocations({ query })).items.map(l => l.id).sort();
  assert.deepEqual(await q({ type: 'FILE' }), ids);
  assert.deepEqual(await q({ Target: EXTRA2.toUpperCase() }), [second.id]);
  assert.deepEqual(await q({ entityRef: generatedRef('file', EXTRA) }), [id1]);
  assert.deepEqual(await q({ target: { $hasPrefix: path.join(catalogDir, 'EXTRA2') } }), [second.id]);
  assert.deepEqual(await q({ id: { $in: [id1, 'nope'] } }), [id1]);
  assert.deepEqual(await q({ id: { $in: [id1.toUpperCase()] } }), [], 'ids in $in compare exactly');
  assert.deepEqual(await q({ $not: { id: id1 } }), [second.id]);
  assert.deepEqual(await q({ $all: [{ type: 'file' }, { target: { $exists: true } }] }), ids);
  assert.deepEqual(await q({ $any: [] }), []);
  const filtered = await client.queryLocations({ query: { type: 'file' }, limit: 1 });
  assert.equal(filtered.totalItems, 2);
  const filtered2 = await client.queryLocations({ cursor: filtered.pageInfo.nextCursor });
  assert.deepEqual(filtered2.items.map(l => l.id), [ids[1]], 'the cursor keeps the query and the limit');
  await expectError(client.queryLocations({ query: { owner: 'x' } }), 400, 'InputError',
    "Invalid filter predicate, expected key to be 'id', 'type', 'target', or 'entityRef', got 'owner'");
  await expectError(client.queryLocations({ query: { $or: [] } }), 400, 'InputError', /unknown logic operator '\$or'/);

  const streamed = [];
  for await (const page of client.streamLocations({ limit: 1 })) streamed.push(page.map(l => l.id));
  assert.deepEqual(streamed, [[ids[0]], [ids[1]]]);

  // PUT /locations/{id} needs an engine operation that keeps the id and the
  // generated entity ref while moving the target (Backstage's
  // DefaultLocationStore.updateLocation); until the engine has it, the server
  // says so with Backstage's 501 body and changes nothing.
  await expectError(client.updateLocation(second.id, { type: 'file', target: EXTRA3 }), 501, 'NotImplementedError',
    'Updating a location is not supported by this server');
  assert.equal((await client.getLocationById(second.id)).target, EXTRA2, 'the location is unchanged');

  await client.removeLocationById(id1);
  assert.equal(await client.getLocationById(id1), undefined);
  assert.equal(await client.getEntityByRef('component:default/extra-one'), undefined,
    'eager pruning of the location\'s entities (§8.9)');
  assert.equal(await client.getEntityByRef(generatedRef('file', EXTRA)), undefined);
  await expectError(client.removeLocationById(id1), 404, 'NotFoundError', `Found no location with ID ${id1}`);
  await client.removeLocationById(second.id);
  assert.deepEqual(await client.getLocations(), { items: [] });
});

test('url locations: read over HTTP when backend.reading.allow admits them; others are refused', async () => {
  const target = `${yamlBase}/catalog/extra3.yaml`;
  const managedBy = `url:${target}`;
  const dry = await client.addLocation({ type: 'url', target, dryRun: true });
  assert.equal(dry.exists, false);
  assert.deepEqual(dry.location, { type: 'url', target, id: `url:${target}`, entityRef: generatedRef('url', target) });
  assert.deepEqual(dry.entities.map(refOf), [generatedRef('url', target), 'component:default/extra-four']);
  for (const e of dry.entities) {
    assert.equal(e.metadata.annotations['backstage.io/managed-by-location'], managedBy);
    assert.equal(e.metadata.annotations['backstage.io/managed-by-origin-location'], managedBy);
  }

  const added = await client.addLocation({ type: 'url', target });
  assert.match(added.location.id, UUID);
  assert.deepEqual(added.location, { id: added.location.id, type: 'url', target, entityRef: generatedRef('url', target) });
  const e = await eventually(() => client.getEntityByRef('component:default/extra-four'), 'the url location is read');
  assert.equal(e.metadata.annotations['backstage.io/managed-by-origin-location'], managedBy);
  assert.deepEqual(await client.getLocationByEntity('component:default/extra-four'), added.location);
  await expectError(client.addLocation({ type: 'url', target }), 409, 'ConflictError', `Location url:${target} already exists`);

  await expectError(client.addLocation({ type: 'url', target: `${yamlBase}/outside/extra3.yaml` }), 403, 'NotAllowedError');
  await expectError(client.addLocation({ type: 'url', target: 'https://example.com/catalog-info.yaml', dryRun: true }),
    403, 'NotAllowedError');
  await expectError(client.addLocation({ type: 'url', target: 'not a url' }), 400, 'InputError');
  await expectError(client.addLocation({ type: 'github-org', target: 'acme' }), 400, 'InputError',
    'Registered locations must be of an allowed type ["url","file"]');

  await client.removeLocationById(added.location.id);
  assert.equal(await client.getEntityByRef('component:default/extra-four'), undefined);
  assert.deepEqual(await client.getLocations(), { items: [] });
});

// ---------------------------------------------------------------------------
// validate-entity, analyze-location
// ---------------------------------------------------------------------------

test('validateEntity: valid → {valid: true}; invalid → {valid: false, errors} from the 400 body', async () => {
  const good = {
    apiVersion: 'backstage.io/v1alpha1', kind: 'Component',
    metadata: { name: 'fresh' }, spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
  assert.deepEqual(await client.validateEntity(good, 'url:https://example.com/catalog-info.yaml'), { valid: true });

  const bad = { ...good, metadata: { name: 'not a valid name!' } };
  const r = await client.validateEntity(bad, 'url:https://example.com/catalog-info.yaml');
  assert.equal(r.valid, false);
  assert.ok(r.errors.length >= 1);
  assert.equal(r.errors[0].name, 'InputError');
  assert.match(r.errors[0].message + JSON.stringify(r.errors[0].cause ?? ''), /metadata\.name|"name"|not valid/);

  const noSpec = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' } };
  const r2 = await client.validateEntity(noSpec, 'url:https://example.com/catalog-info.yaml');
  assert.equal(r2.valid, false);

  const r3 = await client.validateEntity(good, 'file:/tmp/catalog-info.yaml');
  assert.equal(r3.valid, false, 'the location must be a url: ref (§10.13)');
});

test('analyzeLocation: proposes a Component for a repository URL; not a URL is 400', async () => {
  const r = await client.analyzeLocation({ location: { type: 'url', target: 'https://github.com/acme/payments-service' } });
  assert.deepEqual(r, {
    existingEntityFiles: [],
    generateEntities: [{
      entity: {
        apiVersion: 'backstage.io/v1alpha1', kind: 'Component',
        metadata: { name: 'payments-service', annotations: { 'github.com/project-slug': 'acme/payments-service' } },
        spec: { type: 'other', lifecycle: 'unknown' },
      },
      fields: [],
    }],
  });
  await expectError(client.analyzeLocation({ location: { type: 'url', target: 'not a url' } }), 400, 'InputError');
});

// ---------------------------------------------------------------------------
// Errors and authentication (§10, §10.1)
// ---------------------------------------------------------------------------

test('errors: invalid filter, order and cursor are 400 InputError with Backstage\'s body', async () => {
  const err = await expectError(client.getEntities({ filter: { '': 'x' } }), 400, 'InputError', /^Invalid filter/);
  assert.equal(err.body.request.method, 'GET');
  assert.match(err.body.request.url, /^\/api\/catalog\/entities\?/);
  await expectError(client.getEntities({ order: { field: 'metadata.name', order: 'sideways' } }), 400, 'InputError');
  await expectError(client.queryEntities({ cursor: 'not-a-cursor!' }), 400, 'InputError', /^Malformed cursor/);
  await expectError(client.queryEntities({ query: { kind: { $nope: 1 } } }), 400, 'InputError');
  await expectError(client.getEntityFacets({ facets: [] }), 400, 'InputError', 'Missing facet parameter');
});

test('auth: no token or a wrong token is 401 AuthenticationError, for reads and writes', async () => {
  await expectError(anonymous.getEntities(), 401, 'AuthenticationError');
  await expectError(badToken.getEntityFacets({ facets: ['kind'] }), 401, 'AuthenticationError');
  await expectError(anonymous.addLocation({ type: 'file', target: EXTRA }), 401, 'AuthenticationError');
  await expectError(badToken.refreshEntity('component:default/svc-01'), 401, 'AuthenticationError');
});

test('readonly (catalog.readonly: true): location writes are 403 NotAllowedError, dry runs and reads work', async () => {
  const ro = await startServer({ config: CONFIG.replace('catalog:\n', 'catalog:\n  readonly: true\n'), locations: [ROOT] });
  try {
    const discoveryApi = { getBaseUrl: async pluginId => `${ro.url}/api/${pluginId}` };
    const fetchApi = {
      fetch: (input, init = {}) => {
        const headers = new Headers(init.headers);
        headers.set('authorization', `Bearer ${TOKEN}`);
        return fetch(input, { ...init, headers });
      },
    };
    const roClient = new CatalogClient({ discoveryApi, fetchApi });
    const message = 'This operation not allowed in readonly mode';
    await expectError(roClient.addLocation({ type: 'file', target: EXTRA }), 403, 'NotAllowedError', message);
    const dry = await roClient.addLocation({ type: 'file', target: EXTRA, dryRun: true });
    assert.deepEqual(dry.entities.map(refOf).sort(),
      [generatedRef('file', EXTRA), 'component:default/extra-one', 'component:default/extra-two'].sort());
    await expectError(roClient.removeLocationById('00000000-0000-4000-8000-000000000000'), 403, 'NotAllowedError', message);
    await expectError(roClient.updateLocation('00000000-0000-4000-8000-000000000000', { type: 'file', target: EXTRA }),
      403, 'NotAllowedError', message);
    assert.equal(refOf(await roClient.getEntityByRef('component:default/svc-01')), 'component:default/svc-01');
    assert.deepEqual(await roClient.getLocations(), { items: [] });
  } finally {
    const { code } = await ro.stop();
    assert.equal(code, 0);
  }
});

// ---------------------------------------------------------------------------
// Completeness: every public method of the installed CatalogClient ran.
// ---------------------------------------------------------------------------

test('every public CatalogClient method (from the installed index.d.ts) was called', () => {
  const dts = fs.readFileSync(path.join(here, 'node_modules/@backstage/catalog-client/dist/index.d.ts'), 'utf8');
  const block = dts.slice(dts.indexOf('declare class CatalogClient'));
  const body = block.slice(0, block.indexOf('\n}\n'));
  const methods = [...body.matchAll(/^ {4}(?!private |constructor)(\w+)\(/gm)].map(m => m[1]);
  assert.ok(methods.length >= 20, `parsed ${methods.length} methods from index.d.ts`);
  const missing = methods.filter(m => !called.has(m));
  assert.deepEqual(missing, [], `CatalogClient methods not exercised: ${missing.join(', ')}`);
});
