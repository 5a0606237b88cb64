#!/usr/bin/env bash
# npm start: a real n8n with this package installed as a community package, against the local
# KOMOJU sandbox (or against KOMOJU itself when KOMOJU_SECRET_KEY is set).
# The first run installs Node 24 and n8n into a cache (about 8 minutes); later runs take seconds.
#
# Settings (environment):
#   N8N_PORT                 n8n's port (5678)
#   KOMOJU_SANDBOX_PORT      the sandbox's port (4180)
#   KOMOJU_N8N_USER_FOLDER   n8n's data folder (~/.cache/n8n-nodes-komoju/user)
#   KOMOJU_SECRET_KEY        use https://komoju.com with this key instead of the sandbox
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=n8n/env.sh
source scripts/n8n/env.sh

export N8N_PORT=${N8N_PORT:-5678}
sandbox_port=${KOMOJU_SANDBOX_PORT:-4180}
user_folder=${KOMOJU_N8N_USER_FOLDER:-$KOMOJU_N8N_CACHE/user}
owner_email=owner@example.com
owner_password=KomojuSandbox1
# Fixed ids: the examples refer to this credential.
credential_id=komojuSandbox
credential_name="KOMOJU Sandbox"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# wait_for URL PID TRIES DELAY WHAT: poll URL until it answers, failing early if PID has exited.
wait_for() {
	local url=$1 pid=$2 tries=$3 delay=$4 what=$5
	for _ in $(seq "$tries"); do
		curl -fs "$url" >/dev/null 2>&1 && return 0
		kill -0 "$pid" 2>/dev/null || { echo "$what" >&2; exit 1; }
		sleep "$delay"
	done
}

sandbox_pid=
n8n_pid=
stop() {
	trap - INT TERM EXIT
	[ -n "$n8n_pid" ] && kill -TERM "$n8n_pid" 2>/dev/null && wait "$n8n_pid" 2>/dev/null
	[ -n "$sandbox_pid" ] && kill -TERM "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
	echo "Stopped."
}
trap stop INT TERM EXIT

step "1/6 Development dependencies"
if [ -d node_modules/typescript ] && [ -d node_modules/@n8n/node-cli ]; then
	echo "already installed"
else
	npm ci --no-audit --no-fund
fi

step "2/6 Node.js $KOMOJU_N8N_NODE_VERSION and n8n $KOMOJU_N8N_VERSION (cached in $KOMOJU_N8N_CACHE)"
bash scripts/n8n/tools.sh

step "3/6 Build this package and install it into n8n as a community package"
npm run --silent build >/dev/null
bash scripts/n8n/install-package.sh "$user_folder"

step "4/6 KOMOJU"
if [ -n "${KOMOJU_SECRET_KEY:-}" ]; then
	base_url=https://komoju.com
	secret_key=$KOMOJU_SECRET_KEY
	credential_name="KOMOJU"
	echo "Using https://komoju.com with the key from KOMOJU_SECRET_KEY (no sandbox)."
else
	base_url=http://127.0.0.1:$sandbox_port
	secret_key=sk_test_sandbox
	node sandbox/server.js --port "$sandbox_port" &
	sandbox_pid=$!
	wait_for "$base_url/__sandbox/state" "$sandbox_pid" 50 0.1 "The sandbox did not start (is port $sandbox_port free?)"
fi

step "5/6 Credential \"$credential_name\" and the example workflows"
import_dir=$(mktemp -d)
node -e '
	const [id, name, secretKey, baseUrl, file] = process.argv.slice(1);
	const data = { secretKey, baseUrl, apiVersion: "2025-01-28" };
	// The secret the konbini example’s KOMOJU Trigger checks deliveries with.
	const webhook = { id: "komojuSandboxWebhook", name: "KOMOJU Sandbox Webhook", type: "komojuWebhookApi", data: { webhookSecret: "whsec_sandbox_local" } };
	require("fs").writeFileSync(file, JSON.stringify([{ id, name, type: "komojuApi", data }, webhook]));
' "$credential_id" "$credential_name" "$secret_key" "$base_url" "$import_dir/credentials.json"
shopt -s nullglob
examples=(examples/*.json)
# Imports cost seconds each; redo them only when the credential or an example changed.
fingerprint=$(cat "$import_dir/credentials.json" "${examples[@]}" | sha256sum | cut -d' ' -f1)
stamp="$user_folder/.komoju-imported"
if [ "$(cat "$stamp" 2>/dev/null)" = "$fingerprint" ]; then
	echo "unchanged since the last start"
else
	N8N_LOG_LEVEL=warn bash scripts/n8n/n8n.sh "$user_folder" import:credentials --input="$import_dir/credentials.json"
	if [ ${#examples[@]} -gt 0 ]; then
		N8N_LOG_LEVEL=warn bash scripts/n8n/n8n.sh "$user_folder" import:workflow --separate --input=examples
	fi
	echo "$fingerprint" >"$stamp"
	echo "imported"
fi
rm -rf "$import_dir"

step "6/6 n8n on http://localhost:$N8N_PORT"
owner_hash=$(cd "$KOMOJU_N8N_HOME" && "$N8N_NODE" -e 'console.log(require("bcryptjs").hashSync(process.argv[1], 10))' "$owner_password")
N8N_HOST=localhost N8N_LOG_LEVEL=${N8N_LOG_LEVEL:-warn} \
	N8N_INSTANCE_OWNER_MANAGED_BY_ENV=true N8N_INSTANCE_OWNER_EMAIL=$owner_email \
	N8N_INSTANCE_OWNER_PASSWORD_HASH=$owner_hash \
	bash scripts/n8n/n8n.sh "$user_folder" start &
n8n_pid=$!
wait_for "http://127.0.0.1:$N8N_PORT/healthz/readiness" "$n8n_pid" 240 0.5 "n8n stopped (is port $N8N_PORT free?)"

cat <<EOF

  n8n is ready: http://localhost:$N8N_PORT
  Sign in:      $owner_email / $owner_password   (a local development instance)
  Credential:   "$credential_name" → $base_url
  Try:          open "KOMOJU: 3DS payment link by email" or add a KOMOJU node to a new workflow,
                Secure Token → Create with card 4100000000000100, then open its
                authentication_url and run Get.
  Sandbox:      test cards and controls in sandbox/README.md
  Stop:         Ctrl-C
EOF
wait "$n8n_pid"
