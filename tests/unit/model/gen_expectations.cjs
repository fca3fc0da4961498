#!/usr/bin/env node
// Regenerates data/*.jsonl: what the REAL Backstage code (shared/oracle,
// pinned versions) says about each test input. The C++ tests replay them.
//
//   node tests/unit/model/gen_expectations.cjs [/path/to/oracle]
//
// entities.jsonl: {name, entity, stage, error, relations, prepared}
//   stage: first failing step (envelope | policy | kind | postprocess) or null,
//   error: Backstage's message for it (error class and wrappers removed where
//   our API reports the bare message, see the test), relations: sorted
//   canonical triples, prepared: the entity after preprocessing + policies.
// urls.jsonl: {url, ok}       new URL(url) accepts?
// refs.jsonl: {ref, defaultKind, defaultNamespace, result|error}
// lower.jsonl: {s, lower}      String.prototype.toLowerCase
const path = require('node:path');
const fs = require('node:fs');
const { createRequire } = require('node:module');
const oracle = process.argv[2] || '/work/shared/oracle';
const req = createRequire(path.join(oracle, 'package.json'));
const model = req('@backstage/catalog-model');
const { BuiltinKindsEntityProcessor } = req('@backstage/plugin-catalog-backend');
const { ScaffolderEntitiesProcessor } = req('@backstage/plugin-catalog-backend-module-scaffolder-entity-model');
const out = path.join(__dirname, 'data');

// ---------------------------------------------------------------- pipeline
const envelope = model.entityEnvelopeSchemaValidator();
const policies = model.EntityPolicies.allOf([
  new model.SchemaValidEntityPolicy(),
  new model.DefaultNamespaceEntityPolicy(),
  new model.NoForeignRootFieldsEntityPolicy(),
  new model.FieldFormatEntityPolicy(),
]);
const processors = [new BuiltinKindsEntityProcessor(), new ScaffolderEntitiesProcessor()];

async function judge(input) {
  let entity = JSON.parse(JSON.stringify(input));
  try {
    envelope(entity);
  } catch (e) {
    return { stage: 'envelope', error: e.message };
  }
  const annotations = entity.metadata.annotations || {};
  if (typeof annotations !== 'object' || Array.isArray(annotations)) {
    return { stage: 'envelope', error: 'metadata.annotations must be a valid object' };
  }
  const ref = model.stringifyEntityRef(entity);
  for (const p of processors) if (p.preProcessEntity) entity = await p.preProcessEntity(entity);
  try {
    entity = await policies.enforce(entity);
  } catch (e) {
    return { stage: 'policy', error: e.message };
  }
  let valid = false;
  for (const p of processors) {
    try {
      if (await p.validateEntityKind(entity)) valid = true;
    } catch (e) {
      return { stage: 'kind', error: e.message, processor: p.constructor.name };
    }
  }
  if (!valid) {
    return {
      stage: 'kind',
      error: `No processor recognized the entity ${ref} as valid, possibly caused by a foreign kind or apiVersion`,
    };
  }
  const rels = [];
  for (const p of processors) {
    try {
      await p.postProcessEntity(entity, undefined, r => rels.push(r.relation));
    } catch (e) {
      return {
        stage: 'postprocess',
        error: `Processor ${p.constructor.name} threw an error while postprocessing; caused by ${String(e)}`,
      };
    }
  }
  const seen = new Set();
  const relations = [];
  for (const r of rels) {
    const t = [model.stringifyEntityRef(r.source), r.type, model.stringifyEntityRef(r.target)];
    const k = t.join('\0');
    if (!seen.has(k)) seen.add(k), relations.push(t);
  }
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  relations.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]) || cmp(a[2], b[2]));
  return { stage: null, error: null, relations, prepared: entity };
}

// ---------------------------------------------------------------- corpus
const clone = o => JSON.parse(JSON.stringify(o));
const meta = (name, extra = {}) => ({ name, ...extra });
const base = {
  Component: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: meta('svc'),
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' } },
  API: { apiVersion: 'backstage.io/v1alpha1', kind: 'API', metadata: meta('api'),
    spec: { type: 'openapi', lifecycle: 'production', owner: 'team-a', definition: 'openapi: 3.0.0' } },
  Resource: { apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', metadata: meta('db'),
    spec: { type: 'database', owner: 'team-a' } },
  System: { apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: meta('sys'), spec: { owner: 'team-a' } },
  Domain: { apiVersion: 'backstage.io/v1alpha1', kind: 'Domain', metadata: meta('dom'), spec: { owner: 'team-a' } },
  Group: { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: meta('team-a'),
    spec: { type: 'team', children: [] } },
  User: { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: meta('jdoe'), spec: { memberOf: [] } },
  Location: { apiVersion: 'backstage.io/v1alpha1', kind: 'Location', metadata: meta('loc'), spec: {} },
  Template: { apiVersion: 'scaffolder.backstage.io/v1beta3', kind: 'Template', metadata: meta('tpl'),
    spec: { type: 'service', steps: [] } },
};
const cases = [];
const add = (name, entity) => cases.push({ name, entity });
const withMeta = (k, patch) => { const e = clone(base[k]); Object.assign(e.metadata, patch); return e; };
const withSpec = (k, patch, drop = []) => {
  const e = clone(base[k]); Object.assign(e.spec, patch); for (const d of drop) delete e.spec[d]; return e;
};
const setPath = (k, fn) => { const e = clone(base[k]); fn(e); return e; };

for (const k of Object.keys(base)) add(`base ${k}`, base[k]);
for (const k of Object.keys(base)) add(`${k} v1beta1`, { ...clone(base[k]), apiVersion: 'backstage.io/v1beta1' });

// envelope
add('root null metadata', { apiVersion: 'a', kind: 'X', metadata: null });
add('no apiVersion', setPath('Component', e => delete e.apiVersion));
add('no kind', setPath('Component', e => delete e.kind));
add('no metadata', setPath('Component', e => delete e.metadata));
add('apiVersion number', setPath('Component', e => (e.apiVersion = 3)));
add('apiVersion empty', setPath('Component', e => (e.apiVersion = '')));
add('kind empty', setPath('Component', e => (e.kind = '')));
add('name missing', setPath('Component', e => delete e.metadata.name));
add('name empty', withMeta('Component', { name: '' }));
add('name number', withMeta('Component', { name: 12 }));
add('namespace empty', withMeta('Component', { namespace: '' }));
add('namespace null', withMeta('Component', { namespace: null }));
add('metadata list', setPath('Component', e => (e.metadata = ['a'])));
for (const [n, v] of [['list', ['a']], ['string', 'x'], ['number', 1], ['true', true], ['null', null],
  ['empty string', ''], ['zero', 0], ['false', false], ['object', { a: 'b' }]]) {
  add(`annotations ${n}`, withMeta('Component', { annotations: v }));
}
add('many envelope errors', { apiVersion: 1, kind: 2, metadata: { namespace: '' } });

// entity schema
add('spec null', setPath('Component', e => (e.spec = null)));
add('spec list', setPath('Component', e => (e.spec = [])));
add('spec string', setPath('Component', e => (e.spec = 'x')));
add('no spec Component', setPath('Component', e => delete e.spec));
add('no spec Location', setPath('Location', e => delete e.spec));
add('relations ok', setPath('Component', e => (e.relations = [{ type: 'ownedBy', targetRef: 'group:default/x' }])));
add('relations bad type', setPath('Component', e => (e.relations = [{ type: 'owned-by', targetRef: 'x' }])));
add('relations extra key', setPath('Component', e => (e.relations = [{ type: 'a', targetRef: 'x', z: 1 }])));
add('status ok', setPath('Component', e => (e.status = { items: [{ type: 't', level: 'info', message: 'm' }] })));
add('status bad level', setPath('Component', e => (e.status = { items: [{ type: 't', level: 'x', message: 'm' }] })));
add('extra root', setPath('Component', e => (e.foo = 1)));
add('extra roots', setPath('Component', e => { e.b = 1; e.a = 2; e['1'] = 3; }));
for (const [f, v] of [['uid', ''], ['etag', ''], ['title', ''], ['title', 3], ['description', ''], ['description', 4],
  ['labels', null], ['labels', []], ['labels', { a: null }], ['labels', { a: 1 }], ['labels', { a: true }],
  ['annotations', { a: 1 }], ['tags', 'a'], ['tags', ['']], ['tags', [1]], ['tags', null],
  ['links', {}], ['links', ['x']], ['links', [{}]], ['links', [{ url: '' }]], ['links', [{ url: 1 }]],
  ['links', [{ url: 'https://x', title: '' }]], ['links', [{ url: 'https://x', type: '' }]],
  ['links', [{ url: 'https://x', icon: 2 }]], ['generation', 5], ['someCustom', { a: 1 }],
  ['title', 'Any Title ✓'], ['description', 'multi\nline']]) {
  add(`metadata.${f}=${JSON.stringify(v)}`, withMeta('Component', { [f]: v }));
}

// field formats
const c63 = 'a'.repeat(63), c64 = 'a'.repeat(64);
const names = ['a', 'A', '1', 'a-b', 'a--b', 'a..b', 'a_-.b', 'a_b', '-a', 'a-', '_a', 'a_', '.a', 'a.', 'x y',
  c63, c64, 'Upper-Case', '123', 'ünïcode', 'a/b', 'a:b', 'a@b', 'a\nb', ' a', 'a ', 'a+b'];
for (const n of names) add(`name ${JSON.stringify(n)}`, withMeta('Component', { name: n }));
const nss = ['default', 'ns-1', 'a--b', 'A', 'a_b', 'a.b', '-a', 'a-', '1', c63, c64, 'ns ', 'ünï'];
for (const n of nss) add(`namespace ${JSON.stringify(n)}`, withMeta('Component', { namespace: n }));
const label = (l) => `${l}.`.repeat(Math.floor(253 / (l.length + 1)));
const p253 = ('a'.repeat(62) + '.').repeat(4).slice(0, 253).replace(/\.$/, 'b');
const p254 = p253 + 'c';
const keys = ['a', 'backstage.io/x', 'Backstage.io/x', 'example.com/Upper_Case', 'a/b/c', '/a', 'a/', '',
  'a.b', 'a..b/c', '.a/b', 'a-/b', 'a_b/c', `${p253}/x`, `${p254}/x`, `${c63}/x`, `${c64}/x`, `x/${c63}`,
  `x/${c64}`, 'ünï/x', 'x/ünï', '1', 'a b', 'a\nb', '0/x', label('ab').slice(0, -1) + '/k'];
for (const k of keys) {
  add(`label key ${JSON.stringify(k)}`, withMeta('Component', { labels: { [k]: 'v' } }));
  add(`annotation key ${JSON.stringify(k)}`, withMeta('Component', { annotations: { [k]: 'v' } }));
}
for (const v of ['', 'v', 'V-1.2_3', 'a b', '-a', c63, c64, 'a\nb', 'ü']) {
  add(`label value ${JSON.stringify(v)}`, withMeta('Component', { labels: { k: v } }));
  add(`annotation value ${JSON.stringify(v)}`, withMeta('Component', { annotations: { k: v } }));
}
add('labels js order', withMeta('Component', { labels: { 'b b': 'x', '2': 'y y', '10': 'z z', a: 'w w' } }));
const tags = ['java', 'c++', 'c#', 'k8s:prod', 'a-b', 'a--b', 'v1.2', 'snake_case', 'Java', '-a', 'a-', c63, c64,
  ':', '+', '#', 'a-:', 'ü', 'a b'];
for (const t of tags) add(`tag ${JSON.stringify(t)}`, withMeta('Component', { tags: [t] }));
add('tags several bad', withMeta('Component', { tags: ['ok', 'Bad', 'also bad', 'fine'] }));
const apiVersions = ['v1', 'backstage.io/v1alpha1', 'example.com/V2', 'Backstage.io/v1', 'backstage.io/v1-alpha',
  'a/b/c', '/v1', 'a/', '1.0', 'a_b/v1', `${p253}/v1`, `${p254}/v1`, `x/${'a'.repeat(63)}`, `x/${'a'.repeat(64)}`];
for (const a of apiVersions) add(`apiVersion ${JSON.stringify(a)}`, { ...clone(base.Component), apiVersion: a });
const kinds = ['Component', 'component', 'COMPONENT', 'Api', 'api', 'Foo', 'A1', '1A', 'a-b', 'a_b', 'A'.repeat(63),
  'A'.repeat(64), 'Template', 'Kind With Space', 'Ünï'];
for (const k of kinds) add(`kind ${JSON.stringify(k)}`, { ...clone(base.Component), kind: k });
add('template old apiVersion', { ...clone(base.Template), apiVersion: 'backstage.io/v1beta2' });
add('template v1alpha1', { ...clone(base.Template), apiVersion: 'backstage.io/v1alpha1' });
add('component scaffolder apiVersion', { ...clone(base.Component), apiVersion: 'scaffolder.backstage.io/v1beta3' });
for (const [t, i] of [['https://x', ''], ['https://x', ' '], ['https://x', '\u00a0'], ['https://x', 'ok'],
  ['https://x', '\t\n'], ['https://x', '\u3000x']]) {
  add(`link title ${JSON.stringify(i)}`, withMeta('Component', { links: [{ url: t, title: i }] }));
  add(`link icon ${JSON.stringify(i)}`, withMeta('Component', { links: [{ url: t, icon: i }] }));
}
const urls = ['https://example.com', 'http:example.com', 'example.com', '/docs', 'mailto:x@y', 'urn:isbn:1',
  'javascript:alert(1)', 'http://', 'http://a b', 'file:///x', 'https://[::1]:8080/x', 'https://ex%41mple.com',
  'https://%zz', 'https://a:99999', 'https://münchen.de', 'tel:+1', 'a:', '1a:b', ' https://x ', 'https://1.2.3.4.5'];
for (const u of urls) add(`link url ${JSON.stringify(u)}`, withMeta('Component', { links: [{ url: u }] }));
add('many format errors', { apiVersion: 'Bad/v1', kind: 'a-b', metadata: { name: 'x y', namespace: 'NS',
  labels: { 'a b': 'c d' }, annotations: { 'x/y/z': 'ok' }, tags: ['Q'], links: [{ url: 'nope', title: ' ' }] },
  spec: {} });

// kinds
const specCases = {
  Component: [[{}, ['type']], [{}, ['lifecycle']], [{}, ['owner']], [{}, ['type', 'lifecycle', 'owner']],
    [{ type: '' }], [{ type: 1 }], [{ owner: { kind: 'Group', name: 'x' } }], [{ system: 's' }], [{ system: '' }],
    [{ subcomponentOf: 'c' }], [{ providesApis: [] }], [{ providesApis: 'a' }], [{ providesApis: [''] }],
    [{ providesApis: ['a', 1] }], [{ consumesApis: ['a'] }], [{ dependsOn: ['resource:a'] }], [{ dependsOn: 'resource:a' }],
    [{ dependencyOf: 5 }], [{ dependencyOf: ['component:x'] }], [{ extra: { any: 'thing' } }]],
  API: [[{}, ['definition']], [{ definition: '' }], [{ definition: { $text: 'x' } }], [{ type: 'mcp-server' }],
    [{ system: 1 }], [{ dependsOn: 'x' }]],
  Resource: [[{}, ['type']], [{}, ['owner']], [{ dependsOn: ['x:y'] }], [{ dependsOn: [1] }], [{ system: 'x' }]],
  System: [[{}, ['owner']], [{ domain: 'd' }], [{ domain: '' }], [{ type: 1 }]],
  Domain: [[{}, ['owner']], [{ subdomainOf: 'd' }], [{ type: '' }]],
  Group: [[{}, ['children']], [{}, ['type']], [{ children: 'x' }], [{ children: ['a', 'b'] }], [{ parent: '' }],
    [{ members: ['u'] }], [{ members: [''] }], [{ profile: { displayName: 'D', email: 'e', picture: 'p' } }],
    [{ profile: { email: '' } }], [{ profile: 'x' }]],
  User: [[{}, ['memberOf']], [{ memberOf: 'g' }], [{ memberOf: ['g'] }], [{ memberOf: [''] }],
    [{ profile: { displayName: 1 } }]],
  Location: [[{ type: 'url', target: 'x' }], [{ targets: ['a', 'b'] }], [{ targets: 'a' }], [{ presence: 'required' }],
    [{ presence: 'optional' }], [{ presence: 'maybe' }], [{ presence: 1 }], [{ type: '' }], [{ target: 2 }]],
  Template: [[{}, ['type']], [{}, ['steps']], [{ steps: {} }], [{ steps: [{}] }], [{ steps: [{ action: 'a' }] }],
    [{ steps: [{ action: 1 }] }], [{ steps: [{ action: 'a', if: true }] }], [{ steps: [{ action: 'a', if: '${{x}}' }] }],
    [{ steps: [{ action: 'a', if: 1 }] }], [{ steps: [{ action: 'a', input: 'x' }] }], [{ steps: [{ action: 'a', id: 1, name: 2 }] }],
    [{ parameters: {} }], [{ parameters: [] }], [{ parameters: [{}] }], [{ parameters: 'x' }], [{ parameters: ['x'] }],
    [{ parameters: { 'backstage:permissions': { tags: ['a'] } } }], [{ parameters: { 'backstage:permissions': { tags: [1] } } }],
    [{ output: { links: [{ url: 'x' }], text: [{ title: 't' }] } }], [{ output: { foo: 'bar' } }], [{ output: { foo: 1 } }],
    [{ output: { links: 'x' } }], [{ output: { links: [{ url: '' }] } }], [{ output: { text: [{ if: 3 }] } }],
    [{ owner: 'me' }], [{ owner: '' }], [{ lifecycle: 1 }], [{ presentation: { buttonLabels: { backButtonText: 1 } } }],
    [{ secrets: 'x' }], [{ formDecorators: [{ id: 1 }] }], [{ EXPERIMENTAL_formDecorators: [{ input: 'x' }] }],
    [{ EXPERIMENTAL_recovery: { EXPERIMENTAL_strategy: 1 } }], [{ type: '', steps: 'x', owner: 2 }]],
};
for (const [k, list] of Object.entries(specCases)) {
  for (const [patch, drop = []] of list) {
    add(`${k} spec ${JSON.stringify(patch)} drop ${drop.join(',')}`, withSpec(k, patch, drop));
  }
}

// relations
const refs = ['team-b', 'group:team-b', 'Group:Team-B', 'user:jdoe', 'other/team', 'group:other/team', 'a:b:c',
  'ns/team:x', 'a/b/c', ' team a ', 'Team A (legacy)', ':x', 'x/', 'a:/x', '/x', 'group:', 'ÄÖ', 'İstanbul'];
for (const r of refs) {
  add(`owner ${JSON.stringify(r)}`, withSpec('Component', { owner: r }));
  add(`ns owner ${JSON.stringify(r)}`, { ...withSpec('Component', { owner: r }), metadata: meta('svc', { namespace: 'prod' }) });
}
add('component all fields', withSpec('Component', { system: 'sys', subcomponentOf: 'parent', providesApis: ['b-api', 'a-api'],
  consumesApis: ['api:x/y'], dependsOn: ['resource:db', 'component:other'], dependencyOf: ['component:z'] }));
add('component dependsOn no kind', withSpec('Component', { dependsOn: ['my-db'] }));
add('component dependsOn several bad', withSpec('Component', { dependsOn: ['my-db', 'resource:ok', 'also-bad'] }));
add('component dependencyOf string', withSpec('Component', { dependencyOf: 'component:x' }));
add('component dependencyOf string no kind', withSpec('Component', { dependencyOf: 'x' }));
add('component dependencyOf empty string', withSpec('Component', { dependencyOf: '' }));
add('component dependencyOf number', withSpec('Component', { dependencyOf: 5 }));
add('component dependencyOf [0]', withSpec('Component', { dependencyOf: [0] }));
add('component dependencyOf [true]', withSpec('Component', { dependencyOf: [true] }));
add('component dependencyOf [[x]]', withSpec('Component', { dependencyOf: [['component:x']] }));
add('component dependencyOf compound', withSpec('Component', { dependencyOf: [{ kind: 'component', name: 'y' }] }));
add('component dependencyOf compound no kind', withSpec('Component', { dependencyOf: [{ name: 'y' }] }));
add('component dependencyOf compound no name', withSpec('Component', { dependencyOf: [{ kind: 'x' }] }));
add('component dependencyOf null', withSpec('Component', { dependencyOf: null }));
add('component dependencyOf [null]', withSpec('Component', { dependencyOf: [null] }));
add('component dependencyOf []', withSpec('Component', { dependencyOf: [] }));
add('component duplicate refs', withSpec('Component', { providesApis: ['x', 'API:X', 'api:default/x'] }));
add('api relations', withSpec('API', { system: 'sys', dependsOn: ['bad'] }));
add('resource relations', withSpec('Resource', { system: 'other/sys', dependsOn: ['resource:a'], dependencyOf: 'component:b' }));
add('resource dependsOn no kind', withSpec('Resource', { dependsOn: ['a'] }));
add('system relations', withSpec('System', { domain: 'd' }));
add('domain relations', withSpec('Domain', { subdomainOf: 'parent' }));
add('group relations', withSpec('Group', { parent: 'p', children: ['c2', 'c1'], members: ['u1', 'group:weird'] }));
add('user relations', { ...withSpec('User', { memberOf: ['g', 'other/g2', 'user:x'] }), metadata: meta('jdoe', { namespace: 'corp' }) });
add('template owner', withSpec('Template', { owner: 'user:me' }));
add('template no owner', withSpec('Template', {}));
add('template bad owner', withSpec('Template', { owner: 'group:' }));
add('location ignores', withSpec('Location', { owner: 'x', dependsOn: ['bad'] }));
add('sort upper before lower', withSpec('Component', { providesApis: ['b', 'B', 'a', 'A', '_', '~'] }));
add('sort unicode', withSpec('Component', { consumesApis: ['\uffff', '\u{1F600}', 'z', '\u00e9'] }));
add('sort mixed not sorted', withSpec('Component', { dependencyOf: ['component:b', 1, 'component:a'] }));
add('user memberOf sorted', withSpec('User', { memberOf: ['z', 'a', 'M'] }));
add('group members children sorted', withSpec('Group', { children: ['z', 'a'], members: ['y', 'b'] }));
add('namespace default moves metadata', { kind: 'Location', apiVersion: 'backstage.io/v1alpha1', spec: {}, metadata: { name: 'l', title: 't' } });

(async () => {
  fs.mkdirSync(out, { recursive: true });
  const lines = [];
  for (const c of cases) lines.push(JSON.stringify({ name: c.name, entity: c.entity, ...(await judge(c.entity)) }));
  fs.writeFileSync(path.join(out, 'entities.jsonl'), lines.join('\n') + '\n');

  const urlInputs = [...urls, 'http:example.com', 'http://user@/', 'foo://', 'foo://:80', 'http://a:b', 'http://1.2.3.4.5',
    'http://foo.123', 'http://0x', 'http://[::1]', 'http://[::1', 'http://ex%41mple.com', 'http://%zz.com', 'file://a:b/',
    'file:///x', 'file://localhost/x', 'file://C:/x', 'file:x', 'http://münchen.de', 'http://a b', 'a:', '1a:b',
    'http://xn--a.com', 'http://xn--abc.com', 'http://xn--mnchen-3ya.de', 'http://xn--ab-.com', 'http://xn---.com',
    'http://xn--.com', 'http://a_b.com', 'http://a..b', 'http://.', 'http://..', 'http://ex\u00a0ample.com',
    'http://\uff05.com', 'http://\uff21\uff22\uff23.com', 'http:// x', '  http://x  ', 'http://a:65536', 'http://a:65535',
    'foo://a:65536', 'http://[1:2:3:4:5:6:7:8:9]', 'http://[1:2:3:4:5:6:7:8]', 'http://[::1.2.3.4]', 'http://[::1.2.3]',
    'http://[::01.2.3.4]', 'http://[1::2::3]', 'http://[g::]', 'http://*.com', 'http://a<b', 'http://a^b', 'foo://a^b',
    'foo://a%b', 'http://a%b', 'http://0.0.0.256', 'http://256', 'http://4294967295', 'http://4294967296',
    'http://1.2.3.09', 'http://1.2.3.08x', 'http://0x100.1', 'http://1..2', 'http://1.2.3.4.', 'http://xn--',
    'http://\u0000a', 'ht tp://x', 'http\\://x', 'http:\\\\x', 'http:/\\x', 'HTTP://X', 'git+ssh://git@github.com:org/repo',
    'ssh://git@github.com:org/repo', 'https://user:pass@host:1/p?q#f', 'https://@host', 'https://user@', 'foo://user@',
    'foo://@', 'foo:/x', 'foo:', 'foo://h\\x', 'foo://[::1]x', 'foo://[x]', 'http://exa\nmple.com', 'http://exa\tmple.com',
    'wss://x', 'ws://', 'ftp://x:21', 'http://\u00ad', 'http://a\u200bb', 'http://\u0300a', 'http://\ue000.com',
    'http://\u00e9.com', 'http://%C3%A9.com', 'http://%C3.com', 'http://a\u3002b', 'http://[::1]:', 'http://x:/',
    'http://x:0080', 'http://x?y', 'http://x#y', 'http://?', 'http://#', 'https://a.b.c.d.e.f.g.h.1', 'http://0x1.0x2',
    'http://00', 'http://0xfg', 'http://x.0xfg', '\u0001http://x', 'http://x\u0001', 'data:text/plain,hi', 'about:blank',
    'http://a\u2028b', 'http://\u{1F600}.com', 'http://a\u200db', 'http://A%2eB', 'http://a%2fb', 'http://%41'];
  const urlLines = [...new Set(urlInputs)].map(u => {
    let ok;
    try { new URL(u); ok = true; } catch { ok = false; }
    return JSON.stringify({ url: u, ok });
  });
  fs.writeFileSync(path.join(out, 'urls.jsonl'), urlLines.join('\n') + '\n');

  const refLines = [];
  const contexts = [[undefined, undefined], ['Group', undefined], ['Group', 'ns1'], [undefined, 'ns1'], ['', '']];
  for (const r of [...refs, '', 'component:x', 'x', 'a/b', 'k:n/x:y', 'k:n/x/y', '"q"', 'a\\b', 'tab\tx', 'x:']) {
    for (const [dk, dn] of contexts) {
      const rec = { ref: r, defaultKind: dk ?? null, defaultNamespace: dn ?? null };
      try { rec.result = model.parseEntityRef(r, { defaultKind: dk, defaultNamespace: dn }); } catch (e) { rec.error = e.message; rec.errorClass = e.name; }
      refLines.push(JSON.stringify(rec));
    }
  }
  fs.writeFileSync(path.join(out, 'refs.jsonl'), refLines.join('\n') + '\n');

  const lowerInputs = ['ABC', 'Äpfel', 'İstanbul', 'ΑΣ', 'ΑΣ Α', 'Σ', 'ΑΣΑ', 'Α.Σ', 'ẞ', 'Ǆ', 'ᾈ', 'ÀÉÎÕÜ', 'КИРИЛЛИЦА',
    'ԱԲ', 'Ⅻ', 'Ⓐ', '\u{10400}', 'ＡＢＣ', 'ǅ', 'Ω', 'K', 'Å', 'mixed ĞİŞ', 'ΑΣ\u0301', 'a\u0130b'];
  fs.writeFileSync(path.join(out, 'lower.jsonl'),
    lowerInputs.map(s => JSON.stringify({ s, lower: s.toLowerCase() })).join('\n') + '\n');
  console.error(`${lines.length} entities, ${urlLines.length} urls, ${refLines.length} refs, ${lowerInputs.length} lower`);
})();
