#!/usr/bin/env bash
# The ABI surface of libidp.so: it exports exactly the functions idp.h
# declares (idp_* only, nothing C++), and its SONAME is libidp.so.<ABI>.
# usage: check_exports.sh <libidp.so> <idp.h> <abi major>
set -euo pipefail
lib=$1 header=$2 abi=$3
fail=0

exported=$(nm -D --defined-only "$lib" | awk '{print $NF}' | sort -u)
if [[ -z $exported ]]; then
  echo "FAIL: $lib exports nothing"; exit 1
fi
stray=$(grep -v '^idp_' <<<"$exported" || true)
if [[ -n $stray ]]; then
  echo "FAIL: symbols outside the C ABI are exported:"; sed 's/^/  /' <<<"$stray"; fail=1
fi
if grep -q '^_Z' <<<"$exported"; then
  echo "FAIL: C++ (mangled) symbols are exported"; fail=1
fi

# idp.h and the module headers next to it (idp_scaffolder.h, ...).
declared=$(grep -ho 'IDP_API[^(]*(' "$header" "$(dirname "$header")"/idp_*.h | grep -o 'idp_[a-z0-9_]*' | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
extra=$(comm -13 <(echo "$declared") <(echo "$exported"))
if [[ -n $missing ]]; then
  echo "FAIL: declared in idp.h but not exported:"; sed 's/^/  /' <<<"$missing"; fail=1
fi
if [[ -n $extra ]]; then
  echo "FAIL: exported but not declared in idp.h:"; sed 's/^/  /' <<<"$extra"; fail=1
fi

soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
if [[ $soname != "libidp.so.$abi" ]]; then
  echo "FAIL: SONAME is '${soname}', expected libidp.so.$abi"; fail=1
fi

if (( fail )); then exit 1; fi
echo "ok: $(wc -l <<<"$exported") idp_* symbols exported, all declared in idp.h; SONAME $soname"
