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
import { brinsonHtml, withDisplay } from "./report-tables.js";

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

/** Brinson-Fachler attribution of one period (see the module doc). */
export function brinsonFachler(input: BrinsonPeriodInput): BrinsonResult {
  const where = "brinsonFachler";
  if (input === undefined || !Array.isArray(input.sectors)) throw new TypeError(`${where}: option sectors must be an array of sector names`);
  const names = [...input.sectors];
  if (new Set(names).size !== names.length) throw new RangeError(`${where}: sector names must be unique`);
  const n = names.length;
  const wp = arr(where, "portfolioWeights", input.portfolioWeights, n);
  const wb = arr(where, "benchmarkWeights", input.benchmarkWeights, n);
  const rp = arr(where, "portfolioReturns", input.portfolioReturns, n);
  const rb = arr(where, "benchmarkReturns", input.benchmarkReturns, n);
  const mode = input.interaction ?? "separate";
  if (mode !== "separate" && mode !== "in-selection") throw new RangeError(`${where}: option interaction must be "separate" or "in-selection", got ${JSON.stringify(mode)}`);
  const minWeight = input.minWeight ?? EPS;
  if (!(minWeight >= 0)) throw new RangeError(`${where}: option minWeight must be ≥ 0, got ${minWeight}`);
  const cp = input.portfolioContributions === undefined ? undefined : arr(where, "portfolioContributions", input.portfolioContributions, n);
  const held = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (const [nm, a] of [["portfolioWeights", wp], ["benchmarkWeights", wb], ["benchmarkReturns", rb]] as const) {
      if (!Number.isFinite(a[i] as number)) throw new RangeError(`${where}: ${nm} of sector ${names[i]} is ${a[i]}; give finite numbers`);
    }
    held[i] = Math.abs(wp[i] as number) >= minWeight && Math.abs(wp[i] as number) > 0 ? 1 : 0;
    if (cp !== undefined) {
      if (!Number.isFinite(cp[i] as number)) throw new RangeError(`${where}: portfolioContributions of sector ${names[i]} is ${cp[i]}`);
      rp[i] = held[i] ? (cp[i] as number) / (wp[i] as number) : (rb[i] as number);
    } else if (!held[i]) rp[i] = rb[i] as number;
    else if (!Number.isFinite(rp[i] as number)) throw new RangeError(`${where}: portfolioReturns of held sector ${names[i]} is ${rp[i]}`);
  }
  const contrib = cp ?? wp.map((w, i) => w * (rp[i] as number));
  const cashReturn = input.cashReturn ?? 0;
  if (!Number.isFinite(cashReturn)) throw new RangeError(`${where}: option cashReturn must be finite, got ${cashReturn}`);
  let swp = 0;
  let swb = 0;
  for (let i = 0; i < n; i++) (swp += wp[i] as number), (swb += wb[i] as number);
  const cashP = 1 - swp;
  const cashB = 1 - swb;
  const sectors = [...names];
  const W = { wp: Array.from(wp), wb: Array.from(wb), rp: Array.from(rp), rb: Array.from(rb), c: Array.from(contrib), held: Array.from(held) };
  if (Math.abs(cashP) > EPS || Math.abs(cashB) > EPS) {
    if (sectors.includes("cash")) throw new RangeError(`${where}: weights do not sum to 1 and a sector is already named "cash"; rename it or add the cash weight yourself`);
    sectors.push("cash");
    W.wp.push(cashP);
    W.wb.push(cashB);
    W.rp.push(cashReturn);
    W.rb.push(cashReturn);
    W.c.push(cashP * cashReturn);
    W.held.push(1);
  }
  let Rp = 0;
  let Rb = 0;
  for (let i = 0; i < sectors.length; i++) (Rp += W.c[i] as number), (Rb += (W.wb[i] as number) * (W.rb[i] as number));
  let A = 0;
  let S = 0;
  let I = 0;
  const effects = sectors.map((sector, i) => {
    const p = W.wp[i] as number;
    const b = W.wb[i] as number;
    const rpi = W.rp[i] as number;
    const rbi = W.rb[i] as number;
    const allocation = (p - b) * (rbi - Rb);
    // held: selection w_b(R_p,i − R_b,i), interaction = c_p − w_p R_b,i − selection (= (w_p − w_b)(R_p,i − R_b,i), exact in sum)
    const separate = mode === "separate" && W.held[i];
    const selection = separate ? b * (rpi - rbi) : (W.c[i] as number) - p * rbi;
    const interaction = separate ? (W.c[i] as number) - p * rbi - selection : 0;
    A += allocation;
    S += selection;
    I += interaction;
    return Object.freeze({ sector, portfolioWeight: p, benchmarkWeight: b, portfolioReturn: rpi, benchmarkReturn: rbi, allocation, selection, interaction, total: allocation + selection + interaction });
  });
  const result: BrinsonResult = { label: input.label ?? "", sectors: Object.freeze(effects), portfolioReturn: Rp, benchmarkReturn: Rb, activeReturn: Rp - Rb, allocation: A, selection: S, interaction: I };
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

/** Links single-period Brinson results over time so the effects sum to the compounded active return. */
export function linkBrinson(periods: readonly BrinsonResult[], options: LinkBrinsonOptions = {}): LinkedBrinsonResult {
  const where = "linkBrinson";
  if (!Array.isArray(periods) || periods.length === 0) throw new RangeError(`${where}: give at least one period (results of brinsonFachler)`);
  const method = options.method ?? "carino";
  if (method !== "carino" && method !== "menchero") throw new RangeError(`${where}: option method must be "carino" or "menchero", got ${JSON.stringify(method)}`);
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
  const coef = new Float64Array(T);
  if (method === "carino") {
    const k = carinoK(Rp, Rb);
    periods.forEach((p, t) => (coef[t] = carinoK(p.portfolioReturn, p.benchmarkReturn) / k));
  } else {
    // Menchero: M = ((R_p − R_b)/T) / ((1+R_p)^{1/T} − (1+R_b)^{1/T}); α_t chosen to minimise Σα² subject to exact sum
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
  }
  const bySector = new Map<string, { allocation: number; selection: number; interaction: number }>();
  const la = new Float64Array(T);
  const ls = new Float64Array(T);
  const li = new Float64Array(T);
  periods.forEach((p, t) => {
    const c = coef[t] as number;
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

