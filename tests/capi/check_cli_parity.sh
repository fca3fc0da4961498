#!/usr/bin/env bash
# idp_validate_file (through the C ABI) writes the same lines as
# `idp validate --format jsonl FILE` for every catalog file given, each
# validated on its own from its own folder with its bare name: default options
# against --backstage-placeholders, placeholder_root "." against
# --placeholder-root .
# usage: check_cli_parity.sh <capi_test> <idp cli> FILE_OR_DIR...
set -euo pipefail
capi=$1 cli=$2
shift 2
files=()
for arg in "$@"; do
  if [[ ! -e $arg ]]; then
    echo "note: $arg does not exist, skipped"
  elif [[ -d $arg ]]; then
    while IFS= read -r -d '' f; do files+=("$f"); done \
      < <(find "$arg" -name node_modules -prune -o -type f \( -name '*.yaml' -o -name '*.yml' \) -print0 | sort -z)
  else
    files+=("$arg")
  fi
done
(( ${#files[@]} > 0 )) || { echo "FAIL: no catalog files to compare"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/idp-cli-parity.XXXXXX")
trap 'rm -rf "$work"' EXIT
failed=0
for f in "${files[@]}"; do
  dir=$(dirname "$f") name=$(basename "$f")
  # Default options (no placeholder root) are the CLI's --backstage-placeholders;
  # a placeholder root is its --placeholder-root.
  for mode in backstage root; do
    if [[ $mode == backstage ]]; then
      cli_args=(--backstage-placeholders) capi_args=()
    else
      cli_args=(--placeholder-root .) capi_args=(--placeholder-root .)
    fi
    status=0
    (cd "$dir" && "$cli" validate --format jsonl "${cli_args[@]}" "$name") >"$work/cli" 2>"$work/cli.err" \
      || status=$?
    if (( status > 1 )); then
      echo "FAIL: $f: idp validate ${cli_args[*]} exited with $status: $(head -c 500 "$work/cli.err")"
      failed=1; continue
    fi
    (cd "$dir" && "$capi" --jsonl "${capi_args[@]}" "$name") >"$work/capi" \
      || { echo "FAIL: $f: capi_test --jsonl ${capi_args[*]}"; failed=1; continue; }
    if ! cmp -s "$work/cli" "$work/capi"; then
      echo "FAIL: $f (${cli_args[*]}): the C ABI's lines differ from the CLI's:"
      diff "$work/cli" "$work/capi" | head -n 10 | cut -c1-400
      failed=1
    fi
  done
done
(( failed == 0 )) || exit 1
echo "ok: ${#files[@]} files, idp_validate_file == idp validate --format jsonl, with and without a placeholder root"
