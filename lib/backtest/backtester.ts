/**
 * `StatArbBacktester`: a daily event loop over a price panel with cash, share positions, costs,
 * borrow, the risk manager and PnL accounting.
 *
 * Timing (no look-ahead): on each rebalance day t, after the close, the model sees only rows ≤ t
 * (a view that ends at t) and returns scores; they become target weights, the risk manager
 * scales/clips them, and the targets are traded at the NEXT day's close (`fillAt: "next-close"`,
 * the default; a market-on-close order sent after seeing the close of t can only reach the close
 * of t+1). `fillAt: "close"` trades at the close of t itself (costs still apply) — it assumes the
 * decision can be made in the closing auction and is optimistic; use it knowingly.
 * Every fill is at a close, which lies in that day's range by definition.
 *
 * Sizing: a target weight wᵢ becomes trunc(wᵢ·E/Pᵢ) shares at the fill, with E the equity marked
 * at that close before trading (a notional market-on-close order), so a filled position's weight
 * never exceeds the risk-managed target's. Whole shares unless `fractionalShares`.
 *
 * Accounting, day t (P the close, q shares held into t, c costs and b borrow charged on t):
 *   PnL_t = Σᵢ qᵢ·(Pᵢ,t − Pᵢ,t−1) − c_t − b_t,  E_t = cash_t + Σᵢ qᵢ,t·Pᵢ,t,
 *   b_t = borrowCost/252 · Σ_{qᵢ<0} |qᵢ|·Pᵢ,t−1 (annual rate on the short notional held overnight).
 * A missing price carries the last one forward (the position is marked flat that day, not traded).
 *
 * Impact inputs: σᵢ = standard deviation of the last `volWindow` daily returns (to t−1);
 * ADVᵢ = mean of the last `advWindow` volumes (to t−1) when volume is given. Without volume the
 * impact models use their documented dollar-ADV assumption (`assumedAdvNotional`, default
 * $500M/day), which `BacktestResult.assumptions` states.
 *
 * The clock and the venue are passed in or created per instance; nothing is module-level, so many
 * backtests can run in one kernel process.
 */
import { type DateLike, fromEpochDay, Panel, toEpochDay } from "../data/index.js";
import { AlmgrenImpact, BpsCommission, type CostKind, type CostModel, SimulatedVenue, SquareRootImpact, TestClock, VolumeParticipationCap } from "../execution/index.js";
import type { RiskIntervention, RiskManager } from "../risk/index.js";
import { backtestDisplay } from "./display.js";
import { type BuiltinConstructionOptions, checkConstruction, scoresToWeights } from "./construct.js";
import { type BacktestMetrics, computeMetrics } from "./metrics.js";
import { TradeLog, type TradeTable } from "./trade-log.js";
import { type AlphaModelLike, makeView } from "./view.js";

/** Price data: a close panel, or a bundle holding one (and optionally volume/high/low). */
export type MarketDataInput = Panel | { readonly [key: string]: unknown };

/** Options of {@link StatArbBacktester}. */
export interface StatArbBacktesterOptions {
  /** Close prices (a Panel), or a dataset bundle with `close`/`prices` (and `volume`, `high`, `low`). */
  data: MarketDataInput;
  /** First trading day (default: the data's first date). Earlier rows are history the model may read. */
  startDate?: DateLike;
  /** Last day (default: the data's last date). */
  endDate?: DateLike;
  /** Starting cash (default 1,000,000). */
  initialCapital?: number;
  /** A fraction of traded notional (0.0015 = 15 bps, booked as "commission") or cost models (default 0). */
  transactionCosts?: number | readonly CostModel[];
  /** Market impact (default "none"): "sqrt" = SquareRootImpact (η = 1), "almgren" = AlmgrenImpact, or a model. */
  marketImpactModel?: "none" | "sqrt" | "almgren" | CostModel;
  /** Annual borrow rate on short notional (default 0). */
  borrowCost?: number;
  /** Benchmark: a Panel of PRICES (first column, aligned by date, e.g. skfolio-sp500-index) or daily returns aligned with `data` rows (default: the equal-weighted universe). */
  benchmark?: Panel | Float64Array;
  /** Volume panel (shares) when `data` is a plain Panel (default: from the bundle, else none). */
  volume?: Panel;
  /** Largest fraction of a day's volume one asset's trade may take (default 0.1; used only with volume; `null` = no cap). */
  maxParticipation?: number | null;
  /** When the targets are traded (default "next-close"). */
  fillAt?: "next-close" | "close";
  /** Allow fractional shares (default false: whole shares, truncated toward zero). */
  fractionalShares?: boolean;
  /** Skip trades smaller than this fraction of equity (default 0). A skipped trade may leave a position up to this much above a risk limit. */
  minTradeFraction?: number;
  /** Window of the σ estimate for impact (default 20). */
  volWindow?: number;
  /** Window of the ADV estimate (default 20). */
  advWindow?: number;
  /** A venue whose cost models and participation cap replace transactionCosts/marketImpactModel/maxParticipation (default: built from those options). */
  venue?: SimulatedVenue;
}

/** What to trade. Give `alphaModel` or `scores`. */
export interface RunBacktestOptions {
  /** A model with fit(view) and predict(view, at) (lib/signals' AlphaModel). */
  alphaModel?: AlphaModelLike;
  /** Precomputed scores, a Panel on the data's dates and assets: the row of date t must use data ≤ t only. */
  scores?: Panel;
  /** Applied to every target book (default: none). */
  riskManager?: RiskManager;
  /** Default "daily". Weekly = first trading day of each ISO week, monthly = of each month. */
  rebalanceFrequency?: "daily" | "weekly" | "monthly";
  /** Refit the model every this many trading days (default 21 ≈ monthly); predictions are made at each rebalance. */
  retrainEvery?: number;
  /** Scores → weights: options of the built-in dollar-neutral construction, or a function (default { method: "rank", gross: 1 }). */
  portfolio?: BuiltinConstructionOptions | ((scores: Float64Array, context: { date: number; row: number; assets: readonly string[] }) => Float64Array);
  /** The run's clock, advanced to each date's epoch day (default: a new TestClock per run). */
  clock?: TestClock;
  /** Called after each model fit with (day, days in the backtest, fits so far) (default: none). */
  onProgress?: (day: number, days: number, fits: number) => void;
}

/** Transaction costs and borrow, currency. */
export interface CostBreakdown {
  readonly commission: number;
  readonly spread: number;
  readonly impact: number;
  readonly borrow: number;
  readonly total: number;
}

/** The result of a backtest; the metrics are also its top-level fields (`result.sharpeRatio`). */
export interface BacktestResult extends BacktestMetrics {
  /** Trading dates (epoch days) of the backtest window. */
  readonly dates: Int32Array;
  readonly assets: readonly string[];
  /** Equity at each close (after that day's trades). */
  readonly equityCurve: Float64Array;
  /** Daily simple returns of equity (the first day's relative to the initial capital). */
  readonly returns: Float64Array;
  /** Daily returns with that day's costs and borrow added back (same trades; the cost drag is returns − this). */
  readonly returnsBeforeCosts: Float64Array;
  /** Benchmark daily returns on the same dates. */
  readonly benchmarkReturns: Float64Array;
  /** Cash at each close. */
  readonly cash: Float64Array;
  /** Shares held at each close (dates × assets). */
  readonly positions: Panel;
  /** Σ|traded notional| / equity before trading, per day. */
  readonly turnover: Float64Array;
  /** Mean daily turnover. */
  readonly averageTurnover: number;
  /** Σ|position value| / equity at each close. */
  readonly grossLeverage: Float64Array;
  /** Σ position value / equity at each close. */
  readonly netLeverage: Float64Array;
  readonly trades: TradeTable;
  readonly costs: CostBreakdown;
  /** Costs charged each day (currency, all kinds incl. borrow). */
  readonly dailyCosts: Float64Array;
  readonly interventions: readonly RiskIntervention[];
  readonly metrics: BacktestMetrics;
  readonly initialCapital: number;
  /** Assumptions the numbers rest on, in words (fill timing, ADV, costs). */
  readonly assumptions: readonly string[];
  /** Model fits performed. */
  readonly fits: number;
}

interface MarketData {
  close: Panel;
  volume: Panel | undefined;
}

function resolveData(data: MarketDataInput, volume: Panel | undefined): MarketData {
  if (data instanceof Panel) return { close: data, volume };
  if (data === null || typeof data !== "object") throw new TypeError("StatArbBacktester: option data must be a Panel of close prices or a dataset bundle holding one");
  const pick = (...keys: string[]): Panel | undefined => {
    for (const k of keys) {
      const v = (data as Record<string, unknown>)[k];
      if (v instanceof Panel) return v;
    }
    return undefined;
  };
  const close = pick("close", "prices", "adjClose", "panel");
  if (close === undefined) {
    throw new TypeError(`StatArbBacktester: option data is a bundle without a close/prices Panel (keys: ${Object.keys(data).join(", ")}); pass the price Panel itself`);
  }
  return { close, volume: volume ?? pick("volume") };
}

export class StatArbBacktester {
  readonly close: Panel;
  readonly volume: Panel | undefined;
  readonly startRow: number;
  readonly endRow: number;
  readonly initialCapital: number;
  readonly costModels: readonly CostModel[];
  readonly borrowCost: number;
  readonly fillAt: "next-close" | "close";
  readonly fractionalShares: boolean;
  readonly minTradeFraction: number;
  readonly volWindow: number;
  readonly advWindow: number;
  readonly participation: VolumeParticipationCap | null;
  readonly venue: SimulatedVenue;
  readonly #benchmark: Panel | Float64Array | undefined;
  readonly #assumptions: string[] = [];

  constructor(options: StatArbBacktesterOptions) {
    if (options === undefined || options.data === undefined) throw new TypeError("StatArbBacktester: option data is required (a Panel of close prices)");
    const { close, volume } = resolveData(options.data, options.volume);
    if (close.nDates < 2) throw new RangeError(`StatArbBacktester: data has ${close.nDates} dates; need at least 2`);
    if (volume !== undefined && (volume.nDates !== close.nDates || volume.nAssets !== close.nAssets)) {
      throw new RangeError(`StatArbBacktester: volume is ${volume.nDates} × ${volume.nAssets} but prices are ${close.nDates} × ${close.nAssets}; align them`);
    }
    this.close = close;
    this.volume = volume;
    this.startRow = options.startDate === undefined ? 0 : close.dateIndex(options.startDate);
    this.endRow = options.endDate === undefined ? close.nDates - 1 : close.dateIndex(toEpochDay(options.endDate) + 1) - 1;
    if (this.startRow >= close.nDates) throw new RangeError(`StatArbBacktester: startDate ${String(options.startDate)} is after the data's last date ${fromEpochDay(close.dates[close.nDates - 1] as number)}`);
    if (this.endRow <= this.startRow) throw new RangeError(`StatArbBacktester: endDate ${String(options.endDate)} leaves no trading days after startDate ${String(options.startDate)}`);
    this.initialCapital = options.initialCapital ?? 1_000_000;
    if (!(this.initialCapital > 0 && Number.isFinite(this.initialCapital))) throw new RangeError(`StatArbBacktester: option initialCapital must be a finite number > 0, got ${this.initialCapital}`);

    const models: CostModel[] = [];
    const tc = options.venue !== undefined ? [...options.venue.costs] : (options.transactionCosts ?? 0);
    if (options.venue !== undefined && (options.transactionCosts !== undefined || options.marketImpactModel !== undefined)) {
      throw new TypeError("StatArbBacktester: give either option venue or options transactionCosts/marketImpactModel, not both");
    }
    if (typeof tc === "number") {
      if (!(tc >= 0 && tc < 0.1)) throw new RangeError(`StatArbBacktester: option transactionCosts is a fraction of traded notional in [0, 0.1) (0.0015 = 15 bps), got ${tc}`);
      if (tc > 0) models.push(new BpsCommission({ rate: tc }));
      this.#assumptions.push(`transaction costs: ${(tc * 1e4).toFixed(2)} bps of traded notional`);
    } else if (Array.isArray(tc)) {
      models.push(...tc);
      this.#assumptions.push(`transaction costs: ${tc.map((m) => m.name).join(" + ") || "none"}`);
    } else throw new TypeError("StatArbBacktester: option transactionCosts must be a number (fraction of notional) or an array of cost models");
    const mi = options.marketImpactModel ?? "none";
    if (mi === "sqrt") models.push(new SquareRootImpact());
    else if (mi === "almgren") models.push(new AlmgrenImpact());
    else if (typeof mi === "object" && mi !== null && typeof mi.cost === "function") models.push(mi);
    else if (mi !== "none") throw new TypeError(`StatArbBacktester: option marketImpactModel must be "none", "sqrt", "almgren" or a cost model, got ${JSON.stringify(mi)}`);
    this.costModels = Object.freeze(models);
    for (const m of models) {
      if (m.kind === "impact") {
        const adv = (m as { assumedAdvNotional?: number }).assumedAdvNotional;
        this.#assumptions.push(
          `impact: ${m.name}` +
            (volume === undefined ? `; no volume data, so ADV = $${((adv ?? Number.NaN) / 1e6).toFixed(0)}M/day per asset assumed` : `; ADV = mean volume of the last ${options.advWindow ?? 20} days`),
        );
      }
    }

    this.borrowCost = options.borrowCost ?? 0;
    if (!(this.borrowCost >= 0 && this.borrowCost < 1)) throw new RangeError(`StatArbBacktester: option borrowCost is an annual rate in [0, 1), got ${this.borrowCost}`);
    this.#assumptions.push(`borrow: ${(this.borrowCost * 100).toFixed(2)}% a year on short notional`);
    this.fillAt = options.fillAt ?? "next-close";
    if (this.fillAt !== "next-close" && this.fillAt !== "close") throw new TypeError(`StatArbBacktester: option fillAt must be "next-close" or "close", got ${JSON.stringify(this.fillAt)}`);
    this.#assumptions.push(this.fillAt === "next-close" ? "fills: targets decided after the close of t trade at the close of t+1" : "fills: targets decided at the close of t trade at that same close (optimistic)");
    this.fractionalShares = options.fractionalShares ?? false;
    this.minTradeFraction = options.minTradeFraction ?? 0;
    if (!(this.minTradeFraction >= 0)) throw new RangeError(`StatArbBacktester: option minTradeFraction must be ≥ 0, got ${this.minTradeFraction}`);
    this.volWindow = options.volWindow ?? 20;
    this.advWindow = options.advWindow ?? 20;
    for (const [k, v] of [["volWindow", this.volWindow], ["advWindow", this.advWindow]] as const) {
      if (!Number.isInteger(v) || v < 2) throw new RangeError(`StatArbBacktester: option ${k} must be an integer ≥ 2, got ${v}`);
    }
    const mp = options.maxParticipation === undefined ? 0.1 : options.maxParticipation;
    this.participation = volume === undefined ? null : options.venue !== undefined ? options.venue.participation : mp === null ? null : new VolumeParticipationCap({ maxParticipation: mp });
    if (this.participation) this.#assumptions.push(`participation: at most ${(this.participation.maxParticipation * 100).toFixed(1)}% of a day's volume per asset; the rest fills on later days`);
    this.venue = options.venue ?? new SimulatedVenue({ costs: models, participation: this.participation });
    this.#benchmark = options.benchmark;
  }

  /** Runs the backtest (async because a model may be). */
  async runBacktest(options: RunBacktestOptions): Promise<BacktestResult> {
    const { alphaModel, scores, riskManager } = options;
    if ((alphaModel === undefined) === (scores === undefined)) throw new TypeError("runBacktest: give exactly one of alphaModel or scores");
    if (alphaModel !== undefined && (typeof alphaModel.fit !== "function" || typeof alphaModel.predict !== "function")) {
      throw new TypeError("runBacktest: alphaModel must have fit(view) and predict(view, at) methods");
    }
    const close = this.close;
    if (scores !== undefined && (scores.nDates !== close.nDates || scores.nAssets !== close.nAssets || scores.dates[0] !== close.dates[0])) {
      throw new RangeError(`runBacktest: scores is ${scores.nDates} × ${scores.nAssets} but data is ${close.nDates} × ${close.nAssets}; give scores on the data's dates and assets`);
    }
    const freq = options.rebalanceFrequency ?? "daily";
    if (freq !== "daily" && freq !== "weekly" && freq !== "monthly") throw new TypeError(`runBacktest: rebalanceFrequency must be "daily", "weekly" or "monthly", got ${JSON.stringify(freq)}`);
    const retrainEvery = options.retrainEvery ?? 21;
    if (!Number.isInteger(retrainEvery) || retrainEvery < 1) throw new RangeError(`runBacktest: retrainEvery must be an integer ≥ 1 (trading days), got ${retrainEvery}`);
    const portfolio = options.portfolio ?? {};
    const construct =
      typeof portfolio === "function"
        ? portfolio
        : (() => {
            const checked = checkConstruction(portfolio);
            const buf = new Float64Array(close.nAssets);
            return (s: Float64Array) => scoresToWeights(s, { method: checked.method, gross: checked.gross, ...(checked.k === undefined ? {} : { k: checked.k }) }, buf);
          })();

    const n = close.nAssets;
    const clock = options.clock ?? new TestClock(close.dates[this.startRow] as number);
    const i0 = this.startRow;
    const i1 = this.endRow;
    const T = i1 - i0 + 1;
    const P = close.columns;
    const V = this.volume?.columns;
    const returnsPanel = riskManager?.options.varLimit !== undefined ? close.returns() : undefined;
    const fractional = this.fractionalShares;
    const models = this.costModels;
    const nModels = models.length;
    const modelKind: CostKind[] = models.map((m) => m.kind);
    const cap = this.participation;

    const shares = new Float64Array(n);
    const last = new Float64Array(n).fill(Number.NaN);
    const target = new Float64Array(n);
    let pending = false;
    let cash = this.initialCapital;
    const equity = new Float64Array(T);
    const rets = new Float64Array(T);
    const retsGross = new Float64Array(T);
    const cashSeries = new Float64Array(T);
    const turnover = new Float64Array(T);
    const grossLev = new Float64Array(T);
    const netLev = new Float64Array(T);
    const dailyCosts = new Float64Array(T);
    const posMatrix = new Float64Array(T * n);
    const trades = new TradeLog();
    const interventions: RiskIntervention[] = [];
    let commission = 0;
    let spread = 0;
    let impact = 0;
    let borrow = 0;
    let peak = this.initialCapital;
    let prevEquity = this.initialCapital;
    let fits = 0;
    let lastFit = -Infinity;
    const sigma = new Float64Array(n);
    const adv = new Float64Array(n).fill(Number.NaN);
    const vw = this.volWindow;
    const aw = this.advWindow;
    const daily = this.borrowCost / 252;

    // Seed last prices from history before the start.
    for (let j = 0; j < n; j++) {
      const col = P[j] as Float64Array;
      for (let t = i0; t >= 0; t--) {
        const p = col[t] as number;
        if (p > 0) {
          if (t < i0) last[j] = p;
          break;
        }
      }
    }

    const updateEstimates = (i: number): void => {
      // σ and ADV from rows before i (known at the close of i−1).
      for (let j = 0; j < n; j++) {
        const col = P[j] as Float64Array;
        let s = 0;
        let ss = 0;
        let m = 0;
        for (let t = Math.max(1, i - vw); t < i; t++) {
          const r = (col[t] as number) / (col[t - 1] as number) - 1;
          if (r === r) {
            s += r;
            ss += r * r;
            m++;
          }
        }
        sigma[j] = m > 1 ? Math.sqrt(Math.max(0, (ss - (s * s) / m) / (m - 1))) : Number.NaN;
        if (V !== undefined) {
          const vc = V[j] as Float64Array;
          let sv = 0;
          let mv = 0;
          for (let t = Math.max(0, i - aw); t < i; t++) {
            const v = vc[t] as number;
            if (v >= 0) {
              sv += v;
              mv++;
            }
          }
          adv[j] = mv > 0 ? sv / mv : Number.NaN;
        }
      }
    };

    const execute = (i: number, k: number, equityPre: number): number => {
      let traded = 0;
      let costToday = 0;
      const needEstimates = nModels > 0;
      if (needEstimates) updateEstimates(i);
      let remaining = false;
      const minTrade = this.minTradeFraction * equityPre;
      for (let j = 0; j < n; j++) {
        const p = (P[j] as Float64Array)[i] as number;
        if (!(p > 0)) {
          if ((target[j] as number) !== 0 || (shares[j] as number) !== 0) remaining = true;
          continue;
        }
        let want = ((target[j] as number) * equityPre) / p;
        want = fractional ? want : Math.trunc(want);
        let dq = want - (shares[j] as number);
        if (dq === 0 || Math.abs(dq * p) < minTrade) continue;
        if (cap !== null && V !== undefined) {
          const filled = cap.fillable(dq, (V[j] as Float64Array)[i] as number, fractional ? 1e-9 : 1);
          if (filled !== dq) remaining = true;
          dq = filled;
          if (dq === 0) continue;
        }
        let c = 0;
        for (let m = 0; m < nModels; m++) {
          const x = (models[m] as CostModel).cost(dq, p, adv[j] as number, sigma[j] as number);
          c += x;
          const kind = modelKind[m];
          if (kind === "commission") commission += x;
          else if (kind === "spread") spread += x;
          else impact += x;
        }
        shares[j] = (shares[j] as number) + dq;
        cash -= dq * p + c;
        costToday += c;
        traded += Math.abs(dq * p);
        trades.push(close.dates[i] as number, j, dq, p, c);
      }
      pending = remaining;
      turnover[k] = equityPre > 0 ? traded / equityPre : 0;
      return costToday;
    };

    const isRebalance = (i: number): boolean => {
      if (freq === "daily" || i === i0) return true;
      const d = close.dates[i] as number;
      const dp = close.dates[i - 1] as number;
      if (freq === "weekly") return Math.floor((d + 3) / 7) !== Math.floor((dp + 3) / 7); // ISO weeks start on Monday (epoch day 0 was a Thursday)
      const a = new Date(d * 86_400_000);
      const b = new Date(dp * 86_400_000);
      return a.getUTCMonth() !== b.getUTCMonth() || a.getUTCFullYear() !== b.getUTCFullYear();
    };

    const decide = async (i: number, equityNow: number): Promise<void> => {
      let s: Float64Array;
      if (scores !== undefined) {
        s = new Float64Array(n);
        for (let j = 0; j < n; j++) s[j] = (scores.columns[j] as Float64Array)[i] as number;
      } else {
        const model = alphaModel as AlphaModelLike;
        const view = makeView(close, i, this.volume);
        if (i - lastFit >= retrainEvery) {
          const f = model.fit(view);
          if (f instanceof Promise) await f;
          fits++;
          lastFit = i;
          options.onProgress?.(i - i0, i1 - i0 + 1, fits);
        }
        let out = model.predict(view, close.dates[i] as never);
        if (out instanceof Promise) out = await out;
        s = out;
        if (!(s instanceof Float64Array) || s.length !== n) throw new TypeError(`runBacktest: alphaModel.predict must return a Float64Array of ${n} scores, got ${s?.constructor?.name} of length ${(s as { length?: number })?.length}`);
      }
      let w = construct(s, { date: close.dates[i] as number, row: i, assets: close.assets });
      if (riskManager !== undefined) {
        w = riskManager.apply(w, {
          date: close.dates[i] as number,
          assets: close.assets,
          equity: equityNow,
          peakEquity: peak,
          ...(returnsPanel === undefined ? {} : { returns: returnsPanel.columns, row: i }),
          log: interventions,
        });
      }
      for (let j = 0; j < n; j++) {
        const v = w[j] as number;
        target[j] = Number.isFinite(v) ? v : 0;
      }
      pending = true;
    };

    for (let k = 0; k < T; k++) {
      const i = i0 + k;
      clock.advanceTo(close.dates[i] as number);
      // 1. Mark to market, borrow on the shorts held overnight.
      let equityPre = cash;
      let borrowToday = 0;
      for (let j = 0; j < n; j++) {
        const q = shares[j] as number;
        const p = (P[j] as Float64Array)[i] as number;
        const lp = last[j] as number;
        if (q < 0 && daily > 0 && k > 0) borrowToday += -q * lp * daily;
        if (p > 0) last[j] = p;
        if (q !== 0) equityPre += q * (last[j] as number);
      }
      cash -= borrowToday;
      equityPre -= borrowToday;
      borrow += borrowToday;
      let costToday = borrowToday;
      // 2. Trade what was decided yesterday (next-close) …
      if (this.fillAt === "next-close" && pending) costToday += execute(i, k, equityPre);
      // 3. … decide on today's close …
      if (isRebalance(i) && !(this.fillAt === "next-close" && i === i1)) {
        await decide(i, equityPre);
        // … and trade it at once when filling at the same close.
        if (this.fillAt === "close") costToday += execute(i, k, equityPre);
      } else if (this.fillAt === "close" && pending) costToday += execute(i, k, equityPre);
      // 4. Book the close.
      let eq = cash;
      let g = 0;
      let net = 0;
      const row = k * n;
      for (let j = 0; j < n; j++) {
        const q = shares[j] as number;
        posMatrix[row + j] = q;
        if (q !== 0) {
          const v = q * (last[j] as number);
          eq += v;
          g += Math.abs(v);
          net += v;
        }
      }
      equity[k] = eq;
      cashSeries[k] = cash;
      rets[k] = eq / prevEquity - 1;
      retsGross[k] = (eq + costToday) / prevEquity - 1;
      grossLev[k] = eq > 0 ? g / eq : Number.NaN;
      netLev[k] = eq > 0 ? net / eq : Number.NaN;
      dailyCosts[k] = costToday;
      prevEquity = eq;
      if (eq > peak) peak = eq;
    }

    const dates = close.dates.slice(i0, i1 + 1);
    const bench = this.#benchmarkReturns(i0, i1);
    const metrics = computeMetrics(rets, bench);
    const posCols = Array.from({ length: n }, (_, j) => {
      const c = new Float64Array(T);
      for (let k = 0; k < T; k++) c[k] = posMatrix[k * n + j] as number;
      return c;
    });
    let avgTurn = 0;
    for (const t of turnover) avgTurn += t;
    avgTurn /= T;
    const assumptions = [...this.#assumptions];
    if (this.#benchmark === undefined) assumptions.push("benchmark: equal-weighted daily-rebalanced universe");
    if (alphaModel !== undefined) assumptions.push(`model refit every ${retrainEvery} trading days on data up to the decision date; predictions at each ${freq} rebalance`);
    const result: BacktestResult = {
      ...metrics,
      metrics,
      dates,
      assets: close.assets,
      equityCurve: equity,
      returns: rets,
      returnsBeforeCosts: retsGross,
      benchmarkReturns: bench,
      cash: cashSeries,
      positions: new Panel(dates, close.assets, posCols, { validate: false }),
      turnover,
      averageTurnover: avgTurn,
      grossLeverage: grossLev,
      netLeverage: netLev,
      trades: trades.finish(close.assets),
      costs: Object.freeze({ commission, spread, impact, borrow, total: commission + spread + impact + borrow }),
      dailyCosts,
      interventions: Object.freeze(interventions),
      initialCapital: this.initialCapital,
      assumptions: Object.freeze(assumptions),
      fits,
    };
    Object.defineProperty(result, Symbol.for("Jupyter.display"), { value: () => backtestDisplay(result), enumerable: false });
    return Object.freeze(result);
  }

  #benchmarkReturns(i0: number, i1: number): Float64Array {
    const T = i1 - i0 + 1;
    const out = new Float64Array(T);
    const b = this.#benchmark;
    const close = this.close;
    if (b === undefined) {
      for (let k = 0; k < T; k++) {
        const i = i0 + k;
        let s = 0;
        let m = 0;
        if (i > 0) {
          for (const col of close.columns) {
            const r = (col[i] as number) / (col[i - 1] as number) - 1;
            if (Number.isFinite(r)) {
              s += r;
              m++;
            }
          }
        }
        out[k] = m > 0 ? s / m : k === 0 ? 0 : Number.NaN;
      }
      return out;
    }
    if (b instanceof Float64Array) {
      if (b.length !== close.nDates) throw new RangeError(`StatArbBacktester: option benchmark has ${b.length} values; give one return per data row (${close.nDates}) or a Panel`);
      return b.slice(i0, i1 + 1);
    }
    const col = b.columns[0];
    if (col === undefined) throw new RangeError("StatArbBacktester: option benchmark is an empty Panel");
    for (let k = 0; k < T; k++) {
      const r = b.indexOfDate(close.dates[i0 + k] as number);
      out[k] = r > 0 ? (col[r] as number) / (col[r - 1] as number) - 1 : Number.NaN;
    }
    return out;
  }
}

export function statArbBacktester(options: StatArbBacktesterOptions): StatArbBacktester {
  return new StatArbBacktester(options);
}
