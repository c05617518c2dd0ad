/**
 * The long fuzz run of the engine's JavaScript API (the property of test/native/fuzz-model.ts)
 * for SECONDS seconds from SEED; run by bench/engine/fuzz-asan.sh against the ASan+UBSan build of
 * the addon (STATARB_ENGINE_ADDON). Prints what it reached and exits non-zero on a violation.
 *   npx tsx bench/engine/fuzz-long.ts [SECONDS=120] [SEED=now]
 */
import fc from "fast-check";
import { checkSequence, sequences, tally } from "../../test/native/fuzz-model.js";

const seconds = Number(process.argv[2] ?? 120);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const t0 = Date.now();
let runs = 0;
try {
  fc.assert(
    fc.property(sequences, (cs) => {
      runs++;
      checkSequence(cs);
    }),
    { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: false },
  );
} catch (e) {
  console.error(`[fuzz] seed ${seed}: ${(e as Error).message}`);
  process.exit(1);
}
console.log(`[fuzz] seed ${seed}: ${runs} sequences in ${((Date.now() - t0) / 1000).toFixed(0)} s, ${tally.returned} calls returned, ${tally.threw} refused, no abort, no violation`);
