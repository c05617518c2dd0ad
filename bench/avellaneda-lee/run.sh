#!/usr/bin/env bash
# statarb's Avellaneda-Lee strategy beside the numpy implementation (bench.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsx bench/avellaneda-lee/bench.ts "${1:-3}"
