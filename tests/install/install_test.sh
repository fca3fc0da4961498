#!/usr/bin/env bash
# `cmake --install` of the build tree into a temporary prefix, then a consumer
# project built against it twice: with find_package(idp) and with pkg-config.
# usage: install_test.sh <build dir> <config> <libdir (relative)> <abi major>
set -euo pipefail
build=$1 config=${2:-Release} libdir=${3:-lib} abi=${4:-1}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/idp-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

step() { echo "-- $*"; }
run() {  # quiet unless it fails
  local log=$work/log
  if ! "$@" >"$log" 2>&1; then
    echo "FAIL: $*"; cat "$log"; exit 1
  fi
}

step "cmake --install $build --prefix $prefix"
run cmake --install "$build" --prefix "$prefix" --config "$config"

for f in include/idp/idp.h include/idp/idp_version.h "$libdir/libidp.so" "$libdir/libidp.so.$abi" \
         "$libdir/cmake/idp/idpConfig.cmake" "$libdir/cmake/idp/idpConfigVersion.cmake" \
         "$libdir/cmake/idp/idpTargets.cmake" "$libdir/pkgconfig/idp.pc"; do
  [[ -e $prefix/$f ]] || { echo "FAIL: not installed: $f"; exit 1; }
done
[[ -L $prefix/$libdir/libidp.so.$abi ]] || { echo "FAIL: $libdir/libidp.so.$abi is not a link"; exit 1; }
if grep -rq "$build" "$prefix/$libdir/cmake/idp" "$prefix/$libdir/pkgconfig"; then
  echo "FAIL: the installed package refers to the build tree"; exit 1
fi

check_run() {  # the binary must load the installed libidp.so.<abi>
  local exe=$1
  local resolved
  resolved=$(LD_LIBRARY_PATH=$prefix/$libdir ldd "$exe" | awk '$1 == "libidp.so.'"$abi"'" {print $3}')
  if [[ $resolved != "$prefix/$libdir/libidp.so.$abi" ]]; then
    echo "FAIL: $exe loads libidp from '${resolved}', not from the install prefix"; exit 1
  fi
  LD_LIBRARY_PATH=$prefix/$libdir "$exe" || { echo "FAIL: $exe exited with $?"; exit 1; }
}

step "find_package(idp) consumer"
run cmake -S "$here/consumer" -B "$work/consumer-cmake" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
run cmake --build "$work/consumer-cmake"
check_run "$work/consumer-cmake/consumer"

step "pkg-config consumer"
export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
flags=$(pkg-config --cflags --libs idp) || { echo "FAIL: pkg-config --cflags --libs idp"; exit 1; }
[[ $(pkg-config --modversion idp) == "$(sed -n 's/#define IDP_VERSION_STRING "\(.*\)"/\1/p' "$prefix/include/idp/idp_version.h")" ]] \
  || { echo "FAIL: idp.pc version differs from idp_version.h"; exit 1; }
# shellcheck disable=SC2086 # flags are words by design
run ${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror "$here/consumer/main.c" $flags \
  -o "$work/consumer-pc"
check_run "$work/consumer-pc"

echo "ok: installed, found by find_package and pkg-config, consumers run"
