#!/usr/bin/env bash
# Backtest speed (bench/results/backtest.md), statarb and vectorbt interleaved in one run. The strategy
# table (bench/results/strategies.md, copied into README) is written by a separate, slower command,
# `npx tsx bench/backtest/strategies.ts`: the seed's transformer session alone takes ~20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The peer: vectorbt from PyPI into .venv, at the version requirements.txt pins (scripts/setup installs it too).
VBT=$(grep -E '^vectorbt==' requirements.txt | head -1)
.venv/bin/python -c "import vectorbt" 2>/dev/null || .venv/bin/pip install -q "${VBT:-vectorbt}"
npx tsx bench/backtest/backtest.ts
