// Writes yaml_emit_cases.jsonl: {value, yaml} per line, `yaml` being what the
// real `yaml` package (the one Backstage's catalog:write uses, from the
// scaffolder oracle's node_modules) writes for `value`. Values come from a
// seeded generator over the scalars YAML treats specially. Run:
//   node tests/unit/scaffolder/gen_yaml_emit_cases.mjs
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../conformance/scaffolder/oracle/real/package.json'));
const yaml = require('yaml');

// mulberry32: a seeded generator, so the committed cases can be regenerated.
let seed = 12345;
const rnd = (n) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) % n);
};
const pick = (a) => a[rnd(a.length)];

const special = ['', ' ', 'true', 'True', 'TRUE', 'false', 'no', 'yes', 'on', 'null', 'Null', '~', 'NULL', '0', '42', '-7',
  '+3', '0o17', '0x1F', '0x', '1.5', '.5', '5.', '1e3', '1.5e-7', '-.inf', '.nan', '.NaN', '1_000', '01', '0b101',
  '2024-01-01', '12:30', 'a: b', 'a:b', 'a #b', 'a#b', '#x', '- x', '-x', '-', '?', '? x', ':x', 'x:', 'x ', ' x',
  '[a]', '{a}', 'a,b', '&a', '*a', '!tag', '|', '>', "'q'", '"q"', "it's", 'say "hi"', 'both \' and "', '%x', '@x',
  '`x', '---', '...', '--- x', 'a\n---\nb', 'line1\nline2', 'line1\nline2\n', 'x\n\n', '\n', '\nlead', ' lead\nx',
  'x\n  indented\ny', 'tab\there', 'ctl\u0001x', 'bell\u0007', 'nul\u0000', 'del\u007f', 'nbsp\u00a0x', 'ls\u2028x',
  'é ü 日本語', 'emoji 😀 x', 'trailing\n ', 'a\tb\n', 'x \ny', 'x\n y', 'backslash\\x', 'http://example.com/a?b=c#d',
  'backstage.io/source-template', 'component:default/name', 'C:\\path', '=', '<<', 'a: b\nc: d'];
const words = ['alpha', 'beta', 'gamma', 'delta', 'x', 'longerwordhere', 'a-b', 'c_d', 'e.f', 'with:colon', '#hash', "o'k", '"dq"'];
function longText(multi) {
  const n = 5 + rnd(40);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += pick(words);
    s += multi && rnd(8) === 0 ? pick(['\n', '\n\n', '\n  ']) : pick([' ', ' ', ' ', '  ', ', ']);
  }
  if (rnd(3) === 0) s += 'x'.repeat(rnd(120));
  return s + pick(['', '', '\n', ' end']);
}
function str() {
  switch (rnd(4)) {
    case 0: case 1: return pick(special);
    case 2: return longText(false);
    default: return longText(true);
  }
}
function num() { return pick([0, 1, -1, 42, 1.5, -0.25, 1e21, 1e-7, 123456789012, 0.1 + 0.2, 2 ** 53, -3e100, 5e-324]); }
function key() { return rnd(5) === 0 ? pick(special) : pick(['name', 'a', 'b', 'spec', 'metadata', '10', '2', 'x y', 'k']); }
function value(depth) {
  const r = rnd(depth > 3 ? 6 : 10);
  if (r < 3) return str();
  if (r === 3) return num();
  if (r === 4) return pick([true, false, null]);
  if (r === 5) return str();
  if (r < 8) {
    const o = {};
    const n = rnd(5);
    for (let i = 0; i < n; i++) o[key()] = value(depth + 1);
    return o;
  }
  const a = [];
  const n = rnd(4);
  for (let i = 0; i < n; i++) a.push(value(depth + 1));
  return a;
}

const cases = [];
// Every special string as a value, a key, a sequence item and nested deeper.
for (const s of special) {
  cases.push({ v: s }, { [s]: 'v' }, { list: [s] }, { a: { b: { c: s } } }, [[s]]);
}
for (let i = 0; i < 400; i++) {
  const v = value(0);
  cases.push(typeof v === 'object' && v !== null ? v : { v });
}
// Folding corners: a key past column 60, deep indents, long quoted strings
// with escapes and trailing spaces, long lines inside blocks.
const deep = (v, n) => (n === 0 ? v : { d: deep(v, n - 1) });
for (let i = 0; i < 30; i++) {
  const t = longText(i % 2 === 1) + ' ';
  cases.push({ ['key'.repeat(15 + rnd(15))]: t }, deep(t, 10 + rnd(30)), { q: `"${t}'\u0001${t}` },
    { q: `${t}\t${t}\u0007 ` }, [deep([t, `#${t}`], 3)], { b: `${t}\n  ${t}\n${t}\n\n` });
}
cases.push({ long: 'k'.repeat(1100) }, { ['k'.repeat(1100)]: 'v' }, { ['k'.repeat(1100)]: [1] });
const out = cases.map((value) => JSON.stringify({ value, yaml: yaml.stringify(value) })).join('\n') + '\n';
fs.writeFileSync(path.join(here, 'yaml_emit_cases.jsonl'), out);
console.log(`${cases.length} cases, yaml ${require('yaml/package.json').version}`);
