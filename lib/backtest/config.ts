/**
 * The backtester's options read once, checked and resolved into a frozen {@link BacktestConfig}:
 * the price and volume panels, the window, the venue (cost models and participation cap) and the
 * assumptions the numbers rest on, in words. Unknown keys are errors with a "did you mean".
 */
import { checkKeys, type DateLike, fromEpochDay, opt, Panel, toEpochDay } from "../data/index.js";
import { AlmgrenImpact, BpsCommission, type CostModel, costKindIndex, SimulatedVenue, SquareRootImpact, VolumeParticipationCap } from "../execution/index.js";
import { checkMarketData } from "./solvency.js";

/** Price data: a close panel, or a bundle holding one (and optionally volume/high/low). */
export type MarketDataInput = Panel | { readonly [key: string]: unknown };

/** Options of `StatArbBacktester`. */
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
  /**
   * When equity reaches zero or below (default "error"): "error" throws, naming the date and the asset
   * that lost most; "stop" ends the run at that close and flags the result (`result.bankruptcy`, its
   * ratios NaN). Metrics are never computed over a bankrupt book.
   */
  onBankruptcy?: "error" | "stop";
}

/** The resolved options of a backtester. */
export interface BacktestConfig {
  readonly close: Panel;
  readonly volume: Panel | undefined;
  readonly startRow: number;
  readonly endRow: number;
  readonly initialCapital: number;
  /** Fills, the participation cap and the cost models: the same venue type the event engine uses. */
  readonly venue: SimulatedVenue;
  /** The cap applied (null without volume data). */
  readonly participation: VolumeParticipationCap | null;
  readonly borrowCost: number;
  readonly fillAt: "next-close" | "close";
  readonly fractionalShares: boolean;
  readonly minTradeFraction: number;
  readonly volWindow: number;
  readonly advWindow: number;
  readonly benchmark: Panel | Float64Array | undefined;
  readonly onBankruptcy: "error" | "stop";
  readonly assumptions: readonly string[];
}

const W = "StatArbBacktester";
const KEYS = [
  "data", "startDate", "endDate", "initialCapital", "transactionCosts", "marketImpactModel", "borrowCost", "benchmark",
  "volume", "maxParticipation", "fillAt", "fractionalShares", "minTradeFraction", "volWindow", "advWindow", "venue", "onBankruptcy",
];

/** Reads and checks the options of a backtester (errors name the option, the value and what is allowed). */
export function readBacktestConfig(options: StatArbBacktesterOptions): BacktestConfig {
  const o = checkKeys(W, options, KEYS);
  if (o.get("data") === undefined) throw new TypeError(`${W}: option data is required (a Panel of close prices)`);
  const { close, volume } = resolveData(o.get("data"), o.get("volume"));
  checkMarketData(W, close, volume);
  const { startRow, endRow } = resolveWindow(close, o.get("startDate") as DateLike | undefined, o.get("endDate") as DateLike | undefined);
  const initialCapital = opt.number(1_000_000, { min: 0, open: "min" }).check(W, "option initialCapital", valueOr(o, "initialCapital", 1_000_000));
  const assumptions: string[] = [];
  const volWindow = opt.integer(20, { min: 2 }).check(W, "option volWindow", valueOr(o, "volWindow", 20));
  const advWindow = opt.integer(20, { min: 2 }).check(W, "option advWindow", valueOr(o, "advWindow", 20));
  const { venue, participation } = resolveVenue(o, volume, advWindow, assumptions);
  const borrowCost = opt.number(0, { min: 0, max: 1, open: "max" }).check(W, "option borrowCost (an annual rate)", valueOr(o, "borrowCost", 0));
  assumptions.push(`borrow: ${(borrowCost * 100).toFixed(2)}% a year on short notional`);
  const fillAt = opt.oneOfValue(W, "option fillAt", o.get("fillAt"), "next-close", ["next-close", "close"]);
  assumptions.push(fillAt === "next-close" ? "fills: targets decided after the close of t trade at the close of t+1" : "fills: targets decided at the close of t trade at that same close (optimistic)");
  if (participation) assumptions.push(`participation: at most ${(participation.maxParticipation * 100).toFixed(1)}% of a day's volume per asset; the rest fills on later days`);
  const benchmark = o.get("benchmark");
  if (benchmark !== undefined && !(benchmark instanceof Panel) && !(benchmark instanceof Float64Array)) {
    throw new TypeError(`${W}: option benchmark must be a Panel of prices or a Float64Array of daily returns, got ${opt.describeValue(benchmark)}`);
  }
  return Object.freeze({
    close, volume, startRow, endRow, initialCapital, venue, participation, borrowCost, fillAt,
    fractionalShares: opt.boolean(false).check(W, "option fractionalShares", valueOr(o, "fractionalShares", false)),
    minTradeFraction: opt.number(0, { min: 0 }).check(W, "option minTradeFraction", valueOr(o, "minTradeFraction", 0)),
    volWindow, advWindow, benchmark,
    onBankruptcy: opt.oneOfValue(W, "option onBankruptcy", o.get("onBankruptcy"), "error", ["error", "stop"]),
    assumptions: Object.freeze(assumptions),
  });
}

/** The option read once by `checkKeys`, or `dflt` when absent (`null` is kept, and refused by the check). */
function valueOr(o: ReadonlyMap<string, unknown>, key: string, dflt: unknown): unknown {
  const v = o.get(key);
  return v === undefined ? dflt : v;
}

function resolveData(data: unknown, volumeOption: unknown): { close: Panel; volume: Panel | undefined } {
  if (volumeOption !== undefined && !(volumeOption instanceof Panel)) throw new TypeError(`${W}: option volume must be a Panel of shares traded, got ${opt.describeValue(volumeOption)}`);
  let close: Panel | undefined;
  let volume = volumeOption as Panel | undefined;
  if (data instanceof Panel) close = data;
  else {
    if (data === null || typeof data !== "object") throw new TypeError(`${W}: option data must be a Panel of close prices or a dataset bundle holding one`);
    const pick = (...keys: string[]): Panel | undefined => {
      for (const k of keys) {
        const v = (data as Record<string, unknown>)[k];
        if (v instanceof Panel) return v;
      }
      return undefined;
    };
    close = pick("close", "prices", "adjClose", "panel");
    if (close === undefined) throw new TypeError(`${W}: option data is a bundle without a close/prices Panel (keys: ${Object.keys(data).join(", ")}); pass the price Panel itself`);
    volume ??= pick("volume");
  }
  if (close.nDates < 2) throw new RangeError(`${W}: data has ${close.nDates} dates; need at least 2`);
  if (volume !== undefined && (volume.nDates !== close.nDates || volume.nAssets !== close.nAssets)) {
    throw new RangeError(`${W}: volume is ${volume.nDates} × ${volume.nAssets} but prices are ${close.nDates} × ${close.nAssets}; align them`);
  }
  return { close, volume };
}

function resolveWindow(close: Panel, startDate: DateLike | undefined, endDate: DateLike | undefined): { startRow: number; endRow: number } {
  const startRow = startDate === undefined ? 0 : close.dateIndex(startDate);
  const endRow = endDate === undefined ? close.nDates - 1 : close.dateIndex(toEpochDay(endDate) + 1) - 1;
  if (startRow >= close.nDates) throw new RangeError(`${W}: startDate ${String(startDate)} is after the data's last date ${fromEpochDay(close.dates[close.nDates - 1] as number)}`);
  if (endRow <= startRow) throw new RangeError(`${W}: endDate ${String(endDate)} leaves no trading days after startDate ${String(startDate)}`);
  return { startRow, endRow };
}

/** The cost models: from option venue, or from transactionCosts + marketImpactModel (assumptions appended). */
function resolveCostModels(o: ReadonlyMap<string, unknown>, assumptions: string[]): CostModel[] {
  const venue = o.get("venue");
  if (venue !== undefined && (o.get("transactionCosts") !== undefined || o.get("marketImpactModel") !== undefined)) {
    throw new TypeError(`${W}: give either option venue or options transactionCosts/marketImpactModel, not both`);
  }
  const models: CostModel[] = [];
  const tc = venue instanceof SimulatedVenue ? [...venue.costs] : valueOr(o, "transactionCosts", 0);
  if (typeof tc === "number") {
    if (!(tc >= 0 && tc < 0.1)) throw new RangeError(`${W}: option transactionCosts is a fraction of traded notional in [0, 0.1) (0.0015 = 15 bps), got ${tc}`);
    if (tc > 0) models.push(new BpsCommission({ rate: tc }));
    assumptions.push(`transaction costs: ${(tc * 1e4).toFixed(2)} bps of traded notional`);
  } else if (Array.isArray(tc)) {
    for (const m of tc) costKindIndex(`${W}: option transactionCosts`, m);
    models.push(...(tc as CostModel[]));
    assumptions.push(`transaction costs: ${models.map((m) => m.name).join(" + ") || "none"}`);
  } else throw new TypeError(`${W}: option transactionCosts must be a number (fraction of notional) or an array of cost models, got ${opt.describeValue(tc)}`);
  const mi = valueOr(o, "marketImpactModel", "none");
  if (mi === "sqrt") models.push(new SquareRootImpact());
  else if (mi === "almgren") models.push(new AlmgrenImpact());
  else if (typeof mi === "object" && mi !== null && typeof (mi as CostModel).cost === "function") {
    costKindIndex(`${W}: option marketImpactModel`, mi);
    models.push(mi as CostModel);
  } else if (mi !== "none") throw new TypeError(`${W}: option marketImpactModel must be "none", "sqrt", "almgren" or a cost model, got ${JSON.stringify(mi)}`);
  return models;
}

function resolveVenue(o: ReadonlyMap<string, unknown>, volume: Panel | undefined, advWindow: number, assumptions: string[]): { venue: SimulatedVenue; participation: VolumeParticipationCap | null } {
  const given = o.get("venue");
  if (given !== undefined && !(given instanceof SimulatedVenue)) throw new TypeError(`${W}: option venue must be a SimulatedVenue, got ${opt.describeValue(given)}`);
  const models = resolveCostModels(o, assumptions);
  for (const m of models) {
    if (m.kind !== "impact") continue;
    const adv = (m as { assumedAdvNotional?: number }).assumedAdvNotional;
    assumptions.push(
      `impact: ${m.name}` +
        (volume === undefined ? `; no volume data, so ADV = $${((adv ?? Number.NaN) / 1e6).toFixed(0)}M/day per asset assumed` : `; ADV = mean volume of the last ${advWindow} days`),
    );
  }
  const mp = o.get("maxParticipation");
  let participation: VolumeParticipationCap | null = null;
  if (volume !== undefined) {
    if (given !== undefined) participation = given.participation;
    else if (mp !== null) participation = new VolumeParticipationCap({ maxParticipation: mp === undefined ? 0.1 : (mp as number) });
  }
  return { venue: given ?? new SimulatedVenue({ costs: models, participation }), participation };
}
