#!/usr/bin/env bash
# The long fuzz run of the engine's JavaScript API under AddressSanitizer + UndefinedBehaviorSanitizer:
# builds the addon with -DSTATARB_SANITIZE=ON into native/build-asan-addon/, then runs
# bench/engine/fuzz-long.ts (the property of test/native/fuzz-model.ts, the same one npm test runs
# for a few seconds) for SECONDS (default 300) with that addon preloaded with the sanitizer
# runtimes. Any sanitizer report aborts the run (exit ≠ 0); so does any property violation.
#   bash bench/engine/fuzz-asan.sh [SECONDS=300] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-300}
SEED=${2:-$(( $(date +%s) % 2147483647 ))}
dir=native/build-asan-addon
headers=$(node -p 'require("node-api-headers").include_dir')
addon_api=$(node -p 'require("path").dirname(require.resolve("node-addon-api/package.json"))')
node native/scripts/gen-codes.mjs
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S native -B "$dir" -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" -DSTATARB_SANITIZE=ON -DSTATARB_TESTS=OFF \
    "-DNODE_API_HEADERS_DIR=$headers" "-DNODE_ADDON_API_DIR=$addon_api" > /dev/null
fi
nice cmake --build "$dir" -j 2 --target statarb_engine > "$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
preload="$(g++ -print-file-name=libasan.so):$(g++ -print-file-name=libubsan.so)"
echo "[fuzz-asan] $SECONDS_TO_RUN s, seed $SEED, addon $dir/Release/statarb_engine.node"
# node itself is not instrumented: leak checking would report V8's own allocations, so it is off;
# every other ASan/UBSan report aborts the process
LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:handle_segv=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  STATARB_ENGINE_ADDON="$PWD/$dir/Release/statarb_engine.node" node --import tsx bench/engine/fuzz-long.ts "$SECONDS_TO_RUN" "$SEED"
