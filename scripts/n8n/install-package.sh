#!/usr/bin/env bash
# Usage: scripts/n8n/install-package.sh <n8n-user-folder> [package-dir]
# Installs an n8n community package (default: packages/n8n-nodes-komoju, built with `npm run build`)
# into <n8n-user-folder>/.n8n/nodes the way n8n 2.40.7 itself does it
# (n8n/dist/modules/community-packages/community-packages.service.js, downloadPackage):
# pack, untar into nodes/node_modules/<name>, drop dev/peer/optional deps, `npm install` the
# remaining runtime deps with scripts off, record the version in nodes/package.json.
# Peers are dropped on purpose: a plain `npm install <tarball>` would install its own
# n8n-workflow next to the package and shadow n8n's copy (n8n resolves it through NODE_PATH).
set -euo pipefail
user_folder=${1:?usage: install-package.sh <n8n-user-folder> [package-dir]}
pkg_dir=$(cd "${2:-$(dirname "${BASH_SOURCE[0]}")/../../packages/n8n-nodes-komoju}" && pwd)
mkdir -p "$user_folder/.n8n/nodes"
nodes=$(cd "$user_folder/.n8n/nodes" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Fail early with a clear message if the build output that package.json points at is missing.
node -e '
  const p = require(process.argv[1] + "/package.json"), fs = require("fs");
  const files = [...(p.n8n?.nodes ?? []), ...(p.n8n?.credentials ?? [])];
  const missing = files.filter((f) => !fs.existsSync(process.argv[1] + "/" + f));
  if (!files.length || missing.length) {
    console.error("Not built? missing: " + (missing.join(", ") || "n8n.nodes in package.json") + " (run npm run build)");
    process.exit(1);
  }' "$pkg_dir"

tarball=$(cd "$pkg_dir" && npm pack --ignore-scripts --json --pack-destination "$tmp" |
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].filename)')
read -r name version < <(node -p 'const p = require(process.argv[1]); p.name + " " + p.version' "$pkg_dir/package.json")

target="$nodes/node_modules/$name"
rm -rf "$target" && mkdir -p "$target" # replaces any previous version
tar -xzf "$tmp/$tarball" -C "$target" --strip-components=1
node -e '
  const fs = require("fs"), [target, nodes, name, version] = process.argv.slice(1);
  const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = require(target + "/package.json");
  fs.writeFileSync(target + "/package.json", JSON.stringify(pkg, null, 2));
  const listFile = nodes + "/package.json";
  const list = fs.existsSync(listFile) ? JSON.parse(fs.readFileSync(listFile, "utf8"))
    : { name: "installed-nodes", private: true, dependencies: {} };
  list.dependencies = { ...list.dependencies, [name]: version };
  fs.writeFileSync(listFile, JSON.stringify(list, null, 2));' "$target" "$nodes" "$name" "$version"
(cd "$target" && npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow \
  --ignore-scripts=true --package-lock=false --loglevel=warn --update-notifier=false >/dev/null)

echo "Installed $name@$version into $target (node types: $name.<node name>)"
