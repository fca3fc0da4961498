#!/usr/bin/env bash
# `idp scaffold run --db`: catalog:fetch reads an ingested catalog (a real
# SQLite file), catalog:write writes catalog-info.yaml, catalog:register
# registers it and `idp catalog get` then finds the new entity; without --db
# catalog:fetch fails saying so; a bad --db is a usage error.
set -u
idp=$1
src=$(cd "$(dirname "$0")/../../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
fails=0
expect() {  # name, expected exit, actual exit, output, fixed string the output must hold
  if [ "$2" != "$3" ] || ! grep -qF -- "$5" <<<"$4"; then
    echo "FAIL $1: exit $3 (want $2), output:"; echo "$4"; fails=$((fails + 1))
  else
    echo "ok   $1"
  fi
}
"$idp" catalog ingest --db cat.db "$src/examples/all.yaml" 2>/dev/null
cat > template.yaml <<'YAML'
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: new-svc}
spec:
  type: service
  parameters: [{properties: {name: {type: string}}}]
  steps:
    - id: owner
      action: catalog:fetch
      input: {entityRef: component:default/payments-api}
    - id: write
      action: catalog:write
      input:
        entity:
          apiVersion: backstage.io/v1alpha1
          kind: Component
          metadata: {name: '${{ parameters.name }}', description: 'Made from ${{ steps.owner.output.entity.metadata.name }}'}
          spec: {type: service, lifecycle: experimental, owner: '${{ steps.owner.output.entity.spec.owner }}'}
    - id: register
      action: catalog:register
      input: {catalogInfoUrl: catalog-info.yaml}
  output:
    ref: ${{ steps.register.output.entityRef }}
YAML
echo '{"name":"brand-new"}' > values.json
out=$("$idp" scaffold run template.yaml --values values.json --db cat.db --out ws 2>/dev/null)
expect "run with --db" 0 $? "$out" '"ref": "component:default/brand-new"'
out=$(cat ws/catalog-info.yaml)
expect "catalog:write bytes" 0 $? "$out" "$(printf 'metadata:\n  name: brand-new\n  description: Made from payments-api\n  annotations:\n    backstage.io/source-template: template:default/new-svc\nspec:')"
out=$("$idp" catalog get --db cat.db component:default/brand-new)
expect "registered entity in the catalog" 0 $? "$out" '"owner":"payments-core"'
out=$("$idp" scaffold run template.yaml --values values.json --out ws2 2>/dev/null)
expect "no --db" 1 $? "$out" 'catalog:fetch: no catalog is configured for this run'
mkdir notafile
out=$("$idp" scaffold run template.yaml --values values.json --db notafile --out ws3 2>&1)
expect "bad --db" 2 $? "$out" 'idp scaffold: notafile: '
out=$("$idp" scaffold run template.yaml --values values.json --db 2>&1)
expect "--db without a file" 2 $? "$out" 'usage: idp scaffold'
[ "$fails" = 0 ]
