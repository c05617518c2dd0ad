/**
 * `import "statarb"` must not load DuckDB or kafkajs (lib/ticks/lazy-deps.ts loads them on first use):
 * checked in a fresh process. Both packages are CommonJS only, so whether a module imported them or
 * required them they are in Node's CommonJS module cache (`require.cache`): the check looks there (and,
 * on Linux, for DuckDB's shared library in /proc/self/maps), with a positive control in the same process.
 * No timings here (bench/ has them).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as duckdbImported from "@duckdb/node-api";
import * as kafkaImported from "kafkajs";
import { describe, expect, it } from "vitest";
import { duckApi, duckBindings, kafkaJs, loadPackage } from "../../lib/ticks/lazy-deps.js";
import { openTickStore } from "../../lib/ticks/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("import statarb: DuckDB and kafkajs deferred", () => {
  it("a fresh process importing lib/index.ts has neither @duckdb/node-api nor kafkajs loaded, until a tick store opens", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "statarb-lazydeps-"));
    try {
      const file = path.join(dir, "probe.mts");
      writeFileSync(
        file,
        `import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
const cache = createRequire(import.meta.url).cache;
const loaded = () => ({
  duckdb: Object.keys(cache).some((k) => k.includes("/@duckdb/node-api/") || k.includes("/@duckdb/node-bindings/")),
  kafkajs: Object.keys(cache).some((k) => k.includes("/kafkajs/")),
  libduckdb: existsSync("/proc/self/maps") ? /libduckdb|duckdb\\.node/.test(readFileSync("/proc/self/maps", "utf8")) : false,
});
const statarb = await import(${JSON.stringify(pathToFileURL(path.join(root, "lib/index.ts")).href)});
const afterImport = { ...loaded(), exports: Object.keys(statarb).length, hasOpen: typeof statarb.openTickStore === "function", hasKafka: typeof statarb.kafkaSource === "function" };
const store = await statarb.openTickStore();
await store.close?.();
const afterOpen = loaded();
console.log(JSON.stringify({ afterImport, afterOpen, linux: existsSync("/proc/self/maps") }));
`,
      );
      const out = execFileSync(process.execPath, ["--import", "tsx", file], { cwd: root, encoding: "utf8" });
      const res = JSON.parse(out.trim().split("\n").pop() as string) as {
        afterImport: { duckdb: boolean; kafkajs: boolean; libduckdb: boolean; exports: number; hasOpen: boolean; hasKafka: boolean };
        afterOpen: { duckdb: boolean; kafkajs: boolean; libduckdb: boolean };
        linux: boolean;
      };
      expect(res.afterImport).toEqual({ duckdb: false, kafkajs: false, libduckdb: false, exports: res.afterImport.exports, hasOpen: true, hasKafka: true });
      expect(res.afterImport.exports).toBeGreaterThan(100);
      // the positive control: the same checks see DuckDB once a store is open
      expect(res.afterOpen).toEqual({ duckdb: true, kafkajs: false, libduckdb: res.linux });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("loads the very instances a user's own import gets (CommonJS packages: one module cache)", async () => {
    expect(duckApi().DuckDBInstance).toBe(duckdbImported.DuckDBInstance);
    expect(duckApi().DuckDBMaterializedResult).toBe(duckdbImported.DuckDBMaterializedResult);
    expect(kafkaJs().Kafka).toBe(kafkaImported.Kafka);
    expect(typeof duckBindings().vector_size).toBe("function");
    const store = await openTickStore();
    try {
      const result = await store.materialize("SELECT 1 AS x");
      expect(result).toBeInstanceOf(duckdbImported.DuckDBMaterializedResult);
    } finally {
      await store.close();
    }
  });

  it("names the package and the fix when it is missing", () => {
    expect(() => loadPackage("@duckdb/node-api-not-installed", "the tick store (DuckDB)")).toThrow(
      /^statarb: the tick store \(DuckDB\) needs the package @duckdb\/node-api-not-installed, which is not installed: run `npm install @duckdb\/node-api-not-installed`/,
    );
  });
});
