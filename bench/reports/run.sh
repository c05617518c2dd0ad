#!/usr/bin/env bash
# Reports area (bench/results/reports.md): the tearsheet's performance metrics and the HTML report,
# statarb against quantstats, empyrical and PerformanceAnalytics (its Python port, pyperfanalytics:
# R's package is not in Debian 12), interleaved in one run on the same real return series.
#   bash bench/reports/run.sh [rounds]     (default 7; REPORTS_BENCH_ONLY=<regex> for some rows only)
set -euo pipefail
cd "$(dirname "$0")/../.."
# The peers from PyPI into .venv, at the versions requirements.txt pins (scripts/setup installs them too).
for mod in empyrical:empyrical-reloaded quantstats:quantstats pyperfanalytics:pyperfanalytics; do
  spec=$(grep -E "^${mod#*:}==" requirements.txt | head -1)
  .venv/bin/python -c "import ${mod%%:*}" 2>/dev/null || .venv/bin/pip install -q "${spec:-${mod#*:}}"
done
echo "[bench/reports] load at start: $(uptime)"
npx tsx bench/reports/reports.ts "$@"
echo "[bench/reports] load at end: $(uptime)"
