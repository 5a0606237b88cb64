# shellcheck shell=bash disable=SC2034 # variables are used by the scripts that source this file
# Source me (`source scripts/n8n/env.sh`) after scripts/n8n/tools.sh has run.
# Exports N8N_NODE (Node 24 binary), N8N_BIN (n8n's bin/n8n) and puts Node 24 first on PATH.
# The versions are pinned here only; tools.sh reads them too.
KOMOJU_N8N_NODE_VERSION=24.21.0 # newest 24.x on the registry (2026-11)
KOMOJU_N8N_VERSION=2.40.7       # newest n8n that installs here (2.41.x needs an unpublished dep)
export KOMOJU_N8N_CACHE="${KOMOJU_N8N_CACHE:-$HOME/.cache/n8n-nodes-komoju}"

case "$(uname -m)" in aarch64 | arm64) KOMOJU_N8N_ARCH=arm64 ;; *) KOMOJU_N8N_ARCH=x64 ;; esac
KOMOJU_N8N_NODE_DIR="$KOMOJU_N8N_CACHE/node-$KOMOJU_N8N_NODE_VERSION"
KOMOJU_N8N_HOME="$KOMOJU_N8N_CACHE/n8n-$KOMOJU_N8N_VERSION"
# Headers for node-gyp (--nodedir), shipped inside the registry package.
KOMOJU_N8N_NODE_HEADERS="$KOMOJU_N8N_NODE_DIR/node_modules/node/node_modules/node-linux-$KOMOJU_N8N_ARCH"
KOMOJU_N8N_MARKER="$KOMOJU_N8N_CACHE/.ok-node$KOMOJU_N8N_NODE_VERSION-n8n$KOMOJU_N8N_VERSION"

export N8N_NODE="$KOMOJU_N8N_NODE_DIR/node_modules/node/bin/node"
export N8N_BIN="$KOMOJU_N8N_HOME/node_modules/n8n/bin/n8n"

# Node 24 first, so `npm`, `npx` and n8n's `#!/usr/bin/env node` all run under it.
case ":$PATH:" in
*":$KOMOJU_N8N_NODE_DIR/node_modules/.bin:"*) ;;
*) export PATH="$KOMOJU_N8N_NODE_DIR/node_modules/.bin:$KOMOJU_N8N_HOME/node_modules/.bin:$PATH" ;;
esac
