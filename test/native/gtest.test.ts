/** Runs the GoogleTest suite (Release and ASan+UBSan builds) through native/scripts/test-native.sh. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../../native/scripts/test-native.sh", import.meta.url));
const hasCmake = spawnSync("cmake", ["--version"]).status === 0;

describe("native GoogleTest suite", () => {
  it.skipIf(!hasCmake)("passes in Release and under AddressSanitizer + UndefinedBehaviorSanitizer (skipped: no cmake)", () => {
    const r = spawnSync("bash", [script], { encoding: "utf8", timeout: 110_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    if (r.status !== 0) throw new Error(`native/scripts/test-native.sh failed (exit ${r.status}):\n${out.slice(-4000)}`);
    expect(out).toMatch(/all passed \(Release and ASan\+UBSan\)/);
    expect(out.match(/100% tests passed/g)?.length).toBe(2);
  });
});
