#!/usr/bin/env bash
# Builds the GoogleTest suite twice — Release (native/build-tests/) and AddressSanitizer +
# UndefinedBehaviorSanitizer (native/build-asan/) — and runs ctest in both. Exit 0 only if both pass.
# The sanitizer build is Debug at -O1 -g1: half the compile time of -O2 -g, still fast to run.
set -euo pipefail
cd "$(dirname "$0")/.."
run() {
  local dir=$1
  shift
  echo "[test-native] $dir: cmake $*"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S . -B "$dir" "$@" -DSTATARB_ADDON=OFF -DSTATARB_TESTS=ON > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
    mv "$dir.configure.log" "$dir/"
  fi
  cmake --build "$dir" -j 2 > "$dir.build.log" 2>&1 || { cat "$dir.build.log"; exit 1; }
  mv "$dir.build.log" "$dir/"
  [ -x "$dir/engine_tests" ] || { echo "[test-native] GoogleTest not found (apt-get install libgtest-dev)"; exit 2; }
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure
}
run build-tests -DCMAKE_BUILD_TYPE=Release
run build-asan -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" -DSTATARB_SANITIZE=ON
echo "[test-native] all passed (Release and ASan+UBSan)"
