#!/usr/bin/env bash
# Installs Node 24 and n8n (pinned in env.sh) into $KOMOJU_N8N_CACHE, outside the repo.
# Idempotent: a marker is written only after everything succeeded and was verified.
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
  (cd "$KOMOJU_N8N_NODE_DIR" && long_run "npm install node" "$KOMOJU_N8N_CACHE/node-install.log" \
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
  echo "[2/3] Installing n8n@$KOMOJU_N8N_VERSION under Node 24 (about 5 min, 2.9 GB)"
  rm -rf "$KOMOJU_N8N_HOME" && mkdir -p "$KOMOJU_N8N_HOME" # a half-done install is redone from scratch
  echo '{"name":"komoju-n8n","private":true}' >"$KOMOJU_N8N_HOME/package.json"
  (cd "$KOMOJU_N8N_HOME" && long_run "npm install n8n" "$KOMOJU_N8N_CACHE/n8n-install.log" \
    npm install "${npm_flags[@]}" --ignore-scripts "n8n@$KOMOJU_N8N_VERSION")
  touch "$n8n_step"
fi

# 3. sqlite3 (n8n's default DB) has no binary after a scripts-off install and cannot download
#    its prebuilt one here: compile it against Node 24's headers (about 3 min on 2 cores).
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
  (cd "$KOMOJU_N8N_HOME" && long_run "npm rebuild sqlite3" "$KOMOJU_N8N_CACHE/sqlite3-build.log" \
    npm rebuild sqlite3 --ignore-scripts=false --build-from-source --nodedir="$KOMOJU_N8N_NODE_HEADERS")
fi

echo "Verifying"
sqlite_check || { echo "sqlite3 does not load under Node 24" >&2; exit 1; }
version="$("$N8N_NODE" "$N8N_BIN" --version | tail -n 1)"
[[ "$version" == "$KOMOJU_N8N_VERSION" ]] || { echo "n8n --version printed '$version'" >&2; exit 1; }
echo "  n8n --version: $version"

touch "$KOMOJU_N8N_MARKER"
echo "Done in $((SECONDS - t0)) s; disk: $(du -sh "$KOMOJU_N8N_CACHE" | cut -f1)"
echo "N8N_NODE=$N8N_NODE"
echo "N8N_BIN=$N8N_BIN"
echo "Use: source scripts/n8n/env.sh"
