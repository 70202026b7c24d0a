#!/usr/bin/env bash
# The one test command (npm test): unit tests, then e2e tests in Debian's Chromium, then one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
bash scripts/ensure-chromium.sh || exit 1
[ -d node_modules ] || npm ci

status=0
npx vitest run --reporter=default --reporter=json --outputFile=test-results/unit-report.json || status=1
npx playwright test || status=1
node scripts/summarise-tests.mjs test-results/unit-report.json test-results/e2e-report.json || status=1
exit $status
