#!/usr/bin/env bash
# `idp scaffold` from the outside: a golden path run, the dry-run answer's
# shape, and bad input (malformed values, a broken template, a missing
# directory, a path escape, unknown subcommands) answered with clear errors
# and the documented exit codes, nothing written outside the workspace.
# usage: cli_scaffold_test.sh IDP
set -uo pipefail
idp=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
expect() {  # expect NAME WANTED_RC GOT_RC OUTPUT PATTERN
  if [[ $3 -ne $2 ]] || ! grep -qF -- "$5" <<<"$4"; then
    echo "FAIL: $1 (exit $3, want $2; want output containing '$5')"; echo "$4" | head -20; fails=$((fails + 1))
  else
    echo "ok: $1"
  fi
}

mkdir -p "$tmp/t/skeleton/docs"
cat >"$tmp/t/template.yaml" <<'YAML'
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: cli}
spec:
  type: service
  parameters:
    required: [name]
    properties:
      name: {type: string, pattern: '^[a-z]+$'}
      dir: {type: string}
  steps:
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values: {name: '${{ parameters.name }}', dir: '${{ parameters.dir }}'}
  output:
    text: [{title: made, content: '${{ parameters.name }}'}]
YAML
printf '# ${{ values.name }}\n' >"$tmp/t/skeleton/README.md"
printf 'x\n' >"$tmp/t/skeleton/docs/\${{ values.dir }}.md"
echo '{"name": "svc", "dir": "guide"}' >"$tmp/ok.json"

out=$("$idp" scaffold run "$tmp/t/template.yaml" --values "$tmp/ok.json" --out "$tmp/ws" 2>"$tmp/events")
expect "run completes" 0 $? "$out" '"taskStatus": "completed"'
expect "run renders" 0 0 "$(cat "$tmp/ws/README.md")" "# svc"
expect "run events on stderr" 0 0 "$(cat "$tmp/events")" '"message":"Finished step fetch:template"'

out=$("$idp" scaffold run "$tmp/t/template.yaml" --values "$tmp/ok.json" --out "$tmp/ws" 2>&1)
expect "a non-empty --out is refused" 2 $? "$out" "exists and is not empty"

out=$("$idp" scaffold dry-run "$tmp/t" --values "$tmp/ok.json" --json)
expect "dry-run answers 200" 0 $? "$out" '"status": 200'
expect "dry-run lists files" 0 0 "$out" '"path": "docs/guide.md"'

echo '{"name": "Bad Name"}' >"$tmp/bad-name.json"
out=$("$idp" scaffold dry-run "$tmp/t" --values "$tmp/bad-name.json" --json)
expect "dry-run 400 for invalid values" 1 $? "$out" '"status": 400'
out=$("$idp" scaffold run "$tmp/t/template.yaml" --values "$tmp/bad-name.json" --out "$tmp/ws2" 2>/dev/null)
expect "run rejects invalid values" 1 $? "$out" '"taskStatus": "rejected"'

printf '{"name": "svc",\n  "dir": }\n' >"$tmp/malformed.json"
out=$("$idp" scaffold run "$tmp/t/template.yaml" --values "$tmp/malformed.json" --out "$tmp/ws3" 2>&1)
expect "malformed values name file, line and column" 2 $? "$out" "malformed.json:2:10: not valid JSON"

printf 'apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: x}\nspec:\n  steps: [1\n' >"$tmp/broken.yaml"
out=$("$idp" scaffold run "$tmp/broken.yaml" --values "$tmp/ok.json" --out "$tmp/ws4" 2>&1)
expect "broken template names file and line" 2 $? "$out" "broken.yaml:6:"

out=$("$idp" scaffold dry-run "$tmp/nope" --values "$tmp/ok.json" --json 2>&1)
expect "missing template directory" 2 $? "$out" "nope/template.yaml: cannot read"

echo '{"name": "svc", "dir": "../../../escaped"}' >"$tmp/escape.json"
out=$("$idp" scaffold dry-run "$tmp/t" --values "$tmp/escape.json" --json)
expect "dry-run 403 for a path escape" 1 $? "$out" '"statusCode": 403'
out=$("$idp" scaffold run "$tmp/t/template.yaml" --values "$tmp/escape.json" --out "$tmp/ws5" 2>/dev/null)
expect "run fails a path escape" 1 $? "$out" '"name": "NotAllowedError"'
if [[ -e "$tmp/escaped.md" || -e "$tmp/../escaped.md" ]]; then echo "FAIL: a file escaped"; fails=$((fails + 1)); fi

out=$("$idp" scaffold frobnicate 2>&1)
expect "unknown subcommand" 2 $? "$out" "usage: idp scaffold"
out=$("$idp" scaffold actions)
expect "actions listing" 0 $? "$out" '"id": "fs:readdir"'
for id in catalog:fetch catalog:register catalog:write publish:github publish:git; do
  expect "actions lists $id" 0 0 "$out" "\"id\": \"$id\""
done

# publish:git with --config: scaffolder.defaultAuthor and defaultCommitMessage
# reach the commit pushed to a real bare repository.
git init -q --bare "$tmp/remote.git"
cat >"$tmp/pub.yaml" <<'YAML'
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: pub}
spec:
  type: service
  steps:
    - id: fetch
      action: fetch:template
      input: {url: ./t/skeleton, values: {name: pub, dir: d}}
    - id: publish
      action: publish:git
      input: {remoteUrl: '${{ parameters.remote }}'}
  output:
    text: [{title: remote, content: '${{ steps.publish.output.remoteUrl }}'}]
YAML
cat >"$tmp/app-config.yaml" <<'YAML'
integrations:
  github:
    - host: ghe.example.com
      apiBaseUrl: https://ghe.example.com/api/v3/
      token: t0ken
scaffolder:
  defaultAuthor: {name: Config Author, email: config@example.com}
  defaultCommitMessage: made by the config
YAML
echo "{\"remote\": \"$tmp/remote.git\"}" >"$tmp/pub.json"
out=$("$idp" scaffold run "$tmp/pub.yaml" --values "$tmp/pub.json" --config "$tmp/app-config.yaml" --out "$tmp/pubws" 2>/dev/null)
expect "publish:git run completes" 0 $? "$out" '"taskStatus": "completed"'
log=$(git --git-dir "$tmp/remote.git" log -1 --format='%an <%ae> %s' 2>&1)
expect "the commit has the configured author and message" 0 0 "$log" "Config Author <config@example.com> made by the config"

printf 'integrations:\n  github:\n    - host: "https://bad/"\n' >"$tmp/bad-config.yaml"
out=$("$idp" scaffold run "$tmp/pub.yaml" --values "$tmp/pub.json" --config "$tmp/bad-config.yaml" --out "$tmp/pubws2" 2>&1)
expect "a bad --config names file, line, column and key" 2 $? "$out" \
  "bad-config.yaml:3:13: integrations.github[0].host: 'https://bad/' is not a valid host"
out=$("$idp" scaffold run "$tmp/pub.yaml" --values "$tmp/pub.json" --config "$tmp/missing.yaml" --out "$tmp/pubws3" 2>&1)
expect "a missing --config" 2 $? "$out" "missing.yaml: cannot read the configuration file"

exit $((fails > 0))
