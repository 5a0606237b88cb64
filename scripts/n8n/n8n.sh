#!/usr/bin/env bash
# Usage: scripts/n8n/n8n.sh <n8n-user-folder> <n8n command> [args...]
#   e.g. n8n.sh /tmp/u start | n8n.sh /tmp/u import:workflow --input=wf.json | n8n.sh /tmp/u execute --id=x --rawOutput
# Runs the n8n installed by tools.sh under Node 24 with settings for a local, offline test instance.
# Every setting below can be overridden from the environment.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$here/env.sh"
[[ -f "$KOMOJU_N8N_MARKER" ]] || { echo "n8n is not installed: run scripts/n8n/tools.sh" >&2; exit 1; }
user_folder=${1:?usage: n8n.sh <n8n-user-folder> <n8n command> [args...]}
shift
mkdir -p "$user_folder"
export N8N_USER_FOLDER
N8N_USER_FOLDER=$(cd "$user_folder" && pwd)

# One fixed key per folder: a different key later fails with "Mismatching encryption keys".
export N8N_ENCRYPTION_KEY=${N8N_ENCRYPTION_KEY:-n8n-nodes-komoju-test-key}
export DB_TYPE=${DB_TYPE:-sqlite}
export N8N_PORT=${N8N_PORT:-5678}
export N8N_LISTEN_ADDRESS=${N8N_LISTEN_ADDRESS:-127.0.0.1}
export N8N_HOST=${N8N_HOST:-127.0.0.1} # used in webhook and editor URLs
# Every n8n process (also `execute` and `import:*`) opens a task broker for the Code node on
# a fixed port (default 5679; 0 does not work). Pick a free one so that an `execute` can run
# next to a running `start` or another test.
export N8N_RUNNERS_BROKER_PORT=${N8N_RUNNERS_BROKER_PORT:-$("$N8N_NODE" -e '
  const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')}
# `n8n execute` prints its result through the logger: below info it prints nothing.
export N8N_LOG_LEVEL=${N8N_LOG_LEVEL:-info}
# No internet here: skip telemetry, version checks, templates and the survey.
export N8N_DIAGNOSTICS_ENABLED=${N8N_DIAGNOSTICS_ENABLED:-false}
export N8N_VERSION_NOTIFICATIONS_ENABLED=${N8N_VERSION_NOTIFICATIONS_ENABLED:-false}
export N8N_TEMPLATES_ENABLED=${N8N_TEMPLATES_ENABLED:-false}
export N8N_PERSONALIZATION_ENABLED=${N8N_PERSONALIZATION_ENABLED:-false}
# mcp-registry refreshes a list from api.n8n.io. Only where this n8n has it: n8n before it
# (2.0.3, 1.123) refuses to start with 'Unknown module "mcp-registry"'.
if [[ -d "$KOMOJU_N8N_HOME/node_modules/n8n/dist/modules/mcp-registry" ]]; then
  export N8N_DISABLED_MODULES=${N8N_DISABLED_MODULES:-mcp-registry}
fi
# The auth cookie is `Secure` by default and would not come back over plain http.
export N8N_SECURE_COOKIE=${N8N_SECURE_COOKIE:-false}
export N8N_UNVERIFIED_PACKAGES_ENABLED=${N8N_UNVERIFIED_PACKAGES_ENABLED:-true} # silences a deprecation notice

# jest sets NODE_ENV=test, which makes n8n use an in-memory database.
unset NODE_ENV
exec "$N8N_NODE" "$N8N_BIN" "$@"
