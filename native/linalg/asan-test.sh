#!/usr/bin/env bash
# The linalg addon's tests under AddressSanitizer + UndefinedBehaviorSanitizer (as bench/engine/fuzz-asan.sh
# does for the engine): builds native/linalg with -fsanitize=address,undefined into
# native/build-asan-linalg/ (Debug, -O1; git-ignored), then runs the given vitest files (default: the
# files that test this addon's entry points, hostile arguments included) with that build loaded through
# STATARB_LINALG_ADDON and the sanitizer runtimes preloaded. Any report aborts the run (exit ≠ 0).
#   bash native/linalg/asan-test.sh [vitest files…]
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=native/build-asan-linalg
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S native/linalg -B "$dir" -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" \
    "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
    "-DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=address,undefined" > /dev/null
fi
nice cmake --build "$dir" -j 2 > "$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
[ $# -gt 0 ] || set -- test/stats/stats.test.ts test/stats/native-window.test.ts test/backtest/construct.test.ts
preload="$(g++ -print-file-name=libasan.so):$(g++ -print-file-name=libubsan.so)"
# node is not instrumented: leak checking would report V8's own allocations, so it is off
LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:handle_segv=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  STATARB_LINALG_ADDON="$PWD/$dir/Release/statarb_linalg.node" npx vitest run "$@"
