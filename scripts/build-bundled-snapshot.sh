#!/usr/bin/env bash
# Rebuilds the bundled default snapshot (public/snapshots/cikm2019.json.gz) from ../shared/data and the committed
# backbone in models/cikm2019, reproducibly: all users, their split and segment, every model's top-20, the metrics,
# the reasoner's output for every dormant user and the closed loop's rounds (npm run eval -- --rolegen, a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DATA_DIR:-../shared/data}/cikm2019-ecomm"
WORK=".cache/bundled"
rm -rf "$WORK"; mkdir -p "$WORK"
npm run -s prepare -- --format cikm2019 --input "$DATA" --out "$WORK/cikm2019"
npm run -s eval -- --dataset "$WORK/cikm2019" --model models/cikm2019 --rolegen --out public/snapshots/cikm2019.json.gz --created-at 2026-12-04T00:00:00Z
install -m 0644 "$DATA/SOURCE.md" public/snapshots/cikm2019.ATTRIBUTION.md
