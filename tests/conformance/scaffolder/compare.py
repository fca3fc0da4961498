#!/usr/bin/env python3
"""Runs every case of cases/ through `idp scaffold` and compares with
expected/ (the genuine scaffolder's answers, see regen.sh):

- dry-run: `idp scaffold dry-run --json` must give the status and body POST
  /v2/dry-run gives: directoryContents byte for byte, output, steps, 400
  errors, the error name and message of a failing step; log lines as a
  multiset per step (Backstage lists files concurrently, so their order
  within a step is not stable).
- execute (cases with an `execute` file): `idp scaffold run` must end with
  the same task status, output or error, and leave the same files (bytes
  and executable bit) in its --out directory.

usage: compare.py IDP WORK_DIR [CASE_PREFIX]
"""
import base64, json, os, re, shutil, stat, subprocess, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
UUID = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}')
STATUS = {'InputError': 400, 'NotAllowedError': 403, 'NotFoundError': 404, 'ConflictError': 409}


# Cases where idp is known to differ, with the reason (divergences.json).
with open(os.path.join(HERE, 'divergences.json')) as f:
    KNOWN = json.load(f)


def normalise(text, work):
    return UUID.sub('<uuid>', text.replace(work, '<workingDirectory>'))


def log_groups(log):
    order, groups = [], {}
    for item in log:
        body = item['body']
        key = body.get('stepId', '')
        if key not in groups:
            order.append(key)
            groups[key] = Counter()
        groups[key][json.dumps(body, sort_keys=True)] += 1
    return order, groups


def case_args(case):
    args = ['--values', os.path.join(case, 'values.json')]
    if os.path.exists(os.path.join(case, 'secrets.json')):
        args += ['--secrets', os.path.join(case, 'secrets.json')]
    return args


def check_no_secret(case, text, where, problems):
    path = os.path.join(case, 'secrets.json')
    if not os.path.exists(path):
        return
    with open(path) as f:
        for name, value in json.load(f).items():
            for form in {value, value.upper(), value.lower()}:
                if len(form) >= 2 and form in text:
                    problems.append(f'{where}: secret {name} appears ({form!r})')


def check_dry_run(idp, template, case, expected, work, problems):
    os.makedirs(work, exist_ok=True)
    real_work = os.path.realpath(work)
    r = subprocess.run([idp, 'scaffold', 'dry-run', template, *case_args(case), '--work-dir', real_work, '--json'],
                       capture_output=True, text=True, timeout=120)
    try:
        got = json.loads(normalise(r.stdout, real_work))
    except ValueError:
        problems.append(f'dry-run: not JSON (exit {r.returncode}): {r.stdout[:300]} {r.stderr[:300]}')
        return
    if os.listdir(work):
        problems.append(f'dry-run: scratch left behind in {work}: {os.listdir(work)}')
    if expected['status'] == 'error':
        want_status = STATUS.get(expected['error']['name'], 500)
        if got['status'] != want_status:
            problems.append(f'dry-run status {got["status"]}, want {want_status} ({expected["error"]})')
            return
        err = got['body'].get('error', {})
        for key in ('name', 'message'):
            if err.get(key) != expected['error'][key]:
                problems.append(f'dry-run error.{key}: {err.get(key)!r}, want {expected["error"][key]!r}')
        return
    if got['status'] != expected['status']:
        problems.append(f'dry-run status {got["status"]}, want {expected["status"]}: {json.dumps(got["body"])[:400]}')
        return
    want, have = expected['body'], got['body']
    if expected['status'] == 400:
        if have != want:
            problems.append(f'400 errors differ:\n  got  {json.dumps(have)}\n  want {json.dumps(want)}')
        return
    for key in ('directoryContents', 'output', 'steps'):
        if have.get(key) != want.get(key):
            problems.append(f'dry-run {key} differs:\n  got  {json.dumps(have.get(key))[:1500]}\n  want {json.dumps(want.get(key))[:1500]}')
    check_no_secret(case, json.dumps(have['log']) + json.dumps(have['output']), 'dry-run log/output', problems)
    go, gg = log_groups(have['log'])
    wo, wg = log_groups(want['log'])
    if go != wo:
        problems.append(f'dry-run log step order {go}, want {wo}')
    for key in wo:
        if gg.get(key) != wg[key]:
            extra = (gg.get(key, Counter()) - wg[key])
            missing = (wg[key] - gg.get(key, Counter()))
            problems.append(f'dry-run log of step {key!r}:\n  unexpected {list(extra)}\n  missing    {list(missing)}')


def tree(root):
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != '.git']
        for name in filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            data = os.readlink(full).encode() if stat.S_ISLNK(st.st_mode) else open(full, 'rb').read()
            files[rel] = (data, bool(st.st_mode & 0o100))
    return files


def check_execute(idp, template, case, expected, work, problems):
    out = os.path.join(work, 'out')
    shutil.rmtree(out, ignore_errors=True)
    r = subprocess.run([idp, 'scaffold', 'run', os.path.join(template, 'template.yaml'), *case_args(case), '--out', out],
                       capture_output=True, text=True, timeout=120)
    try:
        got = json.loads(r.stdout)
    except ValueError:
        problems.append(f'run: not JSON (exit {r.returncode}): {r.stdout[:300]} {r.stderr[:300]}')
        return
    completion = expected['events'][-1]['body']
    if got['taskStatus'] != expected['taskStatus']:
        problems.append(f'run status {got["taskStatus"]}, want {expected["taskStatus"]}: {got.get("error")}')
    if 'output' in completion and got.get('output') != completion['output']:
        problems.append(f'run output {json.dumps(got.get("output"))}, want {json.dumps(completion["output"])}')
    if 'error' in completion and got.get('error') != completion['error']:
        problems.append(f'run error {got.get("error")}, want {completion["error"]}')
    want = {f['path']: (base64.b64decode(f['base64Content']), f['executable']) for f in expected['directoryContents']}
    have = tree(out) if os.path.isdir(out) else {}
    for path in sorted(set(want) | set(have)):
        if path not in have:
            problems.append(f'run: missing file {path}')
        elif path not in want:
            problems.append(f'run: unexpected file {path}')
        elif have[path] != want[path]:
            problems.append(f'run: {path} differs: {have[path][0][:200]!r} (x={have[path][1]}), want {want[path][0][:200]!r} (x={want[path][1]})')
    check_no_secret(case, r.stderr + r.stdout, 'run events/output', problems)
    shutil.rmtree(out, ignore_errors=True)


def main():
    idp, work = sys.argv[1], sys.argv[2]
    prefix = sys.argv[3] if len(sys.argv) > 3 else ''
    failed = total = 0
    for template_name in sorted(os.listdir(os.path.join(HERE, 'cases'))):
        for case_name in sorted(os.listdir(os.path.join(HERE, 'cases', template_name))):
            name = f'{template_name}/{case_name}'
            if not name.startswith(prefix):
                continue
            case = os.path.join(HERE, 'cases', name)
            template = os.path.join(HERE, 'templates', template_name)
            expected_dir = os.path.join(HERE, 'expected', name)
            problems = []
            total += 1
            with open(os.path.join(expected_dir, 'dry-run.json')) as f:
                check_dry_run(idp, template, case, json.load(f), os.path.join(work, 'dry'), problems)
            if os.path.exists(os.path.join(case, 'execute')):
                with open(os.path.join(expected_dir, 'execute.json')) as f:
                    check_execute(idp, template, case, json.load(f), work, problems)
            if problems and name in KNOWN:
                print(f'known {name}: {KNOWN[name]}')
                for p in problems:
                    print('  ' + p)
            elif problems:
                failed += 1
                print(f'FAIL {name}')
                for p in problems:
                    print('  ' + p)
            else:
                print(f'ok   {name}')
    print(f'{total - failed}/{total} cases match the genuine scaffolder')
    return 1 if failed or total == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
