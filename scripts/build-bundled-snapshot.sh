#!/usr/bin/env bash
# Rebuilds the bundled default snapshot (public/snapshots/cikm2019.json.gz) from ../shared/data, reproducibly.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DATA_DIR:-../shared/data}/cikm2019-ecomm"
WORK=".cache/bundled"
rm -rf "$WORK"; mkdir -p "$WORK"
npm run -s prepare -- --format cikm2019 --input "$DATA" --out "$WORK/cikm2019"
npm run -s snapshot -- --dataset "$WORK/cikm2019" --out public/snapshots/cikm2019.json.gz --created-at 2026-12-04T00:00:00Z
cp "$DATA/SOURCE.md" public/snapshots/cikm2019.ATTRIBUTION.md
