/**
 * The Avellaneda & Lee (2010) strategies, end to end on a price panel: residual s-scores (lib/signals'
 * `residualSignals`, or `pcaResidualScores` for the library cross-check), the paper's open/close rules
 * (`avellanedaLeeStep`: open |s| > 1.25, close a long at s > −0.50, a short at s < 0.75, only while
 * κ > 252/30), each open position one unit of `positionSize` of equity in the stock hedged by its
 * factor betas (the paper's trade), rebalanced daily, accounted by {@link backtestWeights} at the same
 * close or the next one, with `costPerSide` of traded notional (5 bp a side = the paper's 10 bp round trip).
 *
 * Variants:
 * - `"pca-15"`: 15 eigenportfolios of the 252-day correlation matrix (the paper's main PCA strategy);
 * - `"pca-55"`: each day the eigenportfolios explaining 55 % of the variance;
 * - `"etf"`: each stock against the equal-weighted portfolio of its sector (`sectors`), the paper's
 *   sector-ETF strategy with portfolios of the universe's own names in place of ETFs;
 * - `"pca-15-library"`: the s-scores of lib/signals' `pcaResidualScores` (15 factors, subspace tracking,
 *   uncentred m) with the pca-15 hedges — a check that the library's own machinery tells the same story.
 * Every variant trades from the first date with a full correlation window, so all cover the same days.
 */
import { opt, Panel, readOptions } from "../data/index.js";
import { MinimumHolding, type Rebalancer } from "../portfolio/index.js";
import { avellanedaLeeStep, type EntryOverlay, type LabelledTrip, pcaResidualScores, type ResidualRow, ResidualSignals } from "../signals/index.js";
import { backtestWeights, type WeightBacktestResult } from "./weight-path.js";

/** A strategy of the paper. */
export type AvellanedaLeeVariant = "pca-15" | "pca-55" | "etf" | "pca-15-library";

/** Options of {@link runAvellanedaLee}. */
export interface AvellanedaLeeOptions {
  /** Strategies to run (default ["pca-15", "pca-55", "etf"]). */
  variants?: readonly AvellanedaLeeVariant[];
  /** Sector label per asset (required for "etf"). */
  sectors?: readonly string[];
  /** Execution conventions to account (default ["close", "next-close"]). */
  fillAt?: readonly ("close" | "next-close")[];
  /** Cost per side, a fraction of traded notional (default 0.0005: 10 bp a round trip). */
  costPerSide?: number;
  /** Stock leg of one position, a fraction of equity (default 0.02). */
  positionSize?: number;
  /** Days of the correlation window (default 252). */
  correlationWindow?: number;
  /** Days of the residual regression and OU fit (default 60). */
  ouWindow?: number;
  /** Cost-aware rebalancing of the book (lib/portfolio's NoTradeBand / TurnoverPenalty) (default none). */
  rebalancer?: Rebalancer;
  /** Minimum holding period of a position in days (default 0: the paper's rules only). */
  minHoldingDays?: number;
  /** Hedge each position with its factor betas, the paper's trade (default true); false holds the stock legs only. */
  hedge?: boolean;
  /**
   * When a position's hedge is set (default "entry"): "entry" fixes the dollar hedge at the day the
   * position opens and keeps it until the position closes (the paper's trade: buy one dollar of the
   * stock, sell β_ij dollars of each factor, unwind both at the exit); "daily" re-hedges every open
   * position with each day's betas and factor portfolios (far more turnover).
   */
  hedgeAt?: "entry" | "daily";
  /**
   * An ML overlay on the entries (e.g. lib/signals' `MetaLabelFilter`), made once per variant: each variant
   * then runs a second, filtered book on the same s-scores, which opens a position only when the overlay
   * accepts it; the overlay learns from the unfiltered book's round trips closed before the row decided
   * (walk-forward, out of sample). The filtered runs follow the unfiltered ones, with `overlay` set (default none).
   */
  overlay?: () => EntryOverlay;
}

/** One variant under one execution convention. */
export interface AvellanedaLeeRun {
  readonly variant: AvellanedaLeeVariant;
  readonly label: string;
  readonly fillAt: "close" | "next-close";
  /** The rebalancer the targets were traded through ("none", or its name and parameters). */
  readonly construction: string;
  /** The entry overlay of the book ("none", or the overlay's name). */
  readonly overlay: string;
  readonly result: WeightBacktestResult;
  /** Target weights decided at each close (NaN before the first signal), hedges included. */
  readonly targets: Panel;
  /** Factors used per accounted date (eigenportfolios, or sectors). */
  readonly factors: Int32Array;
  /** Open positions (longs + shorts) per accounted date, decided at that close. */
  readonly positions: Int32Array;
  /** Stock legs traded per accounted date, in units of one position (an open or a close is 1, a flip 2). */
  readonly legTrades: Int32Array;
  /** Round trips of the positions (entry to exit, same-close convention; positions still open at the end are closed there, those opened on the last day left out). */
  readonly roundTrips: RoundTripStats;
}

/** One round trip: a position from its opening close to its closing close. */
export interface RoundTrip {
  readonly asset: number;
  /** +1 long, −1 short (of the stock's residual). */
  readonly side: number;
  readonly entryRow: number;
  readonly exitRow: number;
  /** P&L as a fraction of equity: the position's net stock weights (stock leg and entry hedge) times each day's returns, entry + 1 … exit, before costs. */
  readonly pnl: number;
}

/** Round-trip trade statistics. */
export interface RoundTripStats {
  readonly count: number;
  readonly winRate: number;
  readonly averageHoldingDays: number;
  readonly averagePnl: number;
  readonly trips: readonly RoundTrip[];
}

/** Result of {@link runAvellanedaLee}. */
export interface AvellanedaLeeStudy {
  readonly runs: readonly AvellanedaLeeRun[];
  /** First accounted row of the prices (the first date with a full correlation window). */
  readonly startRow: number;
  readonly params: Readonly<Record<string, unknown>>;
}

export const VARIANT_LABELS: Readonly<Record<AvellanedaLeeVariant, string>> = Object.freeze({
  "pca-15": "PCA, 15 eigenportfolios",
  "pca-55": "PCA, 55 % of variance",
  etf: "Sector portfolios (ETF variant)",
  "pca-15-library": "PCA, 15 eigenportfolios (library pcaResidualScores)",
});

const VARIANTS = ["pca-15", "pca-55", "etf", "pca-15-library"] as const;
const isVariants = (v: unknown): v is readonly AvellanedaLeeVariant[] => Array.isArray(v) && v.length > 0 && v.every((x) => (VARIANTS as readonly unknown[]).includes(x));
const isFills = (v: unknown): v is readonly ("close" | "next-close")[] => Array.isArray(v) && v.length > 0 && v.every((x) => x === "close" || x === "next-close");
const isLabels = (v: unknown): v is readonly string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const isRebalancer = (v: unknown): v is Rebalancer => typeof (v as Rebalancer)?.rebalance === "function";

function resolve(prices: Panel, options: AvellanedaLeeOptions | undefined) {
  const W = "runAvellanedaLee";
  if (!(prices instanceof Panel)) throw new TypeError(`${W}: prices must be a Panel of close prices`);
  const o = readOptions(W, options, {
    variants: opt.custom(`a non-empty array of ${VARIANTS.map((v) => `"${v}"`).join(", ")}`, () => ["pca-15", "pca-55", "etf"] as readonly AvellanedaLeeVariant[], isVariants, "range"),
    sectors: opt.optional(opt.custom("an array of sector labels, one per asset", () => [] as readonly string[], isLabels)),
    fillAt: opt.custom('a non-empty array of "close", "next-close"', () => ["close", "next-close"] as readonly ("close" | "next-close")[], isFills, "range"),
    costPerSide: opt.number(0.0005, { min: 0, max: 1 }),
    positionSize: opt.number(0.02, { min: 0, open: "min" }),
    correlationWindow: opt.integer(252, { min: 2 }),
    ouWindow: opt.integer(60, { min: 20 }),
    rebalancer: opt.optional(opt.custom("a Rebalancer (rebalance(current, target))", () => undefined as unknown as Rebalancer, isRebalancer)),
    minHoldingDays: opt.integer(0, { min: 0 }),
    hedge: opt.boolean(true),
    hedgeAt: opt.oneOf(["entry", "daily"], "entry"),
    overlay: opt.optional(opt.custom("a function returning an EntryOverlay (features, learn, accept)", () => undefined as unknown as () => EntryOverlay, (v): v is () => EntryOverlay => typeof v === "function")),
  });
  if (o.variants.includes("etf") && o.sectors?.length !== prices.nAssets) {
    throw new RangeError(`${W}: variant "etf" needs sectors, one label per asset (${prices.nAssets}), got ${o.sectors === undefined ? "none" : o.sectors.length}`);
  }
  if (prices.nDates <= o.correlationWindow + 1) throw new RangeError(`${W}: prices has ${prices.nDates} dates; the strategies need more than correlationWindow + 1 (${o.correlationWindow + 1})`);
  return o;
}

type Resolved = ReturnType<typeof resolve>;

/** One position book fed by one s-score source. */
interface Book {
  readonly variant: AvellanedaLeeVariant;
  readonly sOf: (t: number, row: ResidualRow) => Float64Array;
  readonly hold: MinimumHolding | null;
  pos: Float64Array;
  /** hedgeAt "entry": each open position's net stock weights (its stock leg and entry hedge), signed. */
  readonly legs: Map<number, Float64Array>;
  /** Open positions' entry row, side and P&L so far (same-close convention), for the round-trip statistics. */
  readonly open: Map<number, { entry: number; side: number; pnl: number }>;
  readonly trips: RoundTrip[];
  readonly targets: Float64Array[];
  readonly factors: Int32Array;
  readonly positions: Int32Array;
  readonly legTrades: Int32Array;
  /** The overlay this book consults before opening (the filtered book), or null. */
  readonly gate: EntryOverlay | null;
  /** The overlay this (unfiltered) book teaches: entry features recorded, closed trips labelled; or null. */
  readonly teacher: EntryOverlay | null;
  readonly entryFeatures: Map<number, Float64Array>;
  readonly labelled: LabelledTrip[];
}

/** Runs the paper's strategies on close prices (e.g. `loadDataset("sp500-2003-2007")`). */
export function runAvellanedaLee(prices: Panel, options?: AvellanedaLeeOptions): AvellanedaLeeStudy {
  const o = resolve(prices, options);
  const start = o.correlationWindow;
  const books = new Map<AvellanedaLeeVariant, Book>();
  const gated = new Map<AvellanedaLeeVariant, Book>();
  for (const v of o.variants) {
    const overlay = o.overlay?.();
    books.set(v, newBook(v, prices, o, start, null, overlay ?? null));
    if (overlay !== undefined) gated.set(v, newBook(v, prices, o, start, overlay, null));
  }
  const step = (v: AvellanedaLeeVariant, t: number, row: ResidualRow): void => {
    const b = books.get(v) as Book;
    stepBook(b, t, start, row, o, prices);
    const g = gated.get(v);
    if (g !== undefined) (teach(b, g.gate as EntryOverlay, t), stepBook(g, t, start, row, o, prices));
  };
  const pcaBooks = (["pca-15", "pca-55", "pca-15-library"] as const).filter((v) => books.has(v));
  if (pcaBooks.length > 0) {
    const engine = new ResidualSignals(prices, { factors: "pca", correlationWindow: o.correlationWindow, ouWindow: o.ouWindow });
    const wants55 = books.has("pca-55");
    const wants15 = books.has("pca-15") || books.has("pca-15-library");
    const specs = [...(wants15 ? [{ count: 15 }] : []), ...(wants55 ? [{ varianceExplained: 0.55 }] : [])];
    for (let t = start; t < prices.nDates; t++) {
      const rows = engine.atEach(t, specs);
      const r15 = wants15 ? rows[0] : undefined;
      const r55 = wants55 ? rows[rows.length - 1] : undefined;
      for (const v of pcaBooks) step(v, t, (v === "pca-55" ? r55 : r15) as ResidualRow);
    }
  }
  if (books.has("etf")) {
    const engine = new ResidualSignals(prices, { factors: "groups", groups: o.sectors, correlationWindow: o.correlationWindow, ouWindow: o.ouWindow });
    for (let t = start; t < prices.nDates; t++) step("etf", t, engine.at(t));
  }
  const runs: AvellanedaLeeRun[] = [];
  for (const set of [books, gated]) {
    for (const [v, b] of set) {
      const targets = new Panel(prices.dates, prices.assets, b.targets, { validate: false });
      const overlay = b.gate === null ? "none" : b.gate.name;
      const label = b.gate === null ? VARIANT_LABELS[v] : `${VARIANT_LABELS[v]} + ${overlay}`;
      for (const fillAt of o.fillAt) {
        const result = backtestWeights(prices, targets, { fillAt, costs: o.costPerSide, rebalancer: o.rebalancer, start: prices.dates[start] as number });
        runs.push(Object.freeze({ variant: v, label, fillAt, construction: describeRebalancer(o.rebalancer), overlay, result, targets, factors: b.factors, positions: b.positions, legTrades: b.legTrades, roundTrips: tripStats(b, prices.nDates - 1) }));
      }
    }
  }
  const { overlay: _overlay, ...plain } = o;
  const overlayName = gated.size > 0 ? { overlay: (runs[runs.length - 1] as AvellanedaLeeRun).overlay } : {};
  const params = { ...plain, ...overlayName, rebalancer: describeRebalancer(o.rebalancer), openThreshold: 1.25, closeLong: 0.5, closeShort: 0.75, kappaMin: 252 / 30 };
  return Object.freeze({ runs: Object.freeze(runs), startRow: start, params: Object.freeze(params) });
}

/** "none", or a rebalancer's name and parameters, e.g. "no-trade-band(band 0.002, tradeTo target)". */
export function describeRebalancer(r: Rebalancer | undefined): string {
  if (r === undefined) return "none";
  const p = Object.entries(r.params).map(([k, v]) => `${k} ${String(v)}`).join(", ");
  return `${r.name}(${p})`;
}

function newBook(v: AvellanedaLeeVariant, prices: Panel, o: Resolved, start: number, gate: EntryOverlay | null, teacher: EntryOverlay | null): Book {
  const n = prices.nAssets;
  const T = prices.nDates;
  let sOf = (_t: number, row: ResidualRow): Float64Array => row.s;
  if (v === "pca-15-library") {
    const lib = pcaResidualScores(prices, { factors: 15, correlationWindow: o.correlationWindow, ouWindow: o.ouWindow }).sScore;
    const s = new Float64Array(n);
    sOf = (t) => {
      for (let j = 0; j < n; j++) s[j] = (lib.columns[j] as Float64Array)[t] as number;
      return s;
    };
  }
  return {
    variant: v,
    sOf,
    hold: o.minHoldingDays > 1 ? new MinimumHolding({ days: o.minHoldingDays }) : null,
    pos: new Float64Array(n),
    legs: new Map(),
    open: new Map(),
    trips: [],
    targets: Array.from({ length: n }, () => new Float64Array(T).fill(Number.NaN)),
    factors: new Int32Array(T - start),
    positions: new Int32Array(T - start),
    legTrades: new Int32Array(T - start),
    gate,
    teacher,
    entryFeatures: new Map(),
    labelled: [],
  };
}

/** Hands the overlay the unfiltered book's trips closed before row t (each once). */
function teach(b: Book, overlay: EntryOverlay, t: number): void {
  let k = 0;
  while (k < b.labelled.length && (b.labelled[k] as LabelledTrip).exitRow < t) k++;
  overlay.learn(t, b.labelled.splice(0, k));
}

/** The overlay's veto: a filtered book's openings (flat → ±1) the overlay rejects stay flat. */
function gateOpenings(b: Book, t: number, proposed: Float64Array, s: Float64Array, row: ResidualRow): void {
  const g = b.gate as EntryOverlay;
  for (let j = 0; j < proposed.length; j++) {
    const p = proposed[j] as number;
    if (p === 0 || b.pos[j] !== 0) continue;
    if (!g.accept(t, g.features(t, j, p, s[j] as number, row.kappa[j] as number))) proposed[j] = 0;
  }
}

/** The rules at row t: positions from the s-scores, then the hedged target weights. */
function stepBook(b: Book, t: number, start: number, row: ResidualRow, o: Resolved, prices: Panel): void {
  accrue(b, t, prices, o.positionSize);
  const s = b.sOf(t, row);
  const proposed = avellanedaLeeStep(b.pos, s);
  if (b.gate !== null) gateOpenings(b, t, proposed, s, row);
  const before = b.pos;
  b.pos = b.hold === null ? proposed : b.hold.step(proposed);
  let open = 0;
  let traded = 0;
  for (let j = 0; j < b.pos.length; j++) (open += b.pos[j] !== 0 ? 1 : 0), (traded += Math.abs((b.pos[j] as number) - (before[j] as number)));
  b.legTrades[t - start] = traded;
  b.factors[t - start] = row.nFactors;
  b.positions[t - start] = open;
  const w = o.hedge && o.hedgeAt === "entry" ? entryHedged(b, before, row) : o.hedge ? row.hedged(b.pos) : b.pos;
  if (!(o.hedge && o.hedgeAt === "entry")) stockLegs(b, before);
  book(b, before, t);
  if (b.teacher !== null) recordEntries(b, before, t, s, row);
  for (let j = 0; j < w.length; j++) (b.targets[j] as Float64Array)[t] = o.positionSize * (w[j] as number);
}

/** hedgeAt "entry": legs of positions opened (or flipped) today are hedged with today's betas; the others keep theirs. */
function entryHedged(b: Book, before: Float64Array, row: ResidualRow): Float64Array {
  const n = b.pos.length;
  const unit = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const p = b.pos[j] as number;
    if (p === before[j]) continue;
    b.legs.delete(j);
    if (p === 0) continue;
    unit[j] = p;
    b.legs.set(j, row.hedged(unit));
    unit[j] = 0;
  }
  const w = new Float64Array(n);
  for (const leg of b.legs.values()) for (let j = 0; j < n; j++) w[j] = (w[j] as number) + (leg[j] as number);
  return w;
}

/** hedgeAt "daily" or no hedge: the round trips account the stock leg only. */
function stockLegs(b: Book, before: Float64Array): void {
  for (let j = 0; j < b.pos.length; j++) {
    const p = b.pos[j] as number;
    if (p === before[j]) continue;
    b.legs.delete(j);
    if (p === 0) continue;
    const leg = new Float64Array(b.pos.length);
    leg[j] = p;
    b.legs.set(j, leg);
  }
}

/** Adds day t's return of each open position's legs (opened before t) to its P&L. */
function accrue(b: Book, t: number, prices: Panel, size: number): void {
  if (b.open.size === 0) return;
  const r = new Float64Array(prices.nAssets);
  for (let j = 0; j < r.length; j++) {
    const c = prices.columns[j] as Float64Array;
    const x = (c[t] as number) / (c[t - 1] as number) - 1;
    r[j] = Number.isFinite(x) ? x : 0;
  }
  for (const [j, tr] of b.open) {
    const leg = b.legs.get(j);
    if (leg === undefined) continue;
    let d = 0;
    for (let a = 0; a < r.length; a++) d += (leg[a] as number) * (r[a] as number);
    tr.pnl += size * d;
  }
}

/** The unfiltered book's openings at t: their features, kept until the trip closes and is labelled. */
function recordEntries(b: Book, before: Float64Array, t: number, s: Float64Array, row: ResidualRow): void {
  const g = b.teacher as EntryOverlay;
  for (let j = 0; j < b.pos.length; j++) {
    const p = b.pos[j] as number;
    if (p === before[j] || p === 0) continue;
    b.entryFeatures.set(j, g.features(t, j, p, s[j] as number, row.kappa[j] as number));
  }
}

/** Closes the round trips of positions that changed at t and opens the new ones. */
function book(b: Book, before: Float64Array, t: number): void {
  for (let j = 0; j < b.pos.length; j++) {
    const p = b.pos[j] as number;
    if (p === before[j]) continue;
    const tr = b.open.get(j);
    if (tr !== undefined) {
      b.trips.push(Object.freeze({ asset: j, side: tr.side, entryRow: tr.entry, exitRow: t, pnl: tr.pnl }));
      b.open.delete(j);
      const features = b.entryFeatures.get(j);
      if (features !== undefined) (b.labelled.push({ features, pnl: tr.pnl, entryRow: tr.entry, exitRow: t }), b.entryFeatures.delete(j));
    }
    if (p !== 0) b.open.set(j, { entry: t, side: p, pnl: 0 });
  }
}

function tripStats(b: Book, last: number): RoundTripStats {
  const trips = [...b.trips, ...[...b.open].filter(([, tr]) => tr.entry < last).map(([j, tr]) => Object.freeze({ asset: j, side: tr.side, entryRow: tr.entry, exitRow: last, pnl: tr.pnl }))];
  let wins = 0;
  let days = 0;
  let pnl = 0;
  for (const x of trips) (wins += x.pnl > 0 ? 1 : 0), (days += x.exitRow - x.entryRow), (pnl += x.pnl);
  const n = trips.length;
  return Object.freeze({ count: n, winRate: n ? wins / n : Number.NaN, averageHoldingDays: n ? days / n : Number.NaN, averagePnl: n ? pnl / n : Number.NaN, trips: Object.freeze(trips) });
}
