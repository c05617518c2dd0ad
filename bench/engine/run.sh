#!/usr/bin/env bash
# Matching-engine benchmarks → bench/results/engine.md. Run: bash bench/engine/run.sh (or
# `bash scripts/bench engine`). Builds the peers from their registries first (peers/build.sh:
# exchange-core from Maven Central, orderbook-rs and lobster from crates.io), writes the two order
# streams once (Liquibook's 5 M insert stream and exchange-core's mix) and replays the SAME files
# through statarb and every peer, interleaved (statarb, peers, statarb, peers, … REPS rounds), one
# process per run; the report gives medians and ranges since this machine is shared. The latency
# runs use SCHED_FIFO (chrt -f 1) when allowed, each under 1 s, plus the same harness with the
# operation left out (the machine's own stall floor) and a normal-priority run.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${REPS:-5}
SLOW_REPS=${SLOW_REPS:-3}  # rounds that also run the slowest peer (orderbook-rs: ~20 s CPU per stream)
MIX_OPS=${MIX_OPS:-3000000}
INSERTS=${INSERTS:-5000000}
LAT_OPS=${LAT_OPS:-600000}
out=bench/.tmp/engine
mkdir -p "$out" bench/results
runs="$out/runs.jsonl"
: > "$runs"
echo "[bench/engine] building native/build-bench (Release, the addon's flags), the addon and the peers"
nice cmake -S native -B native/build-bench -DCMAKE_BUILD_TYPE=Release -DSTATARB_ADDON=OFF -DSTATARB_TESTS=OFF -DSTATARB_BENCH=ON > "$out/configure.log"
nice cmake --build native/build-bench -j 2 --target engine_bench > "$out/build.log"
node native/build.mjs > "$out/addon.log"
bash bench/engine/peers/build.sh
B=native/build-bench/engine_bench
PEER=bench/engine/peers/run-peer.sh
RT=()
sched=normal
if chrt -f 1 true 2> /dev/null; then RT=(chrt -f 1); sched=fifo; fi
tag() { sed "s/^{/{\"sched\":\"$1\",/" >> "$runs"; }
$B dump-insert "$INSERTS" "$out/insert.bin"
$B dump-mix "$MIX_OPS" "$out/mix.bin" | tag normal
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$REPS"); do
  echo "[bench/engine] round $r/$REPS"
  $B mix-file "$out/mix.bin" | tag normal
  bash $PEER exchange-core mix "$out/mix.bin" | tag normal
  bash $PEER lobster mix "$out/mix.bin" | tag normal
  [ "$r" -le "$SLOW_REPS" ] && bash $PEER orderbook-rs mix "$out/mix.bin" | tag normal
  $B insert-file "$out/insert.bin" 0 | tag normal
  bash $PEER exchange-core insert "$out/insert.bin" | tag normal
  $B insert-file "$out/insert.bin" "$INSERTS" | tag normal
  bash $PEER lobster insert "$out/insert.bin" | tag normal
  [ "$r" -le "$SLOW_REPS" ] && bash $PEER orderbook-rs insert "$out/insert.bin" | tag normal
  "${RT[@]}" $B latency "$LAT_OPS" 1000000 | tag "$sched"
  sleep 0.3
  "${RT[@]}" $B latency-noop "$LAT_OPS" 1000000 | tag "$sched"
  sleep 0.3
  $B latency "$LAT_OPS" 1000000 | tag normal
done
echo "[bench/engine] JavaScript: batch and per-call on the insert stream file"
npx tsx bench/engine/js-bench.ts "$out/insert.bin" "$REPS" | tag normal
load1=$(cut -d' ' -f1-3 /proc/loadavg)
echo "[bench/engine] long fuzz of the JavaScript API under ASan+UBSan (${FUZZ_SECONDS:-120} s)"
bash bench/engine/fuzz-asan.sh "${FUZZ_SECONDS:-120}" > "$out/fuzz.log" 2>&1 || { cat "$out/fuzz.log"; echo "[bench/engine] FUZZ FAILED"; }
tail -1 "$out/fuzz.log"
npx tsx bench/engine/summarize.ts "$runs" bench/results/engine.md "REPS=$REPS SLOW_REPS=$SLOW_REPS FUZZ_SECONDS=${FUZZ_SECONDS:-120} bash bench/engine/run.sh" "$load0" "$load1" "$(tail -1 "$out/fuzz.log")"
echo "[bench/engine] wrote bench/results/engine.md"
