#!/usr/bin/env bash
# Runs every test this machine can run: lint, type-check, unit and integration (PGlite, and
# PostgreSQL when TEST_DATABASE_URL is set), and end-to-end flows in Chromium. Prints one line
# for every leg it skips and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
export TZ=UTC

sh scripts/ensure-deps.sh || { echo "No se pudieron instalar las dependencias."; exit 1; }

status=0
legs=()

# Chromium from Debian for the end-to-end leg.
chromium="${CHROMIUM_PATH:-$(command -v chromium || true)}"
if [ -z "$chromium" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Instalando Chromium (apt-get)…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
  chromium="$(command -v chromium || true)"
fi
# OpenSSL's command line is a real OCSP responder and ASN.1 inspector in the tests.
if ! command -v openssl >/dev/null && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Instalando openssl (apt-get)…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null) || true
fi
# Poppler's pdftotext, pdftoppm and pdfdetach read back the acuse PDFs as a person's tools would.
if ! command -v pdfdetach >/dev/null && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Instalando poppler-utils (apt-get)…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) || true
fi
if ! command -v pdfdetach >/dev/null; then
  echo "Falta poppler-utils (pdftotext, pdftoppm, pdfdetach): las pruebas del PDF del acuse lo necesitan."
  exit 1
fi
if ! command -v openssl >/dev/null; then
  echo "Falta el comando openssl (paquete openssl de Debian): las pruebas de OCSP y de llaves lo necesitan."
  exit 1
fi

projects=(--project unit)
if [ -n "$chromium" ]; then
  export CHROMIUM_PATH="$chromium"
  projects+=(--project e2e)
else
  echo "SKIP: end-to-end (Chromium no está instalado y no se pudo instalar con apt-get)."
fi

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "PostgreSQL: las pruebas de almacenamiento corren también en ${TEST_DATABASE_URL%%\?*}."
else
  echo "SKIP: PostgreSQL (TEST_DATABASE_URL no está definida; solo PGlite)."
fi

echo "== lint (biome)"
if biome check . >/tmp/buzon-lint.$$ 2>&1; then legs+=("lint ok"); else cat /tmp/buzon-lint.$$; legs+=("lint FAILED"); status=1; fi
rm -f /tmp/buzon-lint.$$

echo "== type-check (tsc --noEmit)"
if tsc --noEmit -p tsconfig.json; then legs+=("type-check ok"); else legs+=("type-check FAILED"); status=1; fi

echo "== web build (vite)"
if vite build --logLevel warn; then legs+=("web build ok"); else legs+=("web build FAILED"); status=1; fi

echo "== tests (vitest: ${projects[*]}, with coverage)"
report="$(mktemp)"
output="$(mktemp)"
# Coverage (V8) of src/, with thresholds for src/domain and src/platform/crypto (vitest.config.ts);
# the summary is printed at the end of vitest's output and kept in coverage/.
vitest run "${projects[@]}" --coverage --reporter=default --reporter=json --outputFile.json="$report" 2>&1 | tee "$output"
vitest_status=${PIPESTATUS[0]}
[ $vitest_status -ne 0 ] && status=1
if grep -q "does not meet" "$output"; then
  legs+=("coverage FAILED (below the thresholds of vitest.config.ts)")
else
  legs+=("coverage ok")
fi
rm -f "$output"

echo
printf '%s\n' "${legs[@]}"
node -e '
  const fs = require("node:fs");
  let r;
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { console.log("0 passed, 1 failed"); process.exit(0); }
  const failed = r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$report"
rm -f "$report"
exit $status
