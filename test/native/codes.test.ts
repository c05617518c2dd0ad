/**
 * The boundary codes come from one table (native/codes.json), generated into C++
 * (native/src/binding/codes.gen.h) and TypeScript (native/ts/codes.gen.ts) by
 * native/scripts/gen-codes.mjs at every build: both generated files must match the table, and the
 * addon built from them must report the same status codes as the TypeScript face.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BATCH_OP, BATCH_STATUS, isEngineBuilt } from "../../native/ts/index.js";

const gen = fileURLToPath(new URL("../../native/scripts/gen-codes.mjs", import.meta.url));
const table = JSON.parse(readFileSync(new URL("../../native/codes.json", import.meta.url), "utf8")) as Record<string, { name: string; code: number }[]>;

describe("boundary codes: one table for C++ and TypeScript", () => {
  it("the generated files are up to date with native/codes.json", () => {
    const r = spawnSync(process.execPath, [gen, "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("the TypeScript constants are the table's", () => {
    expect(BATCH_OP).toEqual(Object.fromEntries(table.batchOp!.map((r) => [r.name, r.code])));
    expect(BATCH_STATUS).toEqual(Object.fromEntries(table.status!.map((r) => [r.name, r.code])));
  });

  it.skipIf(!isEngineBuilt())("the built addon reports the table's status codes", async () => {
    const { createRequire } = await import("node:module");
    const addon = createRequire(import.meta.url)("../../native/build/Release/statarb_engine.node") as { statusCodes: Record<string, number> };
    expect(addon.statusCodes).toEqual(BATCH_STATUS);
  });
});
