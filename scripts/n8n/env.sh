# shellcheck shell=bash disable=SC2034 # variables are used by the scripts that source this file
# Source me (`source scripts/n8n/env.sh`) after scripts/n8n/tools.sh has run.
# Exports N8N_NODE (the Node binary n8n runs on), N8N_BIN (n8n's bin/n8n) and puts that Node
# first on PATH. The default versions are pinned here only; tools.sh reads them too.
# Another pair can be chosen from the environment (the compatibility matrix, test/compat/):
#   KOMOJU_N8N_VERSION=1.123.81 KOMOJU_N8N_NODE_VERSION=22.23.3 scripts/n8n/tools.sh
# Each pair has its own folders and marker in the cache, so versions never overwrite each other.
KOMOJU_N8N_NODE_VERSION=${KOMOJU_N8N_NODE_VERSION:-24.21.0} # newest 24.x on the registry (2026-11)
KOMOJU_N8N_VERSION=${KOMOJU_N8N_VERSION:-2.40.7}            # the version the repo is tested on
export KOMOJU_N8N_NODE_VERSION KOMOJU_N8N_VERSION
export KOMOJU_N8N_CACHE="${KOMOJU_N8N_CACHE:-$HOME/.cache/n8n-nodes-komoju}"

case "$(uname -m)" in aarch64 | arm64) KOMOJU_N8N_ARCH=arm64 ;; *) KOMOJU_N8N_ARCH=x64 ;; esac
KOMOJU_N8N_NODE_DIR="$KOMOJU_N8N_CACHE/node-$KOMOJU_N8N_NODE_VERSION"
KOMOJU_N8N_HOME="$KOMOJU_N8N_CACHE/n8n-$KOMOJU_N8N_VERSION"
# Headers for node-gyp (--nodedir), shipped inside the registry package.
KOMOJU_N8N_NODE_HEADERS="$KOMOJU_N8N_NODE_DIR/node_modules/node/node_modules/node-linux-$KOMOJU_N8N_ARCH"
KOMOJU_N8N_MARKER="$KOMOJU_N8N_CACHE/.ok-node$KOMOJU_N8N_NODE_VERSION-n8n$KOMOJU_N8N_VERSION"

export N8N_NODE="$KOMOJU_N8N_NODE_DIR/node_modules/node/bin/node"
export N8N_BIN="$KOMOJU_N8N_HOME/node_modules/n8n/bin/n8n"

# That Node first, so `npm`, `npx` and n8n's `#!/usr/bin/env node` all run under it.
case ":$PATH:" in
*":$KOMOJU_N8N_NODE_DIR/node_modules/.bin:"*) ;;
*) export PATH="$KOMOJU_N8N_NODE_DIR/node_modules/.bin:$KOMOJU_N8N_HOME/node_modules/.bin:$PATH" ;;
esac
