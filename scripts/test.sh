#!/usr/bin/env bash
# The one test command (npm test): TypeScript unit tests, Python training tests, e2e tests in Debian's Chromium,
# then one summary line over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
bash scripts/ensure-chromium.sh || exit 1
bash scripts/ensure-python.sh || exit 1
[ -d node_modules ] || npm ci

status=0
npx vitest run --reporter=default --reporter=json --outputFile=test-results/unit-report.json || status=1
python3 -m pytest training/tests -q --junitxml=test-results/python-report.xml || status=1
npx playwright test || status=1
node scripts/summarise-tests.mjs test-results/unit-report.json test-results/python-report.xml test-results/e2e-report.json || status=1
exit $status
