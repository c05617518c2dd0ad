/**
 * `RiskManager`: applied to every target book (weights = position value / equity) before orders
 * are formed. It clips or scales and records each intervention with its date, rule, the measure
 * before and after, and the reason.
 *
 * Rules run in a fixed order so that a later rule can never break an earlier one:
 *   1. maxDrawdown — when equity is more than `maxDrawdown` below its running peak, the book is
 *      flattened (trading halts: a flat book cannot recover, which is the point of a stop-out);
 *   2. maxPosition — each |wᵢ| clipped to the limit;
 *   3. maxSector — a sector whose net |Σ wᵢ| exceeds the limit has its weights scaled down;
 *   4. maxNet, 5. maxLeverage (Σ|wᵢ|), 6. maxGross (Σ|wᵢ|·equity, currency),
 *   7. varLimit (one-day VaR of the book on its trailing returns, fraction of equity) —
 *      each a uniform scaling by c ≤ 1, which keeps rules 2–6 satisfied.
 */
import { checkKeys, describeValue, fromEpochDay } from "../data/index.js";
import { gaussianLoss, historicalTail, meanSd } from "./var.js";

/** The rules a `RiskManager` can apply. */
export type RiskRule = "maxDrawdown" | "maxPosition" | "maxSector" | "maxNet" | "maxLeverage" | "maxGross" | "varLimit";

/** One intervention of the risk manager. */
export interface RiskIntervention {
  /** ISO date of the decision. */
  readonly date: string;
  readonly rule: RiskRule;
  /** The rule's measure before (e.g. leverage 3.4, the largest |w|, the drawdown). */
  readonly before: number;
  /** The same measure after. */
  readonly after: number;
  readonly reason: string;
}

/** Options of {@link RiskManager}; an option left out is not enforced. */
export interface RiskManagerOptions {
  /** Σ|wᵢ| ≤ maxLeverage (gross exposure over equity; default: none). */
  maxLeverage?: number;
  /** Σ|wᵢ|·equity ≤ maxGross, in currency (default: none). */
  maxGross?: number;
  /** |Σwᵢ| ≤ maxNet (default: none). */
  maxNet?: number;
  /** |wᵢ| ≤ maxPosition for every asset (default: none). */
  maxPosition?: number;
  /** |Σ_{i∈s} wᵢ| ≤ maxSector for every sector s (needs `sectors`; default: none). */
  maxSector?: number;
  /** Asset → sector (default: none; assets missing from it form the sector "unknown"). */
  sectors?: Readonly<Record<string, string>>;
  /** Flatten when equity/peak − 1 < −maxDrawdown (a positive fraction; default: none). */
  maxDrawdown?: number;
  /** One-day VaR of the book ≤ varLimit, as a fraction of equity (default: none). */
  varLimit?: number;
  /** VaR confidence level (default 0.99). */
  confidence?: number;
  /** VaR method for `varLimit` (default "historical"). */
  varMethod?: "historical" | "gaussian";
  /** Trailing days of returns for the VaR rule (default 252). */
  varLookback?: number;
}

/** What the risk manager knows at a decision. */
export interface RiskContext {
  /** Decision date, epoch day. */
  date: number;
  assets: readonly string[];
  /** Equity now (currency). */
  equity: number;
  /** Highest equity so far (currency). */
  peakEquity: number;
  /** Asset return columns (for `varLimit`); rows up to and including `row` may be read. */
  returns?: readonly Float64Array[];
  row?: number;
  /** Where interventions go (default: the manager's own log). */
  log?: RiskIntervention[];
}

const NUMERIC_OPTIONS = ["maxLeverage", "maxGross", "maxNet", "maxPosition", "maxSector", "maxDrawdown", "varLimit"] as const;
const OPTION_KEYS = [...NUMERIC_OPTIONS, "sectors", "confidence", "varMethod", "varLookback"] as const;

export class RiskManager {
  readonly options: Readonly<RiskManagerOptions>;
  readonly confidence: number;
  readonly varLookback: number;
  readonly varMethod: "historical" | "gaussian";
  readonly #log: RiskIntervention[] = [];
  #sectorIndexCache: { assets: readonly string[]; ids: Int32Array; names: string[] } | undefined;
  readonly #recorder = new Recorder();

  constructor(options: RiskManagerOptions = {}) {
    const given = checkKeys("RiskManager", options, OPTION_KEYS);
    options = Object.fromEntries(given) as RiskManagerOptions;
    for (const k of NUMERIC_OPTIONS) {
      const v = options[k];
      if (v !== undefined && !(typeof v === "number" && v >= 0 && !Number.isNaN(v))) {
        throw new RangeError(`RiskManager: option ${k} must be a number ≥ 0, got ${String(v)}`);
      }
    }
    if (options.maxDrawdown !== undefined && options.maxDrawdown > 1) {
      throw new RangeError(`RiskManager: option maxDrawdown is a positive fraction in [0, 1] (0.2 = 20%), got ${options.maxDrawdown}`);
    }
    this.confidence = options.confidence ?? 0.99;
    if (!(this.confidence > 0.5 && this.confidence < 1)) throw new RangeError(`RiskManager: option confidence must be in (0.5, 1), got ${this.confidence}`);
    this.varLookback = options.varLookback ?? 252;
    if (!Number.isInteger(this.varLookback) || this.varLookback < 20) throw new RangeError(`RiskManager: option varLookback must be an integer ≥ 20, got ${this.varLookback}`);
    this.varMethod = options.varMethod ?? "historical";
    if (this.varMethod !== "historical" && this.varMethod !== "gaussian") {
      throw new TypeError(`RiskManager: option varMethod must be "historical" or "gaussian", got ${JSON.stringify(this.varMethod)}`);
    }
    if (options.maxSector !== undefined && options.sectors === undefined) throw new TypeError("RiskManager: option maxSector needs option sectors (asset → sector)");
    this.options = Object.freeze({ ...options });
  }

  /** Interventions logged when `apply` was called without `context.log`. */
  get interventions(): readonly RiskIntervention[] {
    return this.#log;
  }

  /**
   * Returns the risk-managed weights (a new array; `weights` is not changed). NaN weights count as 0
   * (NaN is the one marker for "no weight"). The rules run in the order of the module doc; each one
   * that acts records an intervention.
   *
   * Bad input is refused before anything is logged (a TypeError or RangeError naming the argument):
   * `weights` not a Float64Array, or not one weight per asset of `context.assets`, or ±Infinity;
   * a `context` whose date is not an epoch day, whose equity or peak equity is not finite, or whose
   * `returns`/`row` (for `varLimit`) do not match the assets.
   */
  apply(weights: Float64Array, context: RiskContext): Float64Array {
    checkApplyInput(weights, context, A);
    const w = new Float64Array(weights.length);
    this.#applyChecked(weights, context, w, A);
    return w;
  }

  /**
   * `apply` writing into a caller's buffer: the risk-managed weights go into `out` (a Float64Array
   * of one weight per asset; it may be `weights` itself) and `out` is returned. The same rules, the
   * same interventions and the same input checks as `apply` (errors name `RiskManager.applyInto`),
   * plus `out`'s; nothing is allocated on a day no rule acts (for loops that call it every day).
   * A ±Infinity weight is refused after `out` may have been partly written (nothing is logged).
   */
  applyInto(weights: Float64Array, context: RiskContext, out: Float64Array): Float64Array {
    checkApplyInput(weights, context, AI);
    if (!(out instanceof Float64Array) || out.length !== weights.length) {
      throw new TypeError(`${AI}: out must be a Float64Array of ${weights.length} weights (one per asset of context.assets), got ${describeValue(out)}`);
    }
    this.#applyChecked(weights, context, out, AI);
    return out;
  }

  /** `apply` after its checks: writes the managed weights into `w` (the rules of the module doc, in order). */
  #applyChecked(weights: Float64Array, context: RiskContext, w: Float64Array, where: string): void {
    const o = this.options;
    const n = weights.length;
    for (let i = 0; i < n; i++) {
      const v = weights[i]!;
      // ±Infinity is refused here, in the one pass over the weights (nothing has been logged yet)
      if (v - v !== 0 && v === v) throw new RangeError(`${where}: weights[${i}] (${String(context.assets[i])}) is ${v}; weights must be finite (NaN marks no weight)`);
      w[i] = v === v ? v : 0;
    }
    const record = this.#recorder.reset(context.log ?? this.#log, context.date);
    if (o.maxDrawdown !== undefined && context.peakEquity > 0) {
      const dd = context.equity / context.peakEquity - 1;
      if (dd < -o.maxDrawdown) {
        stopOut(w, dd, o.maxDrawdown, record);
        return;
      }
    }
    if (o.maxPosition !== undefined) clipPositions(w, o.maxPosition, context.assets, record);
    if (o.maxSector !== undefined && o.sectors !== undefined) limitSectors(w, o.maxSector, this.#sectorIds(context.assets), record);
    if (o.maxNet !== undefined) limitNet(w, o.maxNet, record);
    if (o.maxLeverage !== undefined) limitLeverage(w, o.maxLeverage, record);
    if (o.maxGross !== undefined && context.equity > 0) limitGross(w, o.maxGross, context.equity, record);
    if (o.varLimit !== undefined && context.returns !== undefined && context.row !== undefined) {
      const v = this.bookVaR(w, context.returns, context.row);
      if (v > o.varLimit) {
        const c = o.varLimit / v;
        scale(w, c);
        record.push("varLimit", v, v * c, `${this.varMethod} ${(this.confidence * 100).toFixed(1)}% one-day VaR ${(v * 100).toFixed(3)}% of equity > ${(o.varLimit * 100).toFixed(3)}%: book scaled by ${c.toFixed(4)}`);
      }
    }
  }

  /**
   * One-day VaR (positive loss, fraction of equity) of weights `w` on the trailing `varLookback`
   * rows of `returns` ending at `row` inclusive; a NaN asset return counts as 0. NaN when fewer
   * than 20 rows are available.
   */
  bookVaR(w: Float64Array, returns: readonly Float64Array[], row: number): number {
    const start = Math.max(0, row - this.varLookback + 1);
    const m = row - start + 1;
    if (m < 20) return Number.NaN;
    const rp = new Float64Array(m);
    for (let j = 0; j < w.length; j++) {
      const wj = w[j]!;
      if (wj === 0) continue;
      const col = returns[j]!;
      for (let t = 0; t < m; t++) {
        const r = col[start + t]!;
        if (r === r) rp[t] = rp[t]! + wj * r;
      }
    }
    const alpha = 1 - this.confidence;
    if (this.varMethod === "gaussian") {
      const { mu, sd } = meanSd(rp);
      return gaussianLoss(mu, sd, alpha);
    }
    return historicalTail(rp, alpha, false).varLoss;
  }

  #sectorIds(assets: readonly string[]): { ids: Int32Array; names: string[] } {
    const cache = this.#sectorIndexCache;
    if (cache !== undefined && cache.assets === assets) return cache;
    const sectors = this.options.sectors ?? {};
    const names: string[] = [];
    const index = new Map<string, number>();
    const ids = new Int32Array(assets.length);
    assets.forEach((a, i) => {
      const s = sectors[a] ?? "unknown";
      let k = index.get(s);
      if (k === undefined) {
        k = names.length;
        names.push(s);
        index.set(s, k);
      }
      ids[i] = k;
    });
    this.#sectorIndexCache = { assets, ids, names };
    return this.#sectorIndexCache;
  }
}

const A = "RiskManager.apply";
const AI = "RiskManager.applyInto";

/** Checks `apply`'s arguments (errors name the argument, the value and what is allowed); ±Infinity weights are refused by `apply`'s copy loop. */
function checkApplyInput(weights: unknown, context: unknown, A: string): void {
  if (context === null || typeof context !== "object") throw new TypeError(`${A}: context must be an object { date, assets, equity, peakEquity, … }, got ${describeValue(context)}`);
  const c = context as Partial<RiskContext>;
  const assets = c.assets;
  if (!Array.isArray(assets)) throw new TypeError(`${A}: context.assets must be an array of asset names (one per weight), got ${describeValue(assets)}`);
  if (!(weights instanceof Float64Array)) throw new TypeError(`${A}: weights must be a Float64Array of ${assets.length} weights (one per asset of context.assets), got ${describeValue(weights)}`);
  if (weights.length !== assets.length) {
    throw new RangeError(`${A}: weights has ${weights.length} entries but context.assets has ${assets.length} assets; give one weight per asset (NaN for no weight)`);
  }
  if (!Number.isInteger(c.date)) throw new TypeError(`${A}: context.date must be an epoch day (an integer), got ${describeValue(c.date)}`);
  for (const key of ["equity", "peakEquity"] as const) {
    const v = c[key];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`${A}: context.${key} must be a finite number (currency), got ${describeValue(v)}`);
  }
  if (c.log !== undefined && !Array.isArray(c.log)) throw new TypeError(`${A}: context.log must be an array, got ${describeValue(c.log)}`);
  if (c.returns === undefined && c.row === undefined) return;
  const returns = c.returns;
  if (!Array.isArray(returns) || returns.length !== assets.length || !returns.every((r) => r instanceof Float64Array)) {
    throw new RangeError(`${A}: context.returns must be ${assets.length} Float64Array return columns (one per asset), got ${Array.isArray(returns) ? `an array of ${returns.length}` : describeValue(returns)}`);
  }
  const rows = (returns[0] as Float64Array | undefined)?.length ?? 0;
  if (!Number.isInteger(c.row) || (c.row as number) < 0 || (c.row as number) >= rows) {
    throw new RangeError(`${A}: context.row must be an integer row of context.returns in [0, ${rows - 1}], got ${describeValue(c.row)}`);
  }
}

export function riskManager(options?: RiskManagerOptions): RiskManager {
  return new RiskManager(options);
}

function gross(w: Float64Array): number {
  let g = 0;
  for (let i = 0; i < w.length; i++) g += Math.abs(w[i]!);
  return g;
}

function scale(w: Float64Array, c: number): void {
  for (let i = 0; i < w.length; i++) w[i] = w[i]! * c;
}

/** Logs one intervention of the current call; one per manager, reset at each call (no per-call closure). */
class Recorder {
  #log: RiskIntervention[] = [];
  #day = 0;
  #date: string | undefined;

  reset(log: RiskIntervention[], day: number): this {
    this.#log = log;
    this.#day = day;
    this.#date = undefined;
    return this;
  }

  push(rule: RiskRule, before: number, after: number, reason: string): void {
    this.#date ??= fromEpochDay(this.#day);
    this.#log.push(Object.freeze({ date: this.#date, rule, before, after, reason }));
  }
}

/** Rule 1: flatten the book (a drawdown beyond the stop). */
function stopOut(w: Float64Array, dd: number, maxDrawdown: number, record: Recorder): void {
  const g = gross(w);
  if (g === 0) return;
  w.fill(0);
  record.push("maxDrawdown", dd, dd, `drawdown ${(dd * 100).toFixed(2)}% beyond −${(maxDrawdown * 100).toFixed(2)}%: book flattened (gross ${g.toFixed(4)} → 0)`);
}

/** Rule 2: clip each |wᵢ| to the limit. */
function clipPositions(w: Float64Array, lim: number, assets: readonly string[], record: Recorder): void {
  let clipped = 0;
  let largest = 0;
  let largestAsset = -1;
  for (let i = 0; i < w.length; i++) {
    const a = Math.abs(w[i]!);
    if (a > lim) {
      if (a > largest) {
        largest = a;
        largestAsset = i;
      }
      w[i] = Math.sign(w[i]!) * lim;
      clipped++;
    }
  }
  if (clipped > 0) record.push("maxPosition", largest, lim, `${clipped} position(s) clipped to ±${lim}; largest ${assets[largestAsset] ?? largestAsset} at ${largest.toFixed(4)}`);
}

/** Rule 3: scale down each sector whose net |Σ wᵢ| exceeds the limit. */
function limitSectors(w: Float64Array, lim: number, sectors: { ids: Int32Array; names: string[] }, record: Recorder): void {
  const { ids, names } = sectors;
  const net = new Float64Array(names.length);
  for (let i = 0; i < w.length; i++) net[ids[i]!] = net[ids[i]!]! + w[i]!;
  for (let s = 0; s < names.length; s++) {
    const a = Math.abs(net[s]!);
    if (a > lim) {
      const c = lim / a;
      for (let i = 0; i < w.length; i++) if (ids[i] === s) w[i] = w[i]! * c;
      record.push("maxSector", a, lim, `sector ${names[s]} net exposure ${a.toFixed(4)} > ${lim}: its positions scaled by ${c.toFixed(4)}`);
    }
  }
}

/** Rule 4: scale the book so |Σ wᵢ| ≤ the limit. */
function limitNet(w: Float64Array, lim: number, record: Recorder): void {
  let net = 0;
  for (let i = 0; i < w.length; i++) net += w[i]!;
  if (Math.abs(net) > lim) {
    const c = lim / Math.abs(net);
    scale(w, c);
    record.push("maxNet", net, net * c, `net exposure ${net.toFixed(4)} beyond ±${lim}: book scaled by ${c.toFixed(4)}`);
  }
}

/** Rule 5: scale the book so Σ|wᵢ| ≤ the limit. */
function limitLeverage(w: Float64Array, lim: number, record: Recorder): void {
  const g = gross(w);
  if (g > lim) {
    const c = lim / g;
    scale(w, c);
    record.push("maxLeverage", g, lim, `leverage ${g.toFixed(4)} > ${lim}: book scaled by ${c.toFixed(4)}`);
  }
}

/** Rule 6: scale the book so Σ|wᵢ|·equity ≤ the limit (currency). */
function limitGross(w: Float64Array, lim: number, equity: number, record: Recorder): void {
  const g = gross(w) * equity;
  if (g > lim) {
    const c = lim / g;
    scale(w, c);
    record.push("maxGross", g, lim, `gross notional ${g.toFixed(0)} > ${lim}: book scaled by ${c.toFixed(4)}`);
  }
}
