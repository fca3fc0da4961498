#!/usr/bin/env node
// Template throughput of the real nunjucks 3.2.4, wired the way Backstage's
// scaffolder wires it, on the same workloads as idp_template_bench.
//
//   node nunjucks-bench.mjs [--only ROW,...] [--min-time S] [--warmup S] [--tsv]
//        [--cases FILE] [--expected FILE] [--skeleton DIR] [--oracle DIR]
//        [--dump-skeleton-output FILE] [--json-context]
//
// nunjucks and the Backstage filters come from the conformance oracle
// (tests/conformance/template/oracle: `npm ci` there). --skeleton DIR must
// hold skeleton.tmpl and skeleton-context.json, written by
// `idp_template_bench --write-skeleton DIR`, so both sides render the same text.
//
// Rows (all by default; the skeleton rows need --skeleton; --only none loads
// the modules and renders nothing, for a baseline RSS):
//   cases-compile-once  a nunjucks Environment configured like SecureTemplater's
//                       (autoescape off, ${{ }} tags, the Backstage filters and
//                       runner globals behind the same JSON round trip), each
//                       distinct template compiled once and its Template reused;
//                       isSingleTemplateString answers memoised too
//   cases-compile-each  the same Environment with env.renderString and a host
//                       parse per string leaf: the compile-per-render that
//                       Backstage's scaffolder does (without the isolate)
//   cases-vm            the oracle's `vm` engine: nunjucks inside a node:vm realm
//                       wrapped like SecureTemplater (context JSON-serialised per
//                       render, filters called across the realm boundary). The
//                       closest to Backstage; isolated-vm itself costs more.
//   skeleton-compile-once / skeleton-compile-each / skeleton-vm
//                       the skeleton file, string mode (fetch:template's
//                       environment: no trimBlocks/lstripBlocks)
//
// Each row runs one checked pass, then untimed passes for --warmup seconds
// (JIT warm-up), then whole passes until --min-time wall seconds. CPU seconds
// are process.cpuUsage() (all threads, so V8's GC and compiler threads count).

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');

// --- arguments ----------------------------------------------------------------
const argv = process.argv.slice(2);
function opt(name, fallback) {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  if (i + 1 >= argv.length) usage(2);
  return argv[i + 1];
}
function usage(code) {
  (code ? console.error : console.log)(
    'usage: node nunjucks-bench.mjs [--only ROW,...] [--min-time S] [--warmup S] [--tsv]\n' +
      '         [--cases FILE] [--expected FILE] [--skeleton DIR] [--oracle DIR] [--dump-skeleton-output FILE]\n' +
      '         [--json-context]\n' +
      'rows: cases-compile-once cases-compile-each cases-vm skeleton-compile-once skeleton-compile-each skeleton-vm',
  );
  process.exit(code);
}
if (argv.includes('--help') || argv.includes('-h')) usage(0);
const casesFile = opt('--cases', path.join(repo, 'tests/conformance/template/cases.jsonl'));
const expectedFile = opt('--expected', path.join(path.dirname(casesFile), 'expected.jsonl'));
const oracleDir = path.resolve(opt('--oracle', path.join(repo, 'tests/conformance/template/oracle')));
const skeletonDir = opt('--skeleton', null);
const dumpOutput = opt('--dump-skeleton-output', null);
const minTime = Number(opt('--min-time', '2'));
const warmup = Number(opt('--warmup', '0.5'));
const tsv = argv.includes('--tsv');
// SecureTemplater passes the values as JSON text and parses them inside the
// isolate on every render; --json-context adds that round trip to the host rows.
const jsonContext = argv.includes('--json-context');
const only = (opt('--only', '') || '').split(',').filter(Boolean);
const wanted = row => only.length === 0 || only.includes(row);

if (!fs.existsSync(path.join(oracleDir, 'node_modules/nunjucks/package.json'))) {
  console.error(`nunjucks-bench: no node_modules in ${oracleDir}: run \`npm ci\` there`);
  process.exit(2);
}
const oracleRequire = createRequire(path.join(oracleDir, 'package.json'));
const nunjucks = oracleRequire('nunjucks');
if (oracleRequire('nunjucks/package.json').version !== '3.2.4') {
  console.error('nunjucks-bench: the oracle does not have nunjucks 3.2.4');
  process.exit(2);
}
// engines.mjs gives the real Backstage filters (built from the exported
// helpers), the host isSingleTemplateString and the vm renderer.
const { loadEngine } = await import(pathToFileURL(path.join(oracleDir, 'engines.mjs')).href);
const engine = await loadEngine('vm');

// --- the Backstage-configured Environment, on the host -------------------------

// SecureTemplater hands filter/global calls to the host with structured-cloned
// arguments and a JSON-serialised result ('' for undefined); keep that cost.
const viaJson = fn => (...args) => {
  const rz = fn(...structuredClone(args));
  const text = rz === undefined ? '' : JSON.stringify(rz);
  return text === '' ? undefined : JSON.parse(text);
};

// Cookiecutter compatibility patches nunjucks' module state, so it is switched
// on only around compat work, as SecureTemplater's render/renderCompat do.
let uninstallCompat;
function setCompat(on) {
  if (on && !uninstallCompat) uninstallCompat = nunjucks.installJinjaCompat();
  if (!on && uninstallCompat) {
    uninstallCompat();
    uninstallCompat = undefined;
  }
}

// kind: 'runner' (workflow runner: no nunjucksConfigs, always()/failure()),
// 'string' (fetch:template: trimBlocks/lstripBlocks) or 'compat'.
function makeEnv(kind, options, globalsState) {
  const nunjucksConfigs = kind === 'runner' ? {} : { trimBlocks: options?.trimBlocks, lstripBlocks: options?.lstripBlocks };
  const env = nunjucks.configure({
    autoescape: false,
    ...nunjucksConfigs,
    tags: { variableStart: kind === 'compat' ? '{{' : '${{', variableEnd: '}}' },
  });
  if (kind === 'compat') {
    env.addFilter('jsonify', env.getFilter('dump'));
    return env;
  }
  for (const [name, f] of Object.entries(engine.filters)) env.addFilter(name, viaJson(f));
  if (kind === 'runner') {
    env.addGlobal('always', viaJson(() => {
      globalsState.statusCheckInvoked = true;
      return true;
    }));
    env.addGlobal('failure', viaJson(() => {
      globalsState.statusCheckInvoked = true;
      return !!globalsState.taskFailed;
    }));
  }
  return env;
}

// A renderer: render(template, values) -> string, throwing Error(message).
// compileOnce keeps one Template per source (compiled on first render; a
// failed compile is retried, as idp's cache does not keep failures either).
function hostRenderer(kind, options, globalsState, compileOnce) {
  const env = makeEnv(kind, options, globalsState);
  const compat = kind === 'compat';
  const templates = new Map();
  return {
    render(src, values) {
      setCompat(compat);
      if (jsonContext) values = JSON.parse(JSON.stringify(values));
      if (!compileOnce) return env.renderString(String(src), values);
      let t = templates.get(src);
      if (!t) templates.set(src, (t = new nunjucks.Template(String(src), env)));
      return t.render(values);
    },
  };
}

// --- the value rule of NunjucksWorkflowRunner (<= 4.0.2), as in render.mjs ------

function makeIsSingle(memoise) {
  const memo = new Map();
  return s => {
    setCompat(false); // the host parser must not see the compat patches
    if (!memoise) return engine.isSingleTemplateString(s);
    let r = memo.get(s);
    if (r === undefined) {
      try {
        r = { single: engine.isSingleTemplateString(s) };
      } catch (e) {
        r = { error: e };
      }
      memo.set(s, r);
    }
    if (r.error) throw r.error;
    return r.single;
  };
}

function renderValue(input, ctx, renderer, isSingle, errors) {
  if (input === undefined) return undefined;
  return JSON.parse(JSON.stringify(input), (_key, value) => {
    try {
      if (typeof value === 'string') {
        try {
          if (isSingle(value)) {
            const wrapped = value.replace(/\${{(.+)}}/g, '${{ ( $1 ) | dump }}');
            const templated = renderer.render(wrapped, ctx);
            if (templated === '') return undefined;
            return JSON.parse(templated);
          }
        } catch {
          // Backstage logs and falls through to a plain render
        }
        const templated = renderer.render(value, ctx);
        if (templated === '') return undefined;
        return templated;
      }
    } catch (e) {
      errors.push(String(e.message));
      return value;
    }
    return value;
  });
}

const isTruthy = v => (Array.isArray(v) ? v.length > 0 : !!v);

// One case -> the oracle's output record {rendered, error, undefined?, fallback?}.
// getRenderer(kind, options) supplies the renderer; mirrors render.mjs.
function renderCase(c, getRenderer, isSingle, globalsState) {
  const mode = c.mode || 'value';
  const out = { rendered: null, error: null };
  const errors = [];
  const ctx = c.context ?? {};
  globalsState.taskFailed = !!c.options?.taskFailed;
  if (mode === 'string' || mode === 'compat') {
    try {
      out.rendered = getRenderer(mode, c.options).render(c.template, ctx);
    } catch (e) {
      out.error = String(e.message);
    }
    return out;
  }
  const r = getRenderer('runner', c.options);
  if (mode === 'value' || mode === 'output') {
    const v = renderValue(c.template, ctx, r, isSingle, errors);
    if (mode === 'output') {
      const filterItems = items => items.flatMap(item => {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) return [item];
        if ('if' in item && !isTruthy(item.if)) return [];
        const { if: _if, ...rest } = item;
        return [rest];
      });
      if (v && Array.isArray(v.links)) v.links = filterItems(v.links);
      if (v && Array.isArray(v.text)) v.text = filterItems(v.text);
    }
    if (v === undefined) out.undefined = true;
    else out.rendered = v;
    if (errors.length) {
      out.error = errors[0];
      out.fallback = true;
    }
  } else if (mode === 'if') {
    if (c.template === false) out.rendered = false;
    else if (typeof c.template === 'string') {
      out.rendered = isTruthy(renderValue(c.template, ctx, r, isSingle, errors));
      if (errors.length) {
        out.error = errors[0];
        out.fallback = true;
      }
    } else out.rendered = true;
  } else if (mode === 'each') {
    const v = renderValue(c.template, ctx, r, isSingle, errors);
    if (errors.length) out.fallback = true;
    if (!v) out.error = `each resolved to a falsy value (${JSON.stringify(v ?? null)}); the step fails with InputError`;
    else out.rendered = Object.entries(v).map(([key, value]) => ({ key, value }));
    if (errors.length && !out.error) out.error = errors[0];
  } else {
    out.error = `unknown mode ${mode}`;
  }
  return out;
}

// compare.py's criteria, against nunjucks' own recorded output (so the
// divergences idp refuses on purpose are expected to agree here).
function agrees(exp, out) {
  return (
    exp !== undefined &&
    isDeepStrictEqual(JSON.parse(JSON.stringify(out.rendered ?? null)), exp.rendered ?? null) &&
    !!exp.undefined === !!out.undefined &&
    !!exp.fallback === !!out.fallback &&
    (exp.error == null) === (out.error == null)
  );
}

// --- timing -----------------------------------------------------------------------

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const wallSeconds = () => Number(process.hrtime.bigint()) / 1e9;

function measure(pass) {
  // JIT warm-up: untimed passes for --warmup seconds
  for (const end = wallSeconds() + warmup; wallSeconds() < end; ) pass();
  let passes = 0;
  const start = wallSeconds();
  const cpu0 = cpuSeconds();
  let wall;
  do {
    pass();
    passes++;
    wall = wallSeconds() - start;
  } while (wall < minTime);
  return { passes, wall, cpu: cpuSeconds() - cpu0 };
}

const rows = [];
let sink = 0; // keeps results alive; also a cheap checksum

// --- the conformance cases ----------------------------------------------------------

if (wanted('cases-compile-once') || wanted('cases-compile-each') || wanted('cases-vm')) {
  const readJsonl = f => fs.readFileSync(f, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
  const cases = readJsonl(casesFile);
  const expected = new Map(readJsonl(expectedFile).map(e => [e.id, e]));
  const mix = {};
  for (const c of cases) mix[c.mode || 'value'] = (mix[c.mode || 'value'] || 0) + 1;
  console.error(`nunjucks: ${cases.length} conformance cases (${Object.entries(mix).sort().map(([m, n]) => `${n} ${m}`).join(', ')})`);

  const runCases = async (name, note, makeRenderer, memoiseIsSingle) => {
    if (!wanted(name)) return;
    const globalsState = { taskFailed: false, statusCheckInvoked: false };
    // One renderer per (kind, trimBlocks, lstripBlocks), shared by all cases
    // and passes (render.mjs --shared): renderer set-up is not what is timed.
    const renderers = new Map();
    const keyOf = (kind, options) => JSON.stringify([kind, options?.trimBlocks ?? null, options?.lstripBlocks ?? null]);
    for (const c of cases) {
      const kind = c.mode === 'string' || c.mode === 'compat' ? c.mode : 'runner';
      const key = keyOf(kind, c.options);
      if (!renderers.has(key)) renderers.set(key, await makeRenderer(kind, c.options, globalsState));
    }
    const getRenderer = (kind, options) => renderers.get(keyOf(kind, options));
    const isSingle = makeIsSingle(memoiseIsSingle);
    let agree = 0;
    for (const c of cases) if (agrees(expected.get(c.id), renderCase(c, getRenderer, isSingle, globalsState))) agree++;
    console.error(`nunjucks ${name}: ${agree} of ${cases.length} cases agree with expected.jsonl`);
    const t = measure(() => {
      for (const c of cases) sink += JSON.stringify(renderCase(c, getRenderer, isSingle, globalsState).rendered ?? '').length;
    });
    rows.push({ name, unit: 'cases', amount: t.passes * cases.length, ...t, note });
  };

  // The vm engine's renderer options, as render.mjs builds them.
  const vmRenderer = (kind, options, globalsState) =>
    engine.createRenderer({
      cookiecutterCompat: kind === 'compat',
      templateFilters: engine.filters,
      nunjucksConfigs: kind === 'runner' ? {} : { trimBlocks: options?.trimBlocks, lstripBlocks: options?.lstripBlocks },
      ...(kind === 'runner'
        ? {
            templateGlobals: {
              always: () => { globalsState.statusCheckInvoked = true; return true; },
              failure: () => { globalsState.statusCheckInvoked = true; return !!globalsState.taskFailed; },
            },
          }
        : {}),
    });

  await runCases('cases-compile-once', 'compiled once, rendered many',
    (k, o, g) => hostRenderer(k, o, g, true), true);
  await runCases('cases-compile-each', 'renderString: compiled on every render',
    (k, o, g) => hostRenderer(k, o, g, false), false);
  await runCases('cases-vm', 'SecureTemplater wiring in node:vm, compiled every render', vmRenderer, false);
}

// --- the skeleton -----------------------------------------------------------------

if (wanted('skeleton-compile-once') || wanted('skeleton-compile-each') || wanted('skeleton-vm')) {
  if (!skeletonDir) {
    console.error('nunjucks-bench: the skeleton rows need --skeleton DIR (idp_template_bench --write-skeleton DIR)');
    process.exit(2);
  }
  const source = fs.readFileSync(path.join(skeletonDir, 'skeleton.tmpl'), 'utf8');
  const ctx = JSON.parse(fs.readFileSync(path.join(skeletonDir, 'skeleton-context.json'), 'utf8'));
  const mb = Buffer.byteLength(source) / 1e6;
  const globalsState = {};
  const once = hostRenderer('string', {}, globalsState, true);
  const each = hostRenderer('string', {}, globalsState, false);
  const first = each.render(source, ctx);
  console.error(`nunjucks: skeleton ${Buffer.byteLength(source)} bytes of template -> ${Buffer.byteLength(first)} bytes rendered`);
  if (dumpOutput) fs.writeFileSync(dumpOutput, first);
  const runSkeleton = (name, note, renderer) => {
    if (!wanted(name)) return;
    const t = measure(() => {
      sink += renderer.render(source, ctx).length;
    });
    rows.push({ name, unit: 'MB', amount: t.passes * mb, ...t, note });
  };
  runSkeleton('skeleton-compile-once', 'compiled once, rendered many', once);
  runSkeleton('skeleton-compile-each', 'renderString: compiled every render', each);
  if (wanted('skeleton-vm')) {
    const vm = await engine.createRenderer({ cookiecutterCompat: false, templateFilters: engine.filters, nunjucksConfigs: {} });
    if (vm.render(source, ctx) !== first) console.error('nunjucks: warning: the vm renderer gave another skeleton output');
    runSkeleton('skeleton-vm', 'SecureTemplater wiring in node:vm', vm);
  }
}

// --- report -----------------------------------------------------------------------

const rssMiB = process.resourceUsage().maxRSS / 1024; // KiB on Linux
if (tsv) {
  // side, row, unit, amount, wall s, cpu s, passes, peak RSS MiB (whole process)
  for (const r of rows) {
    console.log(['nunjucks', r.name, r.unit, r.amount.toFixed(6), r.wall.toFixed(6), r.cpu.toFixed(6), r.passes, rssMiB.toFixed(1)].join('\t'));
  }
} else {
  const pad = (s, n) => String(s).padStart(n);
  console.log(`${'row'.padEnd(22)} ${pad('amount', 10)} ${pad('wall s', 8)} ${pad('cpu s', 8)} ${pad('rate (wall)', 14)} ${pad('rate (cpu)', 14)}  what`);
  for (const r of rows) {
    const unit = r.unit === 'MB' ? 'MB/s' : '/s';
    console.log(
      `${r.name.padEnd(22)} ${pad(r.amount.toFixed(2), 10)} ${pad(r.wall.toFixed(3), 8)} ${pad(r.cpu.toFixed(3), 8)} ` +
        `${pad((r.amount / r.wall).toFixed(1), 9)} ${unit.padEnd(4)} ${pad((r.amount / r.cpu).toFixed(1), 9)} ${unit.padEnd(4)}  ${r.note}`,
    );
  }
  console.log(`peak RSS: ${rssMiB.toFixed(1)} MiB`);
}
if (rows.length && sink === 0) process.exit(1); // rows that rendered nothing are a failure
