#!/usr/bin/env bash
# statarb's Avellaneda-Lee strategy beside the numpy implementation (bench.ts): 3 interleaved rounds by default
# (argument 1: rounds), medians and numpy / statarb; then the whole `statarb reproduce avellaneda-lee` once (AL_FULL=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsx bench/avellaneda-lee/bench.ts "${1:-3}"
