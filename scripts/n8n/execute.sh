#!/usr/bin/env bash
# Usage: scripts/n8n/execute.sh <n8n-user-folder> <workflow-id>
# Runs an imported workflow with `n8n execute` and prints the run as one JSON line on stdout
# (n8n's log lines go to stderr). Exit 0: status success, 1: run failed, 2: no run JSON
# (e.g. "No active execution found", which n8n prints when a credential reference is unknown).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
user_folder=${1:?usage: execute.sh <n8n-user-folder> <workflow-id>}
id=${2:?usage: execute.sh <n8n-user-folder> <workflow-id>}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rc=0
"$here/n8n.sh" "$user_folder" execute --id="$id" --rawOutput >"$out" 2>&1 || rc=$?
node "$here/parse-execute-output.mjs" "$out" "$rc"
