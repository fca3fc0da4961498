#!/usr/bin/env node
// Backstage Scaffolder templating oracle (libidp conformance copy; vm engine is the default).
//
// usage: node render.mjs [--engine=vm|backstage|nunjitsu] [--check] cases.jsonl > expected.jsonl
//
// Each input line: { "id": "...", "template": <string | any JSON>, "context": {...},
//                    "mode": "value" | "string" | "compat" | "if" | "each",
//                    "options": { "trimBlocks": bool, "lstripBlocks": bool, "taskFailed": bool } }
// Each output line: { "id", "rendered", "error", ["undefined": true], ["fallback": true] }
// See README.md for the exact meaning of every mode and field.

import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { loadEngine } from './engines.mjs';

const args = process.argv.slice(2);
const engineName = (args.find(a => a.startsWith('--engine=')) || '--engine=vm').split('=')[1];
const check = args.includes('--check');
const file = args.find(a => !a.startsWith('--'));
if (!file) {
  console.error('usage: node render.mjs [--engine=vm|backstage|nunjitsu] [--check] cases.jsonl');
  process.exit(2);
}

// isolated-vm on Node >= 20 requires --no-node-snapshot; re-exec if missing.
if (engineName === 'backstage' && !process.execArgv.includes('--no-node-snapshot') && !(process.env.NODE_OPTIONS || '').includes('--no-node-snapshot')) {
  const r = spawnSync(process.execPath, ['--no-node-snapshot', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const engine = await loadEngine(engineName);

// Handlebars-like truthiness used for step `if` and output link/text `if`.
const isTruthy = v => (Array.isArray(v) ? v.length > 0 : !!v);

// Step-input rendering rule of NunjucksWorkflowRunner (<= 4.0.2): every string
// leaf of the JSON value is rendered; a string that parses to exactly one
// template node is re-rendered through `| dump` and JSON.parse'd so it keeps
// its JSON type; '' becomes undefined (property dropped); any render error
// leaves the original string untouched.
function renderValueNunjucks(input, ctx, renderer, errors) {
  if (input === undefined) return undefined;
  return JSON.parse(JSON.stringify(input), (_key, value) => {
    try {
      if (typeof value === 'string') {
        try {
          if (engine.isSingleTemplateString(value)) {
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

// >= 4.0.3: nunjitsu renderValue per string leaf, errors keep the original.
function renderValueNunjitsu(input, ctx, renderer, errors) {
  if (input === undefined) return undefined;
  return JSON.parse(JSON.stringify(input), (_key, value) => {
    try {
      if (typeof value === 'string') return renderer.renderValue(value, ctx);
    } catch (e) {
      errors.push(String(e.message));
      return value;
    }
    return value;
  });
}

const renderValue = engine.nunjitsu ? renderValueNunjitsu : renderValueNunjucks;

// A fresh renderer (fresh isolate / realm) per case keeps cases independent:
// a template can mutate builtins (e.g. Object.prototype) inside the sandbox,
// and in Backstage that state lives as long as the renderer (one task run, or
// one fetch:template invocation). Pass --shared to reuse renderers instead.
const shared = args.includes('--shared');
const renderers = new Map();
async function getRenderer(kind, options, globalsState) {
  const key = JSON.stringify([kind, options?.trimBlocks ?? null, options?.lstripBlocks ?? null]);
  if (!renderers.has(key)) {
    const opts = {
      cookiecutterCompat: kind === 'compat',
      templateFilters: engine.filters,
      nunjucksConfigs: kind === 'runner' ? {} : { trimBlocks: options?.trimBlocks, lstripBlocks: options?.lstripBlocks },
    };
    if (kind === 'runner') {
      // always()/failure() are only registered by the workflow runner
      opts.templateGlobals = {
        always: () => { globalsState.statusCheckInvoked = true; return true; },
        failure: () => { globalsState.statusCheckInvoked = true; return !!globalsState.taskFailed; },
      };
    }
    if (engine.nunjitsu && opts.nunjucksConfigs) {
      opts.nunjucksConfigs = Object.fromEntries(Object.entries(opts.nunjucksConfigs).filter(([, v]) => v !== undefined));
    }
    renderers.set(key, await engine.createRenderer(opts));
  }
  return renderers.get(key);
}

const globalsState = { taskFailed: false, statusCheckInvoked: false };
const lines = fs.readFileSync(file, 'utf8').split('\n').filter(l => l.trim());
let mismatches = 0;

for (const line of lines) {
  const c = JSON.parse(line);
  if (!shared) {
    for (const r of renderers.values()) r.dispose?.();
    renderers.clear();
  }
  const mode = c.mode || 'value';
  const out = { id: c.id ?? null, rendered: null, error: null };
  const errors = [];
  globalsState.taskFailed = !!c.options?.taskFailed;
  try {
    if (mode === 'string' || mode === 'compat') {
      const r = await getRenderer(mode === 'compat' ? 'compat' : 'string', c.options);
      try {
        out.rendered = r.render(c.template, c.context ?? {});
      } catch (e) {
        out.error = String(e.message);
      }
    } else if (mode === 'value') {
      const r = await getRenderer('runner', c.options, globalsState);
      const v = renderValue(c.template, c.context ?? {}, r, errors);
      if (v === undefined) out.undefined = true;
      else out.rendered = v;
      if (errors.length) {
        out.error = errors[0];
        out.fallback = true;
      }
      if (check && engine.realRunnerRender) {
        const real = engine.realRunnerRender(c.template, c.context ?? {}, r.render);
        if (!isDeepStrictEqual(real, v)) {
          mismatches++;
          console.error(`MISMATCH ${c.id}: oracle=${JSON.stringify(v)} real=${JSON.stringify(real)}`);
        }
      }
    } else if (mode === 'if') {
      // step.if semantics (non-each step): boolean false skips, strings are
      // rendered with the value rule and tested with isTruthy, else runs.
      const r = await getRenderer('runner', c.options, globalsState);
      if (c.template === false) out.rendered = false;
      else if (typeof c.template === 'string') {
        const v = renderValue(c.template, c.context ?? {}, r, errors);
        out.rendered = isTruthy(v);
        if (errors.length) {
          out.error = errors[0];
          out.fallback = true;
        }
      } else out.rendered = true;
    } else if (mode === 'each') {
      // step.each semantics: render with the value rule, must be truthy, then
      // iterate Object.entries() -> [{key, value}] (keys are strings).
      const r = await getRenderer('runner', c.options, globalsState);
      const v = renderValue(c.template, c.context ?? {}, r, errors);
      if (errors.length) out.fallback = true;
      if (!v) {
        out.error = `each resolved to a falsy value (${JSON.stringify(v ?? null)}); the step fails with InputError`;
      } else if (engine.nunjitsu && (typeof v !== 'object')) {
        out.error = `each resolved to a primitive (${JSON.stringify(v)}); rejected since 4.2.0`;
      } else {
        out.rendered = Object.entries(v).map(([key, value]) => ({ key, value }));
      }
      if (errors.length && !out.error) out.error = errors[0];
    } else if (mode === 'output') {
      // task output: rendered with the value rule (no secrets in context),
      // then links[] / text[] items whose `if` is not truthy are dropped and
      // the `if` key is removed from the remaining items.
      const r = await getRenderer('runner', c.options, globalsState);
      const v = renderValue(c.template, c.context ?? {}, r, errors);
      const filterItems = items => items.flatMap(item => {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) return [item];
        if ('if' in item && !isTruthy(item.if)) return [];
        const { if: _if, ...rest } = item;
        return [rest];
      });
      if (v && Array.isArray(v.links)) v.links = filterItems(v.links);
      if (v && Array.isArray(v.text)) v.text = filterItems(v.text);
      if (v === undefined) out.undefined = true;
      else out.rendered = v;
      if (errors.length) {
        out.error = errors[0];
        out.fallback = true;
      }
    } else {
      out.error = `unknown mode ${mode}`;
    }
  } catch (e) {
    out.error = `ORACLE FAILURE: ${e.message}`;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

for (const r of renderers.values()) r.dispose?.();
if (check && mismatches) {
  console.error(`${mismatches} value-mode mismatches against the genuine NunjucksWorkflowRunner.render`);
  process.exit(1);
}
