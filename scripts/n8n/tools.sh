#!/usr/bin/env bash
# Installs Node and n8n (pinned in env.sh: Node 24.21.0, n8n 2.40.7) into $KOMOJU_N8N_CACHE,
# outside the repo. Another pair: KOMOJU_N8N_VERSION=<n8n> KOMOJU_N8N_NODE_VERSION=<node> tools.sh
# (each n8n version in its own n8n-<version>/, each Node in its own node-<version>/).
# Idempotent: a marker is written only after everything succeeded and was verified.
# One install at a time: a second tools.sh waits for the first (flock on the cache).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$here/env.sh"

if [[ -f "$KOMOJU_N8N_MARKER" && -x "$N8N_NODE" && -f "$N8N_BIN" ]]; then
  echo "n8n $KOMOJU_N8N_VERSION + Node $KOMOJU_N8N_NODE_VERSION already installed in $KOMOJU_N8N_CACHE"
  echo "N8N_NODE=$N8N_NODE"
  echo "N8N_BIN=$N8N_BIN"
  exit 0
fi

t0=$SECONDS
mkdir -p "$KOMOJU_N8N_CACHE"
# Two installs at once (an e2e and the compatibility matrix) would share npm's cache and the
# machine's 2 cores; the second waits. The lock is released when this script exits.
if command -v flock >/dev/null; then
  exec 9>"$KOMOJU_N8N_CACHE/.install.lock"
  flock -n 9 || { echo "Waiting for another tools.sh to finish ($KOMOJU_N8N_CACHE/.install.lock)"; flock 9; }
fi
log_prefix="$KOMOJU_N8N_CACHE/n8n-$KOMOJU_N8N_VERSION"
# Our own npm settings, whatever ~/.npmrc or a project .npmrc say.
npm_flags=(--no-audit --no-fund --no-save --loglevel=warn --update-notifier=false)

# Runs "$@" in the background with output in a log file, printing a line every 15 s.
long_run() {
  local label=$1 log=$2 start=$SECONDS next=15 pid rc=0
  shift 2
  "$@" >"$log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true' INT TERM EXIT
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if ((SECONDS - start >= next)); then
      echo "  ... $label still running ($((SECONDS - start)) s)"
      next=$((next + 15))
    fi
  done
  wait "$pid" || rc=$?
  trap - INT TERM EXIT
  if ((rc != 0)); then
    echo "FAILED: $label (exit $rc), last lines of $log:" >&2
    tail -n 40 "$log" >&2
    return "$rc"
  fi
  echo "  $label done in $((SECONDS - start)) s"
}

# 1. Node 24 from the npm registry (package `node`; its preinstall fetches node-linux-<arch>).
if [[ -x "$N8N_NODE" && "$("$N8N_NODE" --version 2>/dev/null)" == "v$KOMOJU_N8N_NODE_VERSION" &&
  -f "$KOMOJU_N8N_NODE_HEADERS/include/node/node.h" ]]; then
  echo "[1/3] Node $KOMOJU_N8N_NODE_VERSION already present"
else
  echo "[1/3] Installing Node $KOMOJU_N8N_NODE_VERSION (npm package node@$KOMOJU_N8N_NODE_VERSION)"
  rm -rf "$KOMOJU_N8N_NODE_DIR" && mkdir -p "$KOMOJU_N8N_NODE_DIR"
  echo '{"name":"komoju-n8n-node","private":true}' >"$KOMOJU_N8N_NODE_DIR/package.json"
  (cd "$KOMOJU_N8N_NODE_DIR" && long_run "npm install node" "$KOMOJU_N8N_CACHE/node-$KOMOJU_N8N_NODE_VERSION-install.log" \
    npm install "${npm_flags[@]}" --ignore-scripts=false "node@$KOMOJU_N8N_NODE_VERSION")
  [[ "$("$N8N_NODE" --version)" == "v$KOMOJU_N8N_NODE_VERSION" ]]
  [[ -f "$KOMOJU_N8N_NODE_HEADERS/include/node/node.h" ]]
fi

# 2. n8n with install scripts off: several native deps try to download prebuilt binaries,
#    which cannot be reached here. Marker per step so a finished install is not redone.
n8n_step="$KOMOJU_N8N_HOME/.npm-install-ok"
if [[ -f "$n8n_step" ]]; then
  echo "[2/3] n8n $KOMOJU_N8N_VERSION already installed"
else
  echo "[2/3] Installing n8n@$KOMOJU_N8N_VERSION under Node $KOMOJU_N8N_NODE_VERSION (about 5 min, 2.9 GB)"
  rm -rf "$KOMOJU_N8N_HOME" && mkdir -p "$KOMOJU_N8N_HOME" # a half-done install is redone from scratch
  # n8n-nodes-base up to n8n 2.x's first releases (1.123, 2.0) takes SheetJS from its own CDN
  # (https://cdn.sheetjs.com/xlsx-<v>/xlsx-<v>.tgz), which cannot be reached here; later n8n
  # takes @e965/xlsx from the registry, a republication of the same SheetJS releases. Give the
  # older ones that package at the same version (an npm override; none for 2.40.7 and later).
  nodes_base=$(npm view "n8n@$KOMOJU_N8N_VERSION" dependencies.n8n-nodes-base)
  [[ -n "$nodes_base" ]] || { echo "n8n@$KOMOJU_N8N_VERSION: not on the registry, or without n8n-nodes-base" >&2; exit 1; }
  xlsx_spec=$(npm view "n8n-nodes-base@$nodes_base" dependencies.xlsx)
  overrides='{}'
  if [[ "$xlsx_spec" =~ ^https://cdn\.sheetjs\.com/xlsx-([0-9.]+)/ ]]; then
    overrides="{\"xlsx\": \"npm:@e965/xlsx@${BASH_REMATCH[1]}\"}"
    echo "      n8n-nodes-base@$nodes_base wants xlsx from $xlsx_spec: using npm:@e965/xlsx@${BASH_REMATCH[1]}"
  fi
  echo "{\"name\":\"komoju-n8n\",\"private\":true,\"overrides\":$overrides}" >"$KOMOJU_N8N_HOME/package.json"
  (cd "$KOMOJU_N8N_HOME" && long_run "npm install n8n" "$log_prefix-install.log" \
    npm install "${npm_flags[@]}" --ignore-scripts "n8n@$KOMOJU_N8N_VERSION")
  touch "$n8n_step"
fi

# 3. sqlite3 (n8n's default DB) has no binary after a scripts-off install and cannot download
#    its prebuilt one here: compile it against that Node's headers (about 3 min on 2 cores).
#    Built for one Node ABI: use each n8n version with one Node version.
sqlite_check() {
  (cd "$KOMOJU_N8N_HOME" && "$N8N_NODE" -e "
    const req = require('module').createRequire(require.resolve('n8n/package.json'));
    const sqlite3 = req('sqlite3');
    new sqlite3.Database(':memory:').get('select sqlite_version() v', (e, r) => {
      if (e) throw e; console.log('  sqlite3 loads under Node', process.version, '- SQLite', r.v);
    });" 2>/dev/null)
}
if sqlite_check >/dev/null; then
  echo "[3/3] sqlite3 already built"
else
  echo "[3/3] Building sqlite3 from source against Node $KOMOJU_N8N_NODE_VERSION headers (about 3 min)"
  (cd "$KOMOJU_N8N_HOME" && long_run "npm rebuild sqlite3" "$log_prefix-sqlite3-build.log" \
    npm rebuild sqlite3 --ignore-scripts=false --build-from-source --nodedir="$KOMOJU_N8N_NODE_HEADERS")
fi

echo "Verifying"
sqlite_check || { echo "sqlite3 does not load under Node $KOMOJU_N8N_NODE_VERSION" >&2; exit 1; }
version="$("$N8N_NODE" "$N8N_BIN" --version | tail -n 1)"
[[ "$version" == "$KOMOJU_N8N_VERSION" ]] || { echo "n8n --version printed '$version'" >&2; exit 1; }
echo "  n8n --version: $version"

touch "$KOMOJU_N8N_MARKER"
echo "Done in $((SECONDS - t0)) s; disk: $(du -sh "$KOMOJU_N8N_CACHE" | cut -f1)"
echo "N8N_NODE=$N8N_NODE"
echo "N8N_BIN=$N8N_BIN"
echo "Use: source scripts/n8n/env.sh"
