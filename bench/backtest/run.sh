#!/usr/bin/env bash
# Backtest speed (bench/results/backtest.md). The strategy table (bench/results/strategies.md, copied
# into README) is written by a separate, slower command, `npx tsx bench/backtest/strategies.ts`:
# the seed's transformer session alone takes ~20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsx bench/backtest/backtest.ts
