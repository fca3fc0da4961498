#!/usr/bin/env python3
"""Compares idp's template results with the oracle's expected.jsonl.

usage: compare.py EXPECTED.jsonl ACTUAL.jsonl [DIVERGENCES.json]

A case agrees when `rendered`, `undefined`, `fallback` and whether an error
occurred all match (error texts may differ). Cases listed in divergences.json
are deliberate sandbox refusals: they pass when idp reports an error whose
text contains the listed marker (e.g. "is reserved").
"""
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    expected = load(sys.argv[1])
    actual = {c["id"]: c for c in load(sys.argv[2])}
    divergences = {}
    if len(sys.argv) > 3:
        with open(sys.argv[3], encoding="utf-8") as f:
            divergences = {d["id"]: d for d in json.load(f)["cases"]}
    passed = failed = 0
    for exp in expected:
        cid = exp["id"]
        act = actual.get(cid)
        problems = []
        if act is None:
            problems.append("missing from idp output")
        elif cid in divergences:
            marker = divergences[cid]["error_contains"]
            if not act.get("error") or marker not in act["error"]:
                problems.append(f"expected a deliberate refusal containing {marker!r}, got {act.get('error')!r}")
        else:
            if exp.get("rendered") != act.get("rendered"):
                problems.append(f"rendered: expected {json.dumps(exp.get('rendered'), ensure_ascii=False)}, "
                                f"got {json.dumps(act.get('rendered'), ensure_ascii=False)}")
            for flag in ("undefined", "fallback"):
                if bool(exp.get(flag)) != bool(act.get(flag)):
                    problems.append(f"{flag}: expected {bool(exp.get(flag))}, got {bool(act.get(flag))}")
            if (exp.get("error") is None) != (act.get("error") is None):
                problems.append(f"error: expected {exp.get('error')!r}, got {act.get('error')!r}")
        if problems:
            failed += 1
            print(f"FAIL {cid}: " + "; ".join(problems))
        else:
            passed += 1
    print(f"template conformance: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
