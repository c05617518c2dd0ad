#!/usr/bin/env bash
# Tick-data benchmarks (issue 21) -> bench/results/ticks.md. ROUNDS (default 5), TICKS_SECONDS (default 400, the data set of every published ticks figure).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsx bench/ticks/bench.ts "${ROUNDS:-5}"
