/**
 * Holdings-based attribution by group: a custom hierarchy (sector → industry → …) maps each asset
 * to a path; `sectorBreakdown` sums weights and contributions (Σ_t Σ_{a∈g} w_a,t r_a,t) at every
 * level, and `brinsonFromHoldings` runs Brinson-Fachler per period at one level and links the
 * periods (lib/analytics/brinson.ts). `backtestHoldings` turns a BacktestResult's share positions
 * into start-of-day weights: w_a,t = q_a,t−1·P_a,t−1 / E_t−1, so Σ_a w_a,t r_a,t is day t's
 * return before costs (the backtester trades at closes; positions held into t earn r_t).
 */
import { checkKeys, opt, Panel, readOptions } from "../data/index.js";
import { brinsonFachler, type BrinsonLinking, type BrinsonResult, linkBrinson, type LinkedBrinsonResult, LINKING_RULE } from "./brinson.js";
import { htmlTable, pct, withDisplay } from "./html.js";

/** A grouping of assets: level names, and each asset's path (one name per level). */
export interface SectorHierarchy {
  /** e.g. ["sector", "industry"]. */
  readonly levels: readonly string[];
  /** asset → path, e.g. { AAPL: ["Information Technology", "Technology Hardware"] }. */
  readonly assets: Readonly<Record<string, readonly string[]>>;
}

/** A flat asset → group map, or a hierarchy. */
export type GroupingInput = SectorHierarchy | Readonly<Record<string, string>>;

/**
 * GICS sector and industry group of the 20 stocks of the `skfolio-sp500` dataset (classification
 * as of 2022), for examples and notebooks; pass your own hierarchy for other universes.
 */
export const SKFOLIO_SP500_SECTORS: SectorHierarchy = Object.freeze({
  levels: Object.freeze(["sector", "industry group"]),
  assets: Object.freeze({
    AAPL: ["Information Technology", "Technology Hardware & Equipment"],
    AMD: ["Information Technology", "Semiconductors"],
    MSFT: ["Information Technology", "Software & Services"],
    BAC: ["Financials", "Banks"],
    JPM: ["Financials", "Banks"],
    BBY: ["Consumer Discretionary", "Consumer Discretionary Distribution & Retail"],
    HD: ["Consumer Discretionary", "Consumer Discretionary Distribution & Retail"],
    CVX: ["Energy", "Energy"],
    XOM: ["Energy", "Energy"],
    RRC: ["Energy", "Energy"],
    GE: ["Industrials", "Capital Goods"],
    JNJ: ["Health Care", "Pharmaceuticals & Biotechnology"],
    LLY: ["Health Care", "Pharmaceuticals & Biotechnology"],
    MRK: ["Health Care", "Pharmaceuticals & Biotechnology"],
    PFE: ["Health Care", "Pharmaceuticals & Biotechnology"],
    UNH: ["Health Care", "Health Care Equipment & Services"],
    KO: ["Consumer Staples", "Food, Beverage & Tobacco"],
    PEP: ["Consumer Staples", "Food, Beverage & Tobacco"],
    PG: ["Consumer Staples", "Household & Personal Products"],
    WMT: ["Consumer Staples", "Consumer Staples Distribution & Retail"],
  }),
});

function toHierarchy(where: string, g: GroupingInput): SectorHierarchy {
  if (g === null || typeof g !== "object") throw new TypeError(`${where}: the grouping must be { levels, assets } or an asset → group map`);
  if ("levels" in g && "assets" in g && Array.isArray((g as SectorHierarchy).levels)) {
    const h = g as SectorHierarchy;
    if (h.levels.length === 0) throw new RangeError(`${where}: the hierarchy has no levels`);
    for (const [a, path] of Object.entries(h.assets)) {
      if (!Array.isArray(path) || path.length !== h.levels.length) throw new RangeError(`${where}: asset ${a} has path ${JSON.stringify(path)}; give one name per level (${h.levels.join(", ")})`);
    }
    return h;
  }
  const flat = g as Readonly<Record<string, string>>;
  const assets: Record<string, string[]> = {};
  for (const [a, s] of Object.entries(flat)) {
    if (typeof s !== "string") throw new TypeError(`${where}: group of asset ${a} must be a string, got ${typeof s}`);
    assets[a] = [s];
  }
  return { levels: ["sector"], assets };
}

/** The group of `asset` at `depth` (the path up to that level joined by " / "); unmapped assets form "unclassified". */
function groupOf(h: SectorHierarchy, asset: string, depth: number): string {
  const p = h.assets[asset];
  return p === undefined ? "unclassified" : p.slice(0, depth + 1).join(" / ");
}

function levelDepth(where: string, h: SectorHierarchy, level: string | number | undefined): number {
  if (level === undefined) return 0;
  const d = typeof level === "number" ? level : h.levels.indexOf(level);
  if (!(Number.isInteger(d) && d >= 0 && d < h.levels.length)) throw new RangeError(`${where}: option level ${JSON.stringify(level)} is not one of ${h.levels.map((l) => JSON.stringify(l)).join(", ")}`);
  return d;
}

function checkAligned(where: string, w: Panel, r: Panel, wn = "weights", rn = "returns"): void {
  if (w.nDates !== r.nDates || w.nAssets !== r.nAssets) throw new RangeError(`${where}: ${wn} is ${w.nDates} × ${w.nAssets} but ${rn} is ${r.nDates} × ${r.nAssets}; align them (same dates and assets)`);
  for (let j = 0; j < w.nAssets; j++) if (w.assets[j] !== r.assets[j]) throw new RangeError(`${where}: asset ${j} is ${w.assets[j]} in ${wn} but ${r.assets[j]} in ${rn}`);
  if (w.dates[0] !== r.dates[0] || w.dates[w.nDates - 1] !== r.dates[r.nDates - 1]) throw new RangeError(`${where}: ${wn} and ${rn} cover different dates`);
}

/** Options of {@link sectorBreakdown}. */
export interface SectorBreakdownOptions {
  /** Start-of-period weights (dates × assets), e.g. `backtestHoldings(result, prices).weights`. */
  weights: Panel;
  /** Asset returns of the same periods (NaN counts as 0). */
  returns: Panel;
  /** Asset → group, or a hierarchy (default: every asset its own group is not allowed — give one). */
  hierarchy: GroupingInput;
}

/** One group at one level. */
export interface SectorBreakdownRow {
  readonly level: string;
  /** Path joined by " / ". */
  readonly group: string;
  readonly assets: readonly string[];
  /** Mean over periods of the net weight Σw. */
  readonly averageNetWeight: number;
  /** Mean over periods of the gross weight Σ|w|. */
  readonly averageGrossWeight: number;
  /** Σ_t Σ_{a∈g} w r (arithmetic). */
  readonly contribution: number;
  /** Contribution of the long and the short side. */
  readonly longContribution: number;
  readonly shortContribution: number;
}

/** Result of {@link sectorBreakdown}. */
export interface SectorBreakdown {
  readonly levels: readonly string[];
  /** Rows of every level, level by level, groups by name. */
  readonly rows: readonly SectorBreakdownRow[];
  /** Σ of all contributions (= Σ_t portfolio return before costs when the weights are the book's). */
  readonly total: number;
  readonly periods: number;
}

/** Weights and contributions aggregated at every level of a hierarchy. */
export function sectorBreakdown(options: SectorBreakdownOptions): SectorBreakdown {
  const where = "sectorBreakdown";
  const o = checkKeys(where, options, ["weights", "returns", "hierarchy"]);
  const w = o.get("weights");
  const r = o.get("returns");
  if (!(w instanceof Panel) || !(r instanceof Panel)) throw new TypeError(`${where}: options weights and returns must be Panels`);
  checkAligned(where, w, r);
  const h = toHierarchy(where, o.get("hierarchy") as GroupingInput);
  const T = w.nDates;
  const perAsset = w.assets.map((_, j) => {
    const wc = w.columns[j] as Float64Array;
    const rc = r.columns[j] as Float64Array;
    let net = 0, gross = 0, c = 0, cl = 0, cs = 0;
    for (let t = 0; t < T; t++) {
      const x = wc[t]!;
      const y = rc[t]!;
      if (x !== x) continue;
      net += x;
      gross += Math.abs(x);
      const v = y === y ? x * y : 0;
      c += v;
      if (x > 0) cl += v;
      else cs += v;
    }
    return { net: net / T, gross: gross / T, c, cl, cs };
  });
  const rows: SectorBreakdownRow[] = [];
  let total = 0;
  for (const a of perAsset) total += a.c;
  h.levels.forEach((level, depth) => {
    const groups = new Map<string, { assets: string[]; net: number; gross: number; c: number; cl: number; cs: number }>();
    w.assets.forEach((asset, j) => {
      const g = groupOf(h, asset, depth);
      const e = groups.get(g) ?? { assets: [], net: 0, gross: 0, c: 0, cl: 0, cs: 0 };
      const a = perAsset[j] as (typeof perAsset)[number];
      e.assets.push(asset);
      e.net += a.net;
      e.gross += a.gross;
      e.c += a.c;
      e.cl += a.cl;
      e.cs += a.cs;
      groups.set(g, e);
    });
    for (const [group, e] of [...groups.entries()].sort((x, y) => x[0].localeCompare(y[0]))) {
      rows.push(Object.freeze({ level, group, assets: Object.freeze(e.assets), averageNetWeight: e.net, averageGrossWeight: e.gross, contribution: e.c, longContribution: e.cl, shortContribution: e.cs }));
    }
  });
  const result: SectorBreakdown = { levels: Object.freeze([...h.levels]), rows: Object.freeze(rows), total, periods: T };
  return Object.freeze(withDisplay(result, sectorBreakdownHtml));
}

/** Options of {@link brinsonFromHoldings}. */
export interface BrinsonFromHoldingsOptions {
  /** Start-of-period portfolio weights (dates × assets). */
  portfolioWeights: Panel;
  /** Asset returns of the same periods. */
  assetReturns: Panel;
  /** Benchmark weights (same shape), or "equal" (default): equal weights over the assets with a return that period. */
  benchmarkWeights?: Panel | "equal";
  hierarchy: GroupingInput;
  /** Level to attribute at (name or depth; default the first). */
  level?: string | number;
  /** Default "carino". */
  linking?: BrinsonLinking;
  /** |net sector weight| below this counts as not held (default 1e-3; see brinson.ts). */
  minWeight?: number;
  /**
   * Interaction effect (default "auto": "separate" for a long-only book, "in-selection" as soon as
   * any weight is short, because a long-short sector's R_p,i = c_p,i/w_p,i blows up as its net
   * weight nears 0 and would split one small effect into two huge offsetting ones).
   */
  interaction?: "auto" | "separate" | "in-selection";
}

const isPanel = (v: unknown): v is Panel => v instanceof Panel;

function readHoldingsOptions(where: string, options: BrinsonFromHoldingsOptions) {
  return readOptions(where, options, {
    portfolioWeights: opt.custom<Panel | undefined>("a Panel", () => undefined, isPanel),
    assetReturns: opt.custom<Panel | undefined>("a Panel", () => undefined, isPanel),
    benchmarkWeights: opt.custom<Panel | "equal">('a Panel or "equal"', () => "equal", (v): v is Panel | "equal" => v === "equal" || v instanceof Panel),
    hierarchy: opt.custom<GroupingInput | undefined>("{ levels, assets } or an asset → group map", () => undefined, (v): v is GroupingInput => v !== null && typeof v === "object"),
    level: opt.optional(opt.custom<string | number>("a level name or depth", () => 0, (v): v is string | number => typeof v === "string" || typeof v === "number", "range")),
    linking: LINKING_RULE,
    minWeight: opt.number(1e-3, { min: 0 }),
    interaction: opt.custom<"auto" | "separate" | "in-selection">('"auto", "separate" or "in-selection"', () => "auto", (v): v is "auto" => v === "auto" || v === "separate" || v === "in-selection", "range"),
  });
}

/** The group index of each asset at one level of the hierarchy, and the group names in order of first appearance. */
function groupIndex(w: Panel, h: SectorHierarchy, depth: number): { names: string[]; index: Int32Array } {
  const names: string[] = [];
  const index = new Int32Array(w.nAssets);
  w.assets.forEach((a, j) => {
    const g = groupOf(h, a, depth);
    let k = names.indexOf(g);
    if (k < 0) k = names.push(g) - 1;
    index[j] = k;
  });
  return { names, index };
}

/** Per-period Brinson-Fachler at one hierarchy level, linked over time. */
export function brinsonFromHoldings(options: BrinsonFromHoldingsOptions): LinkedBrinsonResult {
  const where = "brinsonFromHoldings";
  const o = readHoldingsOptions(where, options);
  const w = o.portfolioWeights;
  const r = o.assetReturns;
  if (w === undefined || r === undefined) throw new TypeError(`${where}: options portfolioWeights and assetReturns must be Panels`);
  checkAligned(where, w, r, "portfolioWeights", "assetReturns");
  const bw = o.benchmarkWeights;
  if (bw !== "equal") checkAligned(where, bw, r, "benchmarkWeights", "assetReturns");
  const h = toHierarchy(where, o.hierarchy as GroupingInput);
  const groups = groupIndex(w, h, levelDepth(where, h, o.level));
  let anyShort = false;
  for (const c of w.columns) for (const v of c) if (v < 0) anyShort = true;
  const interaction = o.interaction === "auto" ? (anyShort ? "in-selection" : "separate") : o.interaction;
  const periods: BrinsonResult[] = [];
  for (let t = 0; t < w.nDates; t++) periods.push(brinsonFachler({ ...groupWeights(t, w, r, bw, groups), minWeight: o.minWeight, interaction, label: String(w.dates[t]) }));
  return linkBrinson(periods, { method: o.linking });
}

/** Day t's portfolio and benchmark weights, contributions and benchmark returns by group. */
function groupWeights(t: number, w: Panel, r: Panel, bw: Panel | "equal", groups: { names: string[]; index: Int32Array }) {
  const G = groups.names.length;
  const gi = groups.index;
  const wp = new Float64Array(G), wb = new Float64Array(G), cp = new Float64Array(G), cb = new Float64Array(G), rb = new Float64Array(G);
  let m = 0;
  if (bw === "equal") for (const c of r.columns) if (Number.isFinite(c[t]!)) m++;
  for (let j = 0; j < w.nAssets; j++) {
    const g = gi[j]!;
    const ret = r.columns[j]![t]!;
    const x = w.columns[j]![t]!;
    const y = Number.isFinite(ret) ? ret : 0;
    if (Number.isFinite(x)) {
      wp[g] = wp[g]! + x;
      cp[g] = cp[g]! + x * y;
    }
    const b = bw === "equal" ? (Number.isFinite(ret) && m > 0 ? 1 / m : 0) : (bw.columns[j]![t]!);
    if (Number.isFinite(b)) {
      wb[g] = wb[g]! + b;
      cb[g] = cb[g]! + b * y;
    }
  }
  // a group the benchmark does not hold is valued at the portfolio's own return there (no allocation signal)
  for (let g = 0; g < G; g++) rb[g] = Math.abs(wb[g]!) > 1e-15 ? cb[g]! / wb[g]! : Math.abs(wp[g]!) > 1e-15 ? cp[g]! / wp[g]! : 0;
  return { sectors: groups.names, portfolioWeights: wp, benchmarkWeights: wb, portfolioReturns: new Float64Array(G).fill(Number.NaN), benchmarkReturns: rb, portfolioContributions: cp };
}

/** The few BacktestResult fields {@link backtestHoldings} reads. */
export interface HoldingsSource {
  readonly dates: Int32Array;
  readonly assets: readonly string[];
  readonly positions: Panel;
  readonly equityCurve: Float64Array;
  readonly initialCapital: number;
}

/** Start-of-day weights and asset returns of a backtest, on its dates (day 0 starts in cash). */
export function backtestHoldings(result: HoldingsSource, prices: Panel): { weights: Panel; returns: Panel } {
  const where = "backtestHoldings";
  if (result === undefined || !(result.positions instanceof Panel)) throw new TypeError(`${where}: pass a BacktestResult`);
  if (!(prices instanceof Panel)) throw new TypeError(`${where}: prices must be the Panel of close prices the backtest ran on`);
  const T = result.dates.length;
  const rows = Int32Array.from(result.dates, (d) => {
    const k = prices.indexOfDate(d);
    if (k < 0) throw new RangeError(`${where}: prices lack the backtest date ${d}; pass the backtest's price Panel`);
    return k;
  });
  const weights: Float64Array[] = [];
  const returns: Float64Array[] = [];
  for (const asset of result.assets) {
    const pc = prices.column(asset);
    const q = result.positions.column(asset);
    const wc = new Float64Array(T);
    const rc = new Float64Array(T);
    // carry the last valid price, as the backtester marks positions
    let lastPrice = Number.NaN;
    const k0 = rows[0]!;
    for (let k = k0 - 1; k >= 0; k--) {
      if (pc[k]! > 0) {
        lastPrice = pc[k]!;
        break;
      }
    }
    for (let t = 0; t < T; t++) {
      const p = pc[rows[t]!]!;
      const mark = p > 0 ? p : lastPrice;
      rc[t] = t === 0 ? (lastPrice > 0 && p > 0 ? p / lastPrice - 1 : Number.NaN) : mark / lastPrice - 1;
      if (t > 0) {
        const e = result.equityCurve[t - 1]!;
        wc[t] = (q[t - 1]! * lastPrice) / e;
      }
      if (p > 0) lastPrice = p;
    }
    weights.push(wc);
    returns.push(rc);
  }
  return { weights: new Panel(result.dates, result.assets, weights, { validate: false }), returns: new Panel(result.dates, result.assets, returns, { validate: false }) };
}

/** The contribution-by-group table of a sector breakdown. */
export function sectorBreakdownHtml(s: SectorBreakdown): string {
  const rows = s.rows.map((r) => [`${r.level}: ${r.group}`, pct(r.averageNetWeight, 1), pct(r.averageGrossWeight, 1), pct(r.contribution), pct(r.longContribution), pct(r.shortContribution)]);
  rows.push(["total", "", "", pct(s.total), "", ""]);
  return htmlTable(["group", "avg net weight", "avg gross weight", "contribution Σ", "long", "short"], rows, `Contribution by group over ${s.periods} periods`);
}
