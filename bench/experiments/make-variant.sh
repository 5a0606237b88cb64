#!/usr/bin/env bash
# Usage: bench/experiments/make-variant.sh <name> <patch-script.py>...
# Copies the package sources into .e2e/variant-<name>/, applies the given Python patch scripts
# there (never to the repository's own sources) and builds that copy as `npm run build` does.
# Then: node bench/bench.js --package-dir .e2e/variant-<name> --scenarios 3 --big 1000 --out -
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
name=${1:?usage: make-variant.sh <name> <patch.py>...}
shift
dir="$repo/.e2e/variant-$name"
rm -rf "$dir" && mkdir -p "$dir"
cp -r "$repo/package.json" "$repo/tsconfig.json" "$repo/index.ts" "$repo/nodes" "$repo/credentials" "$repo/icons" "$dir/"
ln -s "$repo/node_modules" "$dir/node_modules"
for patch in "$@"; do (cd "$dir" && python3 "$repo/$patch"); done
(cd "$dir" && "$repo/node_modules/.bin/tsc" -p tsconfig.json && "$repo/node_modules/.bin/gulp" --gulpfile "$repo/gulpfile.js" --cwd "$dir" build:assets >/dev/null)
rm "$dir/node_modules"
echo "$dir"
