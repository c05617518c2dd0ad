#!/usr/bin/env bash
# bench/signals: transformer inference (wasm vs cpu backend), PCA residual s-scores (vs numpy) and
# the real-data out-of-sample quality of every model; assembles bench/results/signals.md.
set -uo pipefail
cd "$(dirname "$0")/../.."
status=0
for b in transformer pca real-data; do
  npx tsx "bench/signals/$b.ts" || { echo "[bench] signals/$b failed"; status=1; }
done
notes=""
[ -f bench/results/signals.md ] && notes=$(sed -n '/^### Notes/,$p' bench/results/signals.md)
{
  echo "## signals (lib/signals)"
  echo
  echo "Produced by \`bash scripts/bench signals\` (bench/signals/run.sh runs the three scripts below and assembles this file). The machine is a 2-core box shared by ~6 engineers; the load average is printed with each section, and only same-run ratios are comparable between runs."
  echo
  for p in transformer pca real; do
    f="bench/results/signals-$p.md.part"
    [ -f "$f" ] && { cat "$f"; echo; }
  done
  # hand-written notes on the figures are kept across runs
  [ -n "$notes" ] && echo "$notes"
} > bench/results/signals.md.tmp && mv bench/results/signals.md.tmp bench/results/signals.md
rm -f bench/results/signals-*.md.part
echo "[bench] wrote bench/results/signals.md"
exit $status
