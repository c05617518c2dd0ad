/**
 * The %%sql cell magic against a real TickStore: finds the store among the notebook's variables,
 * shows the result as an Arrow table, binds it with -o, and refuses bad arguments in one clear line.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Magics } from "../../kernel/magics/registry.js";
import { parseSqlArgs, registerSqlMagic } from "../../kernel/magics/sql.js";
import type { MagicContext } from "../../kernel/magics/types.js";
import { openTickStore, toEpochNs, type TickStore } from "../../lib/ticks/index.js";

function context(vars: Record<string, unknown>): MagicContext {
  return {
    stdout: () => {},
    stderr: () => {},
    display: () => {},
    getVariable: (n) => vars[n],
    setVariable: (n, v) => {
      vars[n] = v;
    },
    signal: new AbortController().signal,
    cwd: process.cwd(),
  };
}

describe("%%sql", () => {
  const stores: TickStore[] = [];
  afterAll(() => stores.forEach((s) => s.close()));

  it("queries the notebook's TickStore and binds the result with -o", async () => {
    const store = await openTickStore();
    stores.push(store);
    const t0 = toEpochNs("2024-01-02T14:30:00Z");
    await store.ingestTrades({ ts: BigInt64Array.from([t0, t0 + 5n]), sym: ["A", "B"], price: Float64Array.from([1.5, 2.5]), size: Int32Array.from([10, 20]) });
    const vars: Record<string, unknown> = { ticks: store, other: 3 };
    const magics = new Magics();
    registerSqlMagic(magics, { userNames: () => Object.keys(vars) });
    const sql = magics.cell("sql")!;
    const shown = (await sql.run("-o vw", "SELECT sym, sum(price * size) / sum(size) AS vwap FROM trades GROUP BY sym ORDER BY sym", context(vars))) as { numRows: number; getChild(n: string): { toArray(): unknown } };
    expect(shown.numRows).toBe(2);
    expect(vars.vw).toBe(shown);
    expect(Array.from(shown.getChild("vwap").toArray() as Float64Array)).toEqual([1.5, 2.5]);
    expect(await sql.run("-q -o n", "SELECT count(*) AS n FROM trades", context(vars))).toBeUndefined();
    expect(vars.n).toBeDefined();
  });

  it("asks for -s when several stores exist, and names bad arguments", async () => {
    const a = await openTickStore();
    const b = await openTickStore();
    stores.push(a, b);
    const vars: Record<string, unknown> = { a, b };
    const magics = new Magics();
    registerSqlMagic(magics, { userNames: () => Object.keys(vars) });
    const sql = magics.cell("sql")!;
    await expect(sql.run("", "SELECT 1", context(vars))).rejects.toThrow(/several TickStores \(a, b\); choose one with -s NAME/);
    expect(((await sql.run("-s b", "SELECT 42 AS x", context(vars))) as { numRows: number }).numRows).toBe(1);
    await expect(sql.run("-s nothere", "SELECT 1", context(vars))).rejects.toThrow(/not a TickStore/);
    expect(() => parseSqlArgs("-x")).toThrow(/unknown argument "-x"; usage: %%sql \[-o NAME\] \[-s STORE\] \[-q\]/);
    expect(() => parseSqlArgs("-o 1bad")).toThrow(/-o needs a TypeScript variable name/);
    await expect(sql.run("-s a", "  ", context(vars))).rejects.toThrow(/no SQL/);
  });

  it("with no store, uses a kernel-wide in-memory DuckDB", async () => {
    const magics = new Magics();
    registerSqlMagic(magics, { userNames: () => [] });
    const r = (await magics.cell("sql")!.run("", "SELECT count(*) AS n FROM trades", context({}))) as { numRows: number };
    expect(r.numRows).toBe(1);
  });
});
