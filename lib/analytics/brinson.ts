/**
 * Brinson-Fachler (1985) sector attribution of the active return R_p − R_b, one period:
 *   allocation_i  = (w_p,i − w_b,i)(R_b,i − R_b)
 *   selection_i   = w_b,i (R_p,i − R_b,i)
 *   interaction_i = (w_p,i − w_b,i)(R_p,i − R_b,i)
 * with w the sector weights, R_·,i the sector returns and R_b = Σ w_b,i R_b,i (Bacon, "Practical
 * Portfolio Performance Measurement and Attribution", 2nd ed., 2008, ch. 5). Weights that do not
 * sum to 1 (a long-short book, cash) get a "cash" sector holding 1 − Σw at `cashReturn`, so the
 * effects always add up to R_p − R_b. A sector whose net portfolio weight is below `minWeight` in
 * magnitude has no meaningful R_p,i (a long-short sector netting to ~0 would divide by ~0): its
 * contribution c_p,i = Σ w·r beyond w_p,i·R_b,i is all selection and its interaction is 0 (with no
 * contribution given, R_p,i := R_b,i).
 *
 * Over many periods the arithmetic effects do not add up to the compounded active return; they are
 * linked (Carino 1999, "Combining attribution effects over time", J. Performance Measurement 3(4);
 * or Menchero 2000, "An optimized approach to linking attribution effects over time", JPM 5(1)) so
 * that Σ_t Σ_i linked effects = Π(1+R_p,t) − Π(1+R_b,t) exactly (up to rounding).
 */
import { checkKeys, opt, readOptions } from "../data/index.js";
import { htmlTable, pct, withDisplay } from "./html.js";

/** One period's inputs, per sector. */
export interface BrinsonPeriodInput {
  /** Sector names. */
  sectors: readonly string[];
  /** Portfolio weight of each sector (fractions of portfolio value). */
  portfolioWeights: ArrayLike<number>;
  benchmarkWeights: ArrayLike<number>;
  /** Portfolio return within each sector (R_p,i); ignored where the portfolio weight is 0. */
  portfolioReturns: ArrayLike<number>;
  /** Benchmark return within each sector (R_b,i). */
  benchmarkReturns: ArrayLike<number>;
  /** Portfolio contribution of each sector, Σ_{a∈i} w_a r_a (default w_p,i·R_p,i); needed for sectors netting to ~0. */
  portfolioContributions?: ArrayLike<number>;
  /** |w_p,i| below this counts as not held (default 1e-12). */
  minWeight?: number;
  /**
   * "separate" (default): the three effects above; "in-selection": interaction folded into
   * selection, selection_i = w_p,i(R_p,i − R_b,i) = c_p,i − w_p,i R_b,i (Bacon ch. 5), which needs
   * no R_p,i and so suits long-short books whose sectors net to ~0.
   */
  interaction?: "separate" | "in-selection";
  /** Return of the implicit cash sector (default 0). */
  cashReturn?: number;
  /** Label of the period (default ""). */
  label?: string;
}

/** Effects of one sector. */
export interface BrinsonSectorEffect {
  readonly sector: string;
  readonly portfolioWeight: number;
  readonly benchmarkWeight: number;
  readonly portfolioReturn: number;
  readonly benchmarkReturn: number;
  readonly allocation: number;
  readonly selection: number;
  readonly interaction: number;
  /** allocation + selection + interaction. */
  readonly total: number;
}

/** Portfolio, benchmark and active return with the three effects that add up to the active return. */
export interface BrinsonTotals {
  readonly portfolioReturn: number;
  readonly benchmarkReturn: number;
  /** portfolioReturn − benchmarkReturn = allocation + selection + interaction. */
  readonly activeReturn: number;
  readonly allocation: number;
  readonly selection: number;
  readonly interaction: number;
}

/** Result of {@link brinsonFachler}. */
export interface BrinsonResult extends BrinsonTotals {
  readonly label: string;
  /** Sectors (with "cash" last when the weights needed it). */
  readonly sectors: readonly BrinsonSectorEffect[];
}

const EPS = 1e-12;

function arr(where: string, name: string, x: ArrayLike<number> | undefined, n: number): Float64Array {
  if (x === undefined || typeof x !== "object" || typeof x.length !== "number") throw new TypeError(`${where}: ${name} must be an array of ${n} numbers (one per sector)`);
  if (x.length !== n) throw new RangeError(`${where}: ${name} has ${x.length} values but there are ${n} sectors`);
  const out = Float64Array.from(x as ArrayLike<number>);
  return out;
}

const INPUT_KEYS = ["sectors", "portfolioWeights", "benchmarkWeights", "portfolioReturns", "benchmarkReturns", "portfolioContributions", "minWeight", "interaction", "cashReturn", "label"] as const;

/** One period's sector arrays, checked, with R_p,i filled where the sector is not held (or from contributions). */
interface SectorArrays {
  names: string[];
  wp: Float64Array;
  wb: Float64Array;
  rp: Float64Array;
  rb: Float64Array;
  contrib: Float64Array;
  held: Uint8Array;
}

function readInput(where: string, input: BrinsonPeriodInput) {
  const o = checkKeys(where, input, INPUT_KEYS);
  const sectors = o.get("sectors");
  if (!Array.isArray(sectors)) throw new TypeError(`${where}: option sectors must be an array of sector names`);
  const mode = o.get("interaction") ?? "separate";
  if (mode !== "separate" && mode !== "in-selection") throw new RangeError(`${where}: option interaction must be "separate" or "in-selection", got ${JSON.stringify(mode)}`);
  const minWeight = o.get("minWeight") ?? EPS;
  if (!((minWeight as number) >= 0)) throw new RangeError(`${where}: option minWeight must be ≥ 0, got ${String(minWeight)}`);
  const cashReturn = o.get("cashReturn") ?? 0;
  if (!Number.isFinite(cashReturn)) throw new RangeError(`${where}: option cashReturn must be finite, got ${String(cashReturn)}`);
  return {
    sectors: sectors as readonly string[],
    portfolioWeights: o.get("portfolioWeights") as ArrayLike<number> | undefined,
    benchmarkWeights: o.get("benchmarkWeights") as ArrayLike<number> | undefined,
    portfolioReturns: o.get("portfolioReturns") as ArrayLike<number> | undefined,
    benchmarkReturns: o.get("benchmarkReturns") as ArrayLike<number> | undefined,
    portfolioContributions: o.get("portfolioContributions") as ArrayLike<number> | undefined,
    mode: mode as "separate" | "in-selection",
    minWeight: minWeight as number,
    cashReturn: cashReturn as number,
    label: String(o.get("label") ?? ""),
  };
}

function sectorArrays(where: string, o: ReturnType<typeof readInput>): SectorArrays {
  const names = [...o.sectors];
  if (new Set(names).size !== names.length) throw new RangeError(`${where}: sector names must be unique`);
  const n = names.length;
  const wp = arr(where, "portfolioWeights", o.portfolioWeights, n);
  const wb = arr(where, "benchmarkWeights", o.benchmarkWeights, n);
  const rp = arr(where, "portfolioReturns", o.portfolioReturns, n);
  const rb = arr(where, "benchmarkReturns", o.benchmarkReturns, n);
  const cp = o.portfolioContributions === undefined ? undefined : arr(where, "portfolioContributions", o.portfolioContributions, n);
  const held = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (const [nm, a] of [["portfolioWeights", wp], ["benchmarkWeights", wb], ["benchmarkReturns", rb]] as const) {
      if (!Number.isFinite(a[i]!)) throw new RangeError(`${where}: ${nm} of sector ${names[i]} is ${a[i]}; give finite numbers`);
    }
    held[i] = Math.abs(wp[i]!) >= o.minWeight && Math.abs(wp[i]!) > 0 ? 1 : 0;
    if (cp !== undefined) {
      if (!Number.isFinite(cp[i]!)) throw new RangeError(`${where}: portfolioContributions of sector ${names[i]} is ${cp[i]}`);
      rp[i] = held[i] ? cp[i]! / wp[i]! : rb[i]!;
    } else if (!held[i]) rp[i] = rb[i]!;
    else if (!Number.isFinite(rp[i]!)) throw new RangeError(`${where}: portfolioReturns of held sector ${names[i]} is ${rp[i]}`);
  }
  const contrib = cp ?? wp.map((w, i) => w * rp[i]!);
  return { names, wp, wb, rp, rb, contrib, held };
}

/** The sectors as plain arrays, with an implicit "cash" sector appended when the weights do not sum to 1. */
function withCash(where: string, a: SectorArrays, cashReturn: number) {
  let swp = 0;
  let swb = 0;
  for (let i = 0; i < a.names.length; i++) (swp += a.wp[i]!), (swb += a.wb[i]!);
  const cashP = 1 - swp;
  const cashB = 1 - swb;
  const cash = Math.abs(cashP) > EPS || Math.abs(cashB) > EPS;
  if (cash && a.names.includes("cash")) throw new RangeError(`${where}: weights do not sum to 1 and a sector is already named "cash"; rename it or add the cash weight yourself`);
  const sectors = cash ? [...a.names, "cash"] : [...a.names];
  const n = sectors.length;
  const grow = (x: Float64Array, cashValue: number): Float64Array => {
    const out = new Float64Array(n);
    out.set(x);
    if (cash) out[n - 1] = cashValue;
    return out;
  };
  const held = new Uint8Array(n);
  held.set(a.held);
  if (cash) held[n - 1] = 1;
  const W = { wp: grow(a.wp, cashP), wb: grow(a.wb, cashB), rp: grow(a.rp, cashReturn), rb: grow(a.rb, cashReturn), c: grow(a.contrib, cashP * cashReturn), held };
  return { sectors, W };
}

/** Brinson-Fachler attribution of one period (see the module doc). */
export function brinsonFachler(input: BrinsonPeriodInput): BrinsonResult {
  const where = "brinsonFachler";
  const o = readInput(where, input);
  const { sectors, W } = withCash(where, sectorArrays(where, o), o.cashReturn);
  let Rp = 0;
  let Rb = 0;
  for (let i = 0; i < sectors.length; i++) (Rp += W.c[i]!), (Rb += W.wb[i]! * W.rb[i]!);
  let A = 0;
  let S = 0;
  let I = 0;
  const effects = sectors.map((sector, i) => {
    const p = W.wp[i]!;
    const b = W.wb[i]!;
    const rpi = W.rp[i]!;
    const rbi = W.rb[i]!;
    const allocation = (p - b) * (rbi - Rb);
    // held: selection w_b(R_p,i − R_b,i), interaction = c_p − w_p R_b,i − selection (= (w_p − w_b)(R_p,i − R_b,i), exact in sum)
    const separate = o.mode === "separate" && W.held[i];
    const selection = separate ? b * (rpi - rbi) : W.c[i]! - p * rbi;
    const interaction = separate ? W.c[i]! - p * rbi - selection : 0;
    A += allocation;
    S += selection;
    I += interaction;
    return Object.freeze({ sector, portfolioWeight: p, benchmarkWeight: b, portfolioReturn: rpi, benchmarkReturn: rbi, allocation, selection, interaction, total: allocation + selection + interaction });
  });
  const result: BrinsonResult = { label: o.label, sectors: Object.freeze(effects), portfolioReturn: Rp, benchmarkReturn: Rb, activeReturn: Rp - Rb, allocation: A, selection: S, interaction: I };
  return Object.freeze(withDisplay(result, brinsonHtml));
}

/** Linking methods of {@link linkBrinson}. */
export type BrinsonLinking = "carino" | "menchero";

/** Options of {@link linkBrinson}. */
export interface LinkBrinsonOptions {
  /** Default "carino". */
  method?: BrinsonLinking;
}

/** Linked multi-period attribution; portfolioReturn is Π(1+R_p,t) − 1 (likewise the benchmark). */
export interface LinkedBrinsonResult extends BrinsonTotals {
  readonly method: BrinsonLinking;
  readonly periods: readonly BrinsonResult[];
  /** Scaling factor applied to each period's effects (Carino k_t/k; Menchero M + α_t). */
  readonly coefficients: Float64Array;
  /** Linked effects per sector, summed over periods (sectors in order of first appearance). */
  readonly sectors: readonly { readonly sector: string; readonly allocation: number; readonly selection: number; readonly interaction: number; readonly total: number }[];
  /** Per-period linked totals (allocation, selection, interaction), in period order. */
  readonly linkedByPeriod: { readonly allocation: Float64Array; readonly selection: Float64Array; readonly interaction: Float64Array };
}

function carinoK(rp: number, rb: number): number {
  // (ln(1+rp) − ln(1+rb)) / (rp − rb), → 1/(1+r) as rp → rb
  if (Math.abs(rp - rb) < 1e-15) return 1 / (1 + rp);
  return (Math.log1p(rp) - Math.log1p(rb)) / (rp - rb);
}

/** Carino's k_t / k of each period. */
function carinoCoefficients(periods: readonly BrinsonResult[], Rp: number, Rb: number): Float64Array {
  const coef = new Float64Array(periods.length);
  const k = carinoK(Rp, Rb);
  periods.forEach((p, t) => (coef[t] = carinoK(p.portfolioReturn, p.benchmarkReturn) / k));
  return coef;
}

/** Menchero: M = ((R_p − R_b)/T) / ((1+R_p)^{1/T} − (1+R_b)^{1/T}) plus α_t minimising Σα² subject to the exact sum. */
function mencheroCoefficients(periods: readonly BrinsonResult[], gp: number, gb: number): Float64Array {
  const T = periods.length;
  const coef = new Float64Array(T);
  const Rp = gp - 1;
  const Rb = gb - 1;
  const d = gp ** (1 / T) - gb ** (1 / T);
  const M = Math.abs(Rp - Rb) < 1e-15 || Math.abs(d) < 1e-18 ? gp ** ((T - 1) / T) : (Rp - Rb) / T / d;
  let sa = 0;
  let sa2 = 0;
  for (const p of periods) {
    sa += p.activeReturn;
    sa2 += p.activeReturn * p.activeReturn;
  }
  periods.forEach((p, t) => {
    const alpha = sa2 > 0 ? ((Rp - Rb - M * sa) / sa2) * p.activeReturn : 0;
    coef[t] = M + alpha;
  });
  return coef;
}

const isLinking = (v: unknown): v is BrinsonLinking => v === "carino" || v === "menchero";
/** The linking method as an option (`linkBrinson`'s `method`, `brinsonFromHoldings`' `linking`). */
export const LINKING_RULE = opt.custom<BrinsonLinking>('"carino" or "menchero"', () => "carino", isLinking, "range");

/** Links single-period Brinson results over time so the effects sum to the compounded active return. */
export function linkBrinson(periods: readonly BrinsonResult[], options: LinkBrinsonOptions = {}): LinkedBrinsonResult {
  const where = "linkBrinson";
  if (!Array.isArray(periods) || periods.length === 0) throw new RangeError(`${where}: give at least one period (results of brinsonFachler)`);
  const { method } = readOptions(where, options, { method: LINKING_RULE });
  const T = periods.length;
  let gp = 1;
  let gb = 1;
  for (const p of periods) {
    if (!(p.portfolioReturn > -1 && p.benchmarkReturn > -1)) throw new RangeError(`${where}: period ${p.label || "?"} has a return ≤ −100%; linking needs returns > −1`);
    gp *= 1 + p.portfolioReturn;
    gb *= 1 + p.benchmarkReturn;
  }
  const Rp = gp - 1;
  const Rb = gb - 1;
  const coef = method === "carino" ? carinoCoefficients(periods, Rp, Rb) : mencheroCoefficients(periods, gp, gb);
  const bySector = new Map<string, { allocation: number; selection: number; interaction: number }>();
  const la = new Float64Array(T);
  const ls = new Float64Array(T);
  const li = new Float64Array(T);
  periods.forEach((p, t) => {
    const c = coef[t]!;
    for (const s of p.sectors) {
      const e = bySector.get(s.sector) ?? { allocation: 0, selection: 0, interaction: 0 };
      e.allocation += c * s.allocation;
      e.selection += c * s.selection;
      e.interaction += c * s.interaction;
      bySector.set(s.sector, e);
    }
    la[t] = c * p.allocation;
    ls[t] = c * p.selection;
    li[t] = c * p.interaction;
  });
  const sum = (x: Float64Array) => x.reduce((a, v) => a + v, 0);
  const sectors = [...bySector.entries()].map(([sector, e]) => Object.freeze({ sector, ...e, total: e.allocation + e.selection + e.interaction }));
  const result: LinkedBrinsonResult = {
    method,
    periods: Object.freeze([...periods]),
    coefficients: coef,
    sectors: Object.freeze(sectors),
    portfolioReturn: Rp,
    benchmarkReturn: Rb,
    activeReturn: Rp - Rb,
    allocation: sum(la),
    selection: sum(ls),
    interaction: sum(li),
    linkedByPeriod: Object.freeze({ allocation: la, selection: ls, interaction: li }),
  };
  return Object.freeze(withDisplay(result, brinsonHtml));
}


/** A single-period or linked Brinson table by sector. */
export function brinsonHtml(b: BrinsonResult | LinkedBrinsonResult): string {
  const linked = "method" in b;
  const rows = b.sectors.map((s) => [s.sector, pct(s.allocation, 3), pct(s.selection, 3), pct(s.interaction, 3), pct(s.total, 3)]);
  rows.push(["total", pct(b.allocation, 3), pct(b.selection, 3), pct(b.interaction, 3), pct(b.allocation + b.selection + b.interaction, 3)]);
  const cap = linked
    ? `Brinson-Fachler, ${b.periods.length} periods linked (${b.method === "carino" ? "Carino" : "Menchero"}): portfolio ${pct(b.portfolioReturn)}, benchmark ${pct(b.benchmarkReturn)}, active ${pct(b.activeReturn)}`
    : `Brinson-Fachler: portfolio ${pct(b.portfolioReturn)}, benchmark ${pct(b.benchmarkReturn)}, active ${pct(b.activeReturn)}`;
  return htmlTable(["sector", "allocation", "selection", "interaction", "total"], rows, cap);
}
