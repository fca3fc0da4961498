#!/usr/bin/env bash
# Installs everything libidp needs on a fresh Debian machine, idempotently:
#  1. the Debian packages (apt-get is skipped entirely when all are present,
#     so a prepared machine needs no network);
#  2. `npm ci` in every folder under tests/ and bindings/ with a
#     package-lock.json (skipped while its node_modules matches the lock).
# Quiet on success; on failure prints the failing command and its output.
# usage: tools/setup.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PACKAGES=(
  build-essential cmake pkg-config
  libyaml-dev libyaml-cpp-dev rapidjson-dev libsqlitecpp-dev libcpp-httplib-dev libssl-dev libboost-dev
  libgtest-dev libbenchmark-dev
  nodejs npm python3 time
  wrk  # the HTTP benchmark (tests/bench/http) only
)
STAMP=.idp-setup-stamp  # in node_modules/: hash of the lock it was installed from

say() { echo "setup: $*"; }
die() { echo "setup: FAILED: $*" >&2; exit 1; }

# run CMD...: runs quietly; on failure shows the command, its output, and exits.
run() {
  local log status=0
  log=$(mktemp)
  "$@" >"$log" 2>&1 || status=$?
  if ((status != 0)); then
    echo "setup: FAILED (exit $status): $*" >&2
    tail -n 60 "$log" | sed 's/^/  | /' >&2
    rm -f "$log"
    exit "$status"
  fi
  rm -f "$log"
}

# Names of the packages dpkg has installed, and of what they provide (e.g.
# NodeSource's nodejs provides npm: installing Debian's npm would conflict).
installed_names() {
  dpkg-query -W -f='${db:Status-Abbrev}|${Package}|${Provides}\n' 2>/dev/null |
    awk -F'|' '$1 ~ /^ii/ {
      print $2
      n = split($3, provided, ",")
      for (i = 1; i <= n; i++) {
        name = provided[i]
        sub(/\(.*\)/, "", name); gsub(/[ \t]/, "", name); sub(/:.*/, "", name)
        if (name != "") print name
      }
    }' | sort -u
}

install_packages() {
  command -v dpkg-query >/dev/null || die "dpkg-query not found: this script is for Debian"
  local have missing=()
  have=$(installed_names)
  for p in "${PACKAGES[@]}"; do
    grep -qxF "$p" <<<"$have" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    say "Debian packages: all ${#PACKAGES[@]} present"
    return
  fi
  local sudo=()
  if (($(id -u) != 0)); then
    command -v sudo >/dev/null || die "not root and no sudo: install ${missing[*]}"
    sudo=(sudo)
  fi
  say "installing ${missing[*]}"
  run "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  run "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

lock_hash() { cat "$1/package-lock.json" "$1/package.json" 2>/dev/null | sha256sum | cut -d' ' -f1; }

install_node_modules() {
  local dirs=() dir
  for top in tests bindings; do
    [[ -d $top ]] || continue
    while IFS= read -r -d '' lock; do
      dirs+=("$(dirname "$lock")")
    done < <(find "$top" -name node_modules -prune -o -name package-lock.json -print0 | sort -z)
  done
  if ((${#dirs[@]} == 0)); then
    say "npm: no package-lock.json under tests/ or bindings/"
    return
  fi
  command -v npm >/dev/null || die "npm not found"
  for dir in "${dirs[@]}"; do
    local hash
    hash=$(lock_hash "$dir")
    if [[ -f $dir/node_modules/$STAMP && $(cat "$dir/node_modules/$STAMP") == "$hash" ]]; then
      say "npm: $dir up to date"
      continue
    fi
    say "npm ci in $dir"
    (cd "$dir" && run npm ci --no-audit --no-fund --loglevel=error)
    mkdir -p "$dir/node_modules"
    echo "$hash" >"$dir/node_modules/$STAMP"
  done
}

install_packages
install_node_modules
say "done"
