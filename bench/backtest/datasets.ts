/**
 * Price panels for the strategy runs: through lib/data's `loadDataset` when it is exported; until
 * then (a private stop-gap, noted in the results) skfolio's two datasets are read from `.venv`
 * with skfolio itself. Other datasets need `loadDataset`.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as data from "../../lib/data/index.js";
import { Panel } from "../../lib/data/panel.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** How the last panel was loaded ("loadDataset" or "skfolio via .venv"). */
export const loadedVia: Record<string, string> = {};

export function pricesOf(x: unknown, name: string): Panel {
  if (x instanceof Panel) return x;
  for (const k of ["close", "prices", "adjClose", "panel"]) {
    const v = (x as Record<string, unknown>)[k];
    if (v instanceof Panel) return v;
  }
  throw new Error(`dataset ${name} holds no price Panel`);
}

export async function loadPrices(name: string): Promise<Panel> {
  const load = (data as Record<string, unknown>).loadDataset;
  if (typeof load === "function") {
    loadedVia[name] = "loadDataset";
    return pricesOf(await (load as (n: string) => Promise<unknown>)(name), name);
  }
  const fn = { "skfolio-sp500": "load_sp500_dataset", "skfolio-sp500-index": "load_sp500_index" }[name];
  if (fn === undefined) throw new Error(`loadDataset is not available yet and ${name} has no stop-gap loader`);
  const csv = execFileSync(`${root}.venv/bin/python`, ["-c", `import sys; from skfolio.datasets import ${fn}; ${fn}().to_csv(sys.stdout)`], { encoding: "utf8", maxBuffer: 1 << 28 });
  const lines = csv.trim().split("\n");
  const head = (lines[0] as string).split(",").slice(1);
  const rows = lines.slice(1).map((l) => l.split(","));
  loadedVia[name] = "skfolio via .venv (stop-gap)";
  return new Panel(
    rows.map((r) => (r[0] as string).slice(0, 10)),
    head,
    head.map((_, j) => Float64Array.from(rows, (r) => (r[j + 1] === "" || r[j + 1] === undefined ? Number.NaN : Number(r[j + 1])))),
  );
}
