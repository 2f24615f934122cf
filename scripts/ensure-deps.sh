#!/bin/sh
# Installs the project's dependencies (Node 26 among them, from the `node` package) when they
# are missing or older than package-lock.json, so `npm start` and `npm test` work on a fresh
# clone with nothing but the machine's npm.
set -e
cd "$(dirname "$0")/.."
stamp=node_modules/.package-lock.json
if [ ! -x node_modules/.bin/node ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "Instalando dependencias…"
  # `npm install` rather than `npm ci`: it follows package-lock.json just the same, but npm 11
  # refuses `ci` on lockfiles that record only this platform's optional binaries (biome's).
  npm install --no-fund --no-audit --loglevel=error
fi
