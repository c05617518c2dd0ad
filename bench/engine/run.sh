#!/usr/bin/env bash
# Matching-engine benchmarks (issue 5) → bench/results/engine.md. Run: bash bench/engine/run.sh
# (or `bash scripts/bench engine`). REPS=5 runs of every C++ measurement and REPS rounds of the JS
# measurement; the report gives medians and ranges, since this machine is shared. The latency runs
# use SCHED_FIFO (chrt -f 1) when allowed, each under 1 s so RT throttling never cuts in, plus the
# same harness with the operation left out (the machine's own hiccups) and a normal-priority run.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${REPS:-5}
MIX_OPS=${MIX_OPS:-3000000}
INSERTS=${INSERTS:-5000000}
LAT_OPS=${LAT_OPS:-600000}
JS_ORDERS=${JS_ORDERS:-1000000}
out=bench/.tmp/engine
mkdir -p "$out" bench/results
runs="$out/runs.jsonl"
: > "$runs"
echo "[bench/engine] building native/build-bench (Release, the addon's flags) and the addon"
nice cmake -S native -B native/build-bench -DCMAKE_BUILD_TYPE=Release -DSTATARB_ADDON=OFF -DSTATARB_TESTS=OFF -DSTATARB_BENCH=ON > "$out/configure.log"
nice cmake --build native/build-bench -j 2 --target engine_bench > "$out/build.log"
node native/build.mjs > "$out/addon.log"
B=native/build-bench/engine_bench
RT=()
sched=normal
if chrt -f 1 true 2> /dev/null; then RT=(chrt -f 1); sched=fifo; fi
tag() { sed "s/^{/{\"sched\":\"$1\",/" >> "$runs"; }
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$REPS"); do
  echo "[bench/engine] round $r/$REPS"
  $B mix "$MIX_OPS" | tag normal
  $B insert "$INSERTS" 0 | tag normal
  $B insert "$INSERTS" "$INSERTS" | tag normal
  "${RT[@]}" $B latency "$LAT_OPS" 1000000 | tag "$sched"
  sleep 0.3
  "${RT[@]}" $B latency-noop "$LAT_OPS" 1000000 | tag "$sched"
  sleep 0.3
  $B latency "$LAT_OPS" 1000000 | tag normal
done
echo "[bench/engine] JavaScript: batch, per-call and the TypeScript Map-of-arrays book"
npx tsx bench/engine/js-bench.ts "$JS_ORDERS" "$REPS" | tag normal
load1=$(cut -d' ' -f1-3 /proc/loadavg)
echo "[bench/engine] long fuzz of the JavaScript API under ASan+UBSan (${FUZZ_SECONDS:-120} s)"
bash bench/engine/fuzz-asan.sh "${FUZZ_SECONDS:-120}" > "$out/fuzz.log" 2>&1 || { cat "$out/fuzz.log"; echo "[bench/engine] FUZZ FAILED"; }
tail -1 "$out/fuzz.log"
npx tsx bench/engine/summarize.ts "$runs" bench/results/engine.md "REPS=$REPS bash bench/engine/run.sh" "$load0" "$load1"
echo "[bench/engine] wrote bench/results/engine.md"
