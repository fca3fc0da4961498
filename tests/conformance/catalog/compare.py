#!/usr/bin/env python3
"""Compare idp's catalog verdicts with the oracle's (the real Backstage code).

Document mode (default):

    compare.py EXPECTED.jsonl ACTUAL.jsonl [--divergences FILE]

EXPECTED is the oracle output (expected.jsonl), ACTUAL is the output of
`idp validate --format jsonl FILES...` run in cases/ with the same bare file
names in the same order. Lines are matched by (file, index). For every
document both sides must agree on:

  * valid      - would the backend store this entity;
  * fileOk     - would the backend ingest the file at all;
  * relations  - the emitted relations, as a set of (source, type, target).

A document that is `stage: "ignored"` (empty / null document) on one side may
be absent on the other: emitting a line for a skipped document is optional.

Graph mode:

    compare.py --graph EXPECTED-graph.jsonl ACTUAL-graph.jsonl

compares the stitched graph, one `{ref, relations: [{type, targetRef}]}` line
per stored entity: the same refs must be stored, each with the same set of
(type, targetRef).

divergences.json (next to this script unless --divergences is given) lists
differences chosen on purpose, as {file, index, field, reason} (graph mode:
{ref, field, reason}; an entry may carry both). `index` may be "*" for every
document of the file, `field` may be "*" for any field. Such differences are
reported, but are not failures.

The last line is always `conformance: N passed, M failed` (N and M count
documents, or stored refs in graph mode). Exit status: 0 when nothing failed,
1 on any failure, 2 on unusable input.
"""

import argparse
import json
import os
import sys

# The fields a document verdict must agree on, in report order.
DOC_FIELDS = ("valid", "fileOk", "relations")


def die(message):
    print(f"compare.py: {message}", file=sys.stderr)
    sys.exit(2)


def read_jsonl(path):
    """Returns the JSON objects of a JSON-lines file (blank lines skipped)."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
    except OSError as e:
        die(f"cannot read {path}: {e}")
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            die(f"{path}:{number}: not JSON: {e}")
        if not isinstance(obj, dict):
            die(f"{path}:{number}: not a JSON object")
        out.append(obj)
    return out


def read_divergences(path):
    if path is None:
        return []
    try:
        with open(path, encoding="utf-8") as f:
            entries = json.load(f)
    except FileNotFoundError:
        return []
    except (OSError, json.JSONDecodeError) as e:
        die(f"cannot read divergences {path}: {e}")
    if not isinstance(entries, list):
        die(f"{path}: expected a JSON list of {{file, index, field, reason}}")
    for e in entries:
        if not isinstance(e, dict) or "field" not in e or "reason" not in e:
            die(f"{path}: every entry needs at least 'field' and 'reason': {e!r}")
        if "file" not in e and "ref" not in e:
            die(f"{path}: an entry needs 'file' (+ 'index') or 'ref': {e!r}")
    return entries


class Divergences:
    """Declared, intentional differences; remembers which ones were used so
    that stale entries can be pointed out."""

    def __init__(self, entries):
        self.entries = entries
        self.used = set()

    def match_doc(self, file, index, field):
        for i, e in enumerate(self.entries):
            if "file" not in e or e["file"] != file:
                continue
            if e.get("index", "*") != "*" and e.get("index") != index:
                continue
            if e["field"] not in ("*", field):
                continue
            self.used.add(i)
            return e
        return None

    def match_ref(self, ref, field):
        for i, e in enumerate(self.entries):
            if e.get("ref") != ref or e["field"] not in ("*", field):
                continue
            self.used.add(i)
            return e
        return None

    def unused(self, mode):
        key = "ref" if mode == "graph" else "file"
        return [e for i, e in enumerate(self.entries) if i not in self.used and key in e]


def relation_set(doc):
    """(source, type, target) triples; malformed items are kept as text so a
    shape difference still shows up as a mismatch."""
    out = set()
    for r in doc.get("relations") or []:
        if isinstance(r, dict):
            out.add((r.get("source"), r.get("type"), r.get("target")))
        else:
            out.add(("<malformed>", json.dumps(r), ""))
    return out


def error_text(doc):
    """The error text(s) of one verdict line, whatever shape the tool used."""
    if doc is None:
        return "(no line)"
    for key in ("error", "errors"):
        value = doc.get(key)
        if value:
            if isinstance(value, list):
                return "; ".join(v if isinstance(v, str) else json.dumps(v) for v in value)
            return value if isinstance(value, str) else json.dumps(value)
    return "(none)"


def fmt_relations(rels):
    return "{" + ", ".join(f"{s} -{t}-> {g}" for s, t, g in sorted(rels, key=str)) + "}"


def report(where, field, expected, actual, divergence):
    """One line per differing field; relations are shown as the two set
    differences rather than the (long) full sets."""
    tag = "DIVERGENCE" if divergence else "MISMATCH"
    if field == "relations":
        print(f"{tag} {where} relations: only in oracle {expected}; only in idp {actual}")
    else:
        print(f"{tag} {where} {field}: expected {expected}, actual {actual}")
    if divergence:
        print(f"    declared divergence: {divergence['reason']}")


def index_by_key(docs, path, key_of):
    out = {}
    for d in docs:
        key = key_of(d)
        if key in out:
            die(f"{path}: {key!r} appears twice")
        out[key] = d
    return out


def sort_key(key):
    # (file, index) with index possibly None: file-level lines first.
    file, index = key
    return (file or "", -1 if index is None else index)


def compare_docs(expected_path, actual_path, divergences):
    key_of = lambda d: (d.get("file"), d.get("index"))  # noqa: E731
    expected = index_by_key(read_jsonl(expected_path), expected_path, key_of)
    actual = index_by_key(read_jsonl(actual_path), actual_path, key_of)
    if not expected:
        die(f"{expected_path}: no documents: nothing to compare against")

    passed = failed = diverged = 0
    for key in sorted(set(expected) | set(actual), key=sort_key):
        exp, act = expected.get(key), actual.get(key)
        file, index = key
        where = f"{file}:{index}"
        problems = []  # (field, expected, actual)
        if exp is None or act is None:
            present = exp if act is None else act
            if present.get("stage") == "ignored":
                passed += 1  # a skipped document may be reported or not
                continue
            problems.append(("presence",
                             "a line" if exp is not None else "no line",
                             "a line" if act is not None else "no line"))
        else:
            for field in ("valid", "fileOk"):
                if exp.get(field) != act.get(field):
                    problems.append((field, json.dumps(exp.get(field)), json.dumps(act.get(field))))
            er, ar = relation_set(exp), relation_set(act)
            if er != ar:
                problems.append(("relations", fmt_relations(er - ar), fmt_relations(ar - er)))
        if not problems:
            passed += 1
            continue

        real = []
        for field, e_val, a_val in problems:
            div = divergences.match_doc(file, index, field)
            report(where, field, e_val, a_val, div)
            if not div:
                real.append(field)
        if exp is not None and act is not None and exp.get("stage") != act.get("stage"):
            print(f"    stage: oracle {exp.get('stage')}, idp {act.get('stage')}")
        print(f"    oracle error: {error_text(exp)}")
        print(f"    idp error:    {error_text(act)}")
        if real:
            failed += 1
        else:
            passed += 1
            diverged += 1

    for e in divergences.unused("doc"):
        print(f"note: declared divergence not seen (idp now agrees?): "
              f"{e['file']}:{e.get('index', '*')} {e['field']}: {e['reason']}")
    if diverged:
        print(f"{diverged} document(s) differ only by declared divergences")
    return passed, failed


def graph_relations(line):
    out = set()
    for r in line.get("relations") or []:
        if isinstance(r, dict):
            out.add((r.get("type"), r.get("targetRef")))
        else:
            out.add(("<malformed>", json.dumps(r)))
    return out


def compare_graph(expected_path, actual_path, divergences):
    key_of = lambda d: d.get("ref")  # noqa: E731
    expected = index_by_key(read_jsonl(expected_path), expected_path, key_of)
    actual = index_by_key(read_jsonl(actual_path), actual_path, key_of)
    if not expected:
        die(f"{expected_path}: no entities: nothing to compare against")

    passed = failed = diverged = 0
    for ref in sorted(set(expected) | set(actual), key=lambda r: r or ""):
        exp, act = expected.get(ref), actual.get(ref)
        problems = []
        if exp is None or act is None:
            problems.append(("presence",
                             "stored" if exp is not None else "not stored",
                             "stored" if act is not None else "not stored"))
        else:
            er, ar = graph_relations(exp), graph_relations(act)
            if er != ar:
                fmt = lambda s: "{" + ", ".join(f"{t} {g}" for t, g in sorted(s, key=str)) + "}"  # noqa: E731
                problems.append(("relations", fmt(er - ar), fmt(ar - er)))
        if not problems:
            passed += 1
            continue
        real = False
        for field, e_val, a_val in problems:
            div = divergences.match_ref(ref, field)
            report(ref, field, e_val, a_val, div)
            if exp is not None:
                print(f"    oracle source: {exp.get('file')}:{exp.get('index')}")
            real = real or not div
        if real:
            failed += 1
        else:
            passed += 1
            diverged += 1

    for e in divergences.unused("graph"):
        print(f"note: declared divergence not seen: {e['ref']} {e['field']}: {e['reason']}")
    if diverged:
        print(f"{diverged} entit(y/ies) differ only by declared divergences")
    return passed, failed


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("expected", help="oracle output (expected.jsonl or expected-graph.jsonl)")
    parser.add_argument("actual", help="idp output, same format")
    parser.add_argument("--graph", action="store_true",
                        help="compare stitched graphs ({ref, relations} lines)")
    parser.add_argument("--divergences", action="append",
                        help="declared divergences, repeatable (default: divergences.json next to "
                             "this script, plus divergences-graph.json with --graph)")
    args = parser.parse_args()

    paths = args.divergences or [os.path.join(here, "divergences.json")] + (
        [os.path.join(here, "divergences-graph.json")] if args.graph else [])
    divergences = Divergences([d for path in paths for d in read_divergences(path)])
    if args.graph:
        passed, failed = compare_graph(args.expected, args.actual, divergences)
    else:
        passed, failed = compare_docs(args.expected, args.actual, divergences)
    print(f"conformance: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
