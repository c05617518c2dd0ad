#!/usr/bin/env bash
# Bridge speed benchmark: writes bench/results/bridges.md (see bench/bridges/roundtrip.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench/results
exec nice npx tsx bench/bridges/roundtrip.ts
