#!/usr/bin/env bash
# bench/signals: transformer inference (wasm vs cpu backend), PCA residual s-scores (vs numpy) and
# the real-data out-of-sample quality of every model; assembles bench/results/signals.md (the bench's
# output only: hand-written notes on it live in bench/results/signals.notes.md, which scripts/bench appends).
set -uo pipefail
cd "$(dirname "$0")/../.."
status=0
for b in transformer pca real-data; do
  npx tsx "bench/signals/$b.ts" || { echo "[bench] signals/$b failed"; status=1; }
done
{
  echo "## signals (lib/signals)"
  echo
  echo "Produced by \`bash scripts/bench signals\` (bench/signals/run.sh runs the three scripts below and assembles this file). The machine is a 2-core box shared by ~6 engineers; the load average is printed with each section, and only same-run ratios are comparable between runs."
  echo
  for p in transformer pca real; do
    f="bench/results/signals-$p.md.part"
    [ -f "$f" ] && { cat "$f"; echo; }
  done
} > bench/results/signals.md.tmp && mv bench/results/signals.md.tmp bench/results/signals.md
rm -f bench/results/signals-*.md.part
echo "[bench] wrote bench/results/signals.md"
exit $status
