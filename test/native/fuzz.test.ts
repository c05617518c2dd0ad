/**
 * Property-based fuzzing of the engine's JavaScript API (the property: test/native/fuzz-model.ts).
 * Bounded for npm test: a fixed seed and a few seconds; the long run under ASan+UBSan is
 * `bash bench/engine/fuzz-asan.sh` (native/README.md).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isEngineBuilt } from "../../native/ts/index.js";
import { checkSequence, sequences, tally } from "./fuzz-model.js";

describe.skipIf(!isEngineBuilt())("engine API fuzz (fast-check)", () => {
  it("no input aborts; every call returns with the invariants intact or throws and changes nothing", () => {
    fc.assert(fc.property(sequences, (cs) => checkSequence(cs)), { seed: 20261204, numRuns: 400, interruptAfterTimeLimit: 6_000, markInterruptAsFailure: false });
    // the fuzzer reaches both sides: calls that work (and leave orders resting) and calls refused
    expect(tally.returned).toBeGreaterThan(1000);
    expect(tally.threw).toBeGreaterThan(1000);
    expect(tally.resting).toBeGreaterThan(100);
  }, 30_000);
});
