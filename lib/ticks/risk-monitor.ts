/**
 * Real-time risk on a tick stream: positions and cash from the strategy's fills, marks from quote mids,
 * and once in every `intervalMs` slot of wall-clock (default 10 ms: 100 Hz while ticks flow) a recomputation
 * of exposures (notional = position × mid), gross, net, P&L (cash + marked positions) and portfolio VaR:
 * - parametric: lib/risk `componentVaR` on the exposures with the covariance of per-symbol mid returns
 *   sampled every `sampleInterval` of event time over the last `window` samples (a loss in currency over
 *   one sample interval, with each symbol's contribution);
 * - historical: lib/risk `valueAtRisk` of the book's P&L over the same samples (today's exposures × past
 *   returns).
 * VaR is NaN until `minSamples` returns exist. Limit breaches are events (on entering and on clearing);
 * each update's own duration is recorded for the latency distribution.
 * Incremental: a tick touches only what it changes (a quote its symbol's mid, a fill its position and
 * the cash, a sample one return per symbol); an update computes each covariance at most once per sample
 * and the VaR figures only when the held exposures or the samples changed. A display handle (the kernel's
 * `display.html(…)` handle) is refreshed in place (update_display_data) at most every `displayEveryMs`.
 */
import { opt, readOptions } from "../data/index.js";
import { componentVaR, valueAtRisk } from "../risk/index.js";
import { covariance, quantileSorted } from "../stats/index.js";
import type { RunObserver, StrategyFill } from "./runner.js";
import { parseSpan } from "./time.js";

/** Limits; a value that exceeds one raises a breach event. */
export interface RiskLimits {
  /** Σ |exposure| (currency). */
  maxGross?: number;
  /** |Σ exposure| (currency). */
  maxNet?: number;
  /** |position| of any symbol (shares). */
  maxPosition?: number;
  /** Parametric VaR (currency). */
  maxVaR?: number;
  /** Loss: breach when P&L < −maxLoss. */
  maxLoss?: number;
}

/** Options of {@link RiskMonitor}. */
export interface RiskMonitorOptions {
  /** Limits (default none). */
  limits?: RiskLimits;
  /** Wall-clock ms between recomputations (default 10 = 100 Hz). */
  intervalMs?: number;
  /** Event-time span between return samples for VaR (default "1s"). */
  sampleInterval?: string | number | bigint;
  /** Return samples kept (default 300). */
  window?: number;
  /** Samples needed before VaR is computed (default 20). */
  minSamples?: number;
  /** VaR confidence (default 0.99). */
  confidence?: number;
  /** Something with `html(text)` that replaces an output in place (the kernel's display handle). */
  display?: { html(html: string): unknown };
  /** Minimum wall-clock ms between display refreshes (default 250). */
  displayEveryMs?: number;
}

/** One recomputation. */
export interface RiskSnapshot {
  /** Event time (ns since the run's base). */
  readonly t: number;
  readonly positions: Readonly<Record<string, number>>;
  readonly exposures: Readonly<Record<string, number>>;
  readonly gross: number;
  readonly net: number;
  readonly pnl: number;
  readonly varParametric: number;
  readonly varHistorical: number;
  /** Each symbol's share of the parametric VaR (Euler allocation). */
  readonly varContributions: Readonly<Record<string, number>>;
  readonly update: number;
}

/** A limit entered (`cleared: false`) or left (`cleared: true`). */
export interface LimitBreach {
  readonly limit: keyof RiskLimits;
  readonly value: number;
  readonly threshold: number;
  readonly t: number;
  readonly symbol?: string;
  readonly cleared: boolean;
}

/** Latency of the updates, in microseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  /**
   * The same updates' CPU time (µs, this process's CPU clock across the update): on a shared machine
   * the wall-clock figures above include time the process spent descheduled; these do not.
   */
  readonly cpuP50: number;
  readonly cpuP99: number;
}

type VaRFigures = { varParametric: number; varHistorical: number; varContributions: Record<string, number> };

/** Same held symbols with the same exposures (bit for bit). */
function sameHolding(heldA: readonly number[], heldB: readonly number[], wA: Float64Array, wB: Float64Array): boolean {
  if (heldA.length !== heldB.length) return false;
  for (let k = 0; k < heldA.length; k++) if (heldA[k] !== heldB[k] || !Object.is(wA[k], wB[k])) return false;
  return true;
}

const LIMIT_KEYS = ["maxGross", "maxNet", "maxPosition", "maxVaR", "maxLoss"] as const;
const isLimits = (v: unknown): v is RiskLimits =>
  typeof v === "object" && v !== null && Object.entries(v).every(([k, x]) => (LIMIT_KEYS as readonly string[]).includes(k) && (x === undefined || (typeof x === "number" && x > 0)));

export class RiskMonitor implements RunObserver {
  readonly #o;
  readonly #sample: number;
  readonly #symbols: string[] = [];
  readonly #pos: number[] = [];
  readonly #mid: number[] = [];
  readonly #lastSampleMid: number[] = [];
  readonly #returns: Float64Array[] = [];
  #samples = 0;
  #nextSample = Number.NaN;
  #cash = 0;
  #t = 0;
  #next = 0;
  #lastDisplay = -Infinity;
  #latency = new Float64Array(4096);
  #cpu = new Float64Array(4096);
  #nLatency = 0;
  #active = new Set<string>();
  #listeners = { breach: [] as ((b: LimitBreach) => void)[], update: [] as ((s: RiskSnapshot) => void)[] };
  readonly breaches: LimitBreach[] = [];
  #last: RiskSnapshot | undefined;
  /** Exposures of the last update (reused buffer). */
  #w = new Float64Array(8);
  /** Historical-VaR book series (reused buffer). */
  #book = new Float64Array(0);
  /** Covariances of symbol pairs (upper triangle of an n × n grid) and the sample count each was computed at. */
  #cov = new Float64Array(0);
  #covAt = new Float64Array(0);
  #covN = -1;
  /** The last VaR figures and what they were computed from. */
  #lastVar: { samples: number; version: number; held: number[]; weights: Float64Array; figures: VaRFigures } | undefined;
  /** Bumped when the symbol table changes (a cached VaR is then stale). */
  #version = 0;

  constructor(options?: RiskMonitorOptions) {
    this.#o = readOptions("RiskMonitor", options, {
      limits: opt.custom<RiskLimits>(`an object of ${LIMIT_KEYS.join(", ")} (numbers > 0)`, () => ({}), isLimits),
      intervalMs: opt.number(10, { min: 0, open: "min" }),
      sampleInterval: opt.custom<string | number | bigint>("a span such as \"1s\"", () => "1s", (v): v is string => typeof v === "string" || typeof v === "number" || typeof v === "bigint"),
      window: opt.integer(300, { min: 3, max: 1_000_000 }),
      minSamples: opt.integer(20, { min: 3 }),
      confidence: opt.number(0.99, { min: 0, max: 1, open: true }),
      display: opt.optional(opt.custom<{ html(h: string): unknown }>("an object with an html(text) method (a display handle)", () => undefined as never, (v): v is { html(h: string): unknown } => typeof v === "object" && v !== null && typeof (v as { html?: unknown }).html === "function")),
      displayEveryMs: opt.number(250, { min: 0 }),
    });
    this.#sample = Number(parseSpan("RiskMonitor", "sampleInterval", this.#o.sampleInterval));
  }

  /** Listens to limit breaches or to every update; returns the function that stops listening. */
  on(event: "breach", fn: (b: LimitBreach) => void): () => void;
  on(event: "update", fn: (s: RiskSnapshot) => void): () => void;
  on(event: "breach" | "update", fn: ((b: LimitBreach) => void) | ((s: RiskSnapshot) => void)): () => void {
    if (event !== "breach" && event !== "update") throw new RangeError(`RiskMonitor.on: event must be "breach" or "update", got ${JSON.stringify(event)}`);
    const list = this.#listeners[event] as unknown[];
    list.push(fn);
    return () => list.splice(list.indexOf(fn), 1);
  }

  #ensure(sym: number, symbol: string): void {
    this.#version++;
    for (let k = this.#symbols.length; k <= sym; k++) {
      this.#symbols[k] = "";
      this.#pos[k] = 0;
      this.#mid[k] = Number.NaN;
      this.#lastSampleMid[k] = Number.NaN;
      this.#returns[k] = new Float64Array(this.#o.window).fill(Number.NaN);
    }
    this.#symbols[sym] = symbol;
  }

  onQuote(sym: number, symbol: string, bid: number, ask: number, t: number): void {
    if (this.#symbols[sym] !== symbol) this.#ensure(sym, symbol);
    this.#t = t;
    // a sample at grid time g takes the mids prevailing just before g
    if (this.#nextSample !== this.#nextSample) this.#nextSample = t + this.#sample;
    while (t >= this.#nextSample) this.#takeSample();
    const mid = (bid + ask) / 2;
    if (mid === mid) this.#mid[sym] = mid;
  }

  /** Appends one return per symbol (mid now vs the previous sample; 0 for an unquoted symbol). */
  #takeSample(): void {
    const k = this.#samples % this.#o.window;
    for (let s = 0; s < this.#symbols.length; s++) {
      const m = this.#mid[s] as number;
      const prev = this.#lastSampleMid[s] as number;
      (this.#returns[s] as Float64Array)[k] = prev > 0 && m > 0 ? m / prev - 1 : 0;
      this.#lastSampleMid[s] = m;
    }
    this.#samples++;
    this.#nextSample += this.#sample;
  }

  onFill(f: StrategyFill): void {
    if (this.#symbols[f.sym] !== f.symbol) this.#ensure(f.sym, f.symbol);
    this.#pos[f.sym] = (this.#pos[f.sym] as number) + f.side * f.quantity;
    this.#cash -= f.side * f.quantity * f.price;
  }

  onClock(nowMs: number, t: number): void {
    this.#t = t;
    if (nowMs >= this.#next) {
      // one update per slot of a fixed wall-clock grid (not intervalMs after the last one: a late clock
      // reading would then stretch every interval and the rate would stay below 1/intervalMs)
      const iv = this.#o.intervalMs;
      this.#next = (Math.floor(nowMs / iv) + 1) * iv;
      this.update();
    }
  }

  /** Recomputes now (the runner calls it at ≥ 1/intervalMs); returns the snapshot. */
  update(): RiskSnapshot {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const snap = this.#compute();
    this.#last = snap;
    this.#checkLimits(snap);
    const took = (performance.now() - start) * 1000;
    const c = process.cpuUsage(cpu0);
    if (this.#nLatency === this.#latency.length) {
      const grow = (a: Float64Array) => {
        const g = new Float64Array(a.length * 2);
        g.set(a);
        return g;
      };
      this.#latency = grow(this.#latency);
      this.#cpu = grow(this.#cpu);
    }
    this.#cpu[this.#nLatency] = c.user + c.system;
    this.#latency[this.#nLatency++] = took;
    for (const fn of this.#listeners.update) fn(snap);
    const d = this.#o.display;
    if (d !== undefined && start - this.#lastDisplay >= this.#o.displayEveryMs) {
      this.#lastDisplay = start;
      d.html(this.toHTML());
    }
    return snap;
  }

  #compute(): RiskSnapshot {
    const n = this.#symbols.length;
    const positions: Record<string, number> = {};
    const exposures: Record<string, number> = {};
    if (this.#w.length < n) this.#w = new Float64Array(Math.max(n, 2 * this.#w.length));
    const w = this.#w;
    let gross = 0;
    let net = 0;
    let pnl = this.#cash;
    for (let s = 0; s < n; s++) {
      const q = this.#pos[s] as number;
      const m = this.#mid[s] as number;
      const e = q === 0 ? 0 : q * m;
      w[s] = e;
      positions[this.#symbols[s] as string] = q;
      exposures[this.#symbols[s] as string] = e;
      gross += Math.abs(e);
      net += e;
      pnl += e;
    }
    const v = this.#var(w, n);
    return Object.freeze({ t: this.#t, positions, exposures, gross, net, pnl, varParametric: v.varParametric, varHistorical: v.varHistorical, varContributions: v.varContributions, update: this.#nLatency + 1 });
  }

  /**
   * Parametric and historical VaR of exposures `w` over the sampled returns. Incremental: nothing is
   * recomputed when neither the exposures of the held symbols nor the samples changed since the last
   * update, and each covariance is computed once per sample (see {@link #pairCovariance}).
   */
  #var(w: Float64Array, n: number): VaRFigures {
    const m = Math.min(this.#samples, this.#o.window);
    const held: number[] = [];
    for (let s = 0; s < n; s++) {
      const x = w[s] as number;
      if (x !== 0 && x === x) held.push(s);
    }
    if (held.length === 0) return { varParametric: 0, varHistorical: 0, varContributions: {} };
    if (m < this.#o.minSamples) return { varParametric: Number.NaN, varHistorical: Number.NaN, varContributions: {} };
    const weights = new Float64Array(held.length);
    for (let k = 0; k < held.length; k++) weights[k] = w[held[k] as number] as number;
    const last = this.#lastVar;
    if (last !== undefined && last.samples === this.#samples && last.version === this.#version && sameHolding(last.held, held, last.weights, weights)) {
      return { ...last.figures, varContributions: { ...last.figures.varContributions } };
    }
    const figures = this.#varOf(held, weights, m);
    this.#lastVar = { samples: this.#samples, version: this.#version, held, weights, figures };
    return { ...figures, varContributions: { ...figures.varContributions } };
  }

  #varOf(held: number[], weights: Float64Array, m: number): VaRFigures {
    const h = held.length;
    const cov: Float64Array[] = [];
    for (let i = 0; i < h; i++) {
      const row = new Float64Array(h);
      for (let j = 0; j < h; j++) row[j] = this.#pairCovariance(held[i] as number, held[j] as number, m);
      cov.push(row);
    }
    const contributions: Record<string, number> = {};
    let varParametric = 0;
    try {
      const d = componentVaR(weights, cov, { confidence: this.#o.confidence });
      varParametric = d.total;
      for (let k = 0; k < h; k++) contributions[this.#symbols[held[k] as number] as string] = d.component[k] as number;
    } catch {
      varParametric = 0; // returns all zero so far: no measurable risk
    }
    const book = this.#book.length === m ? this.#book.fill(0) : (this.#book = new Float64Array(m));
    for (let i = 0; i < m; i++) for (let k = 0; k < h; k++) book[i] = (book[i] as number) + (weights[k] as number) * ((this.#returns[held[k] as number] as Float64Array)[i] as number);
    const varHistorical = valueAtRisk(book, { confidence: this.#o.confidence, method: "historical" });
    return { varParametric, varHistorical, varContributions: contributions };
  }

  /** Covariance of two symbols' sampled returns, computed once per sample taken (covariance(a, b) = covariance(b, a) bit for bit). */
  #pairCovariance(a: number, b: number, m: number): number {
    const n = this.#symbols.length;
    if (this.#covN !== n) {
      this.#covN = n;
      this.#cov = new Float64Array(n * n);
      this.#covAt = new Float64Array(n * n).fill(-1);
    }
    const k = a <= b ? a * n + b : b * n + a;
    if (this.#covAt[k] !== this.#samples) {
      this.#cov[k] = covariance((this.#returns[a] as Float64Array).subarray(0, m), (this.#returns[b] as Float64Array).subarray(0, m));
      this.#covAt[k] = this.#samples;
    }
    return this.#cov[k] as number;
  }

  #checkLimits(s: RiskSnapshot): void {
    const L = this.#o.limits;
    const check = (limit: keyof RiskLimits, value: number, threshold: number | undefined, symbol?: string) => {
      if (threshold === undefined || value !== value) return;
      const key = symbol === undefined ? limit : `${limit}:${symbol}`;
      const over = value > threshold;
      if (over === this.#active.has(key)) return;
      if (over) this.#active.add(key);
      else this.#active.delete(key);
      const b: LimitBreach = Object.freeze({ limit, value, threshold, t: s.t, ...(symbol === undefined ? {} : { symbol }), cleared: !over });
      this.breaches.push(b);
      for (const fn of this.#listeners.breach) fn(b);
    };
    check("maxGross", s.gross, L.maxGross);
    check("maxNet", Math.abs(s.net), L.maxNet);
    check("maxVaR", s.varParametric, L.maxVaR);
    check("maxLoss", -s.pnl, L.maxLoss);
    if (L.maxPosition !== undefined) for (const [sym, q] of Object.entries(s.positions)) check("maxPosition", Math.abs(q), L.maxPosition, sym);
  }

  /** The last snapshot (undefined before the first update). */
  get snapshot(): RiskSnapshot | undefined {
    return this.#last;
  }

  /** Per-update latency in µs: count, p50, p90, p99, max (wall-clock), and the CPU-time p50 and p99. */
  latency(): LatencySummary {
    const x = this.#latency.slice(0, this.#nLatency).sort();
    const c = this.#cpu.slice(0, this.#nLatency).sort();
    return Object.freeze({
      count: x.length, p50: quantileSorted(x, 0.5), p90: quantileSorted(x, 0.9), p99: quantileSorted(x, 0.99), max: x.length ? (x[x.length - 1] as number) : Number.NaN,
      cpuP50: quantileSorted(c, 0.5), cpuP99: quantileSorted(c, 0.99),
    });
  }

  /** The live panel: book figures, per-symbol rows, latency and breaches. */
  toHTML(): string {
    const s = this.#last;
    const f = (x: number, d = 0) => (x === x ? x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : "n/a");
    const lat = this.latency();
    const rows = s ? Object.keys(s.positions).map((k) => `<tr><td>${esc(k)}</td><td>${f(s.positions[k] as number)}</td><td>${f(s.exposures[k] as number)}</td><td>${f(s.varContributions[k] ?? Number.NaN)}</td></tr>`).join("") : "";
    const open = [...this.#active].map(esc).join(", ") || "none";
    return `<div class="statarb-risk"><b>Risk monitor</b> — update ${s?.update ?? 0}, P&amp;L ${f(s?.pnl ?? 0, 2)}, gross ${f(s?.gross ?? 0)}, net ${f(s?.net ?? 0)}, VaR${Math.round(this.#o.confidence * 100)} parametric ${f(s?.varParametric ?? Number.NaN, 2)} / historical ${f(s?.varHistorical ?? Number.NaN, 2)}; latency p50 ${f(lat.p50, 1)} µs, p99 ${f(lat.p99, 1)} µs; limits breached: ${open} (${this.breaches.filter((b) => !b.cleared).length} breach events)
<table><thead><tr><th>symbol</th><th>position</th><th>exposure</th><th>VaR contribution</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  }

  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/html": this.toHTML(), "text/plain": `RiskMonitor (${this.#nLatency} updates)` };
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

/** A risk monitor (see the module doc). */
export function riskMonitor(options?: RiskMonitorOptions): RiskMonitor {
  return new RiskMonitor(options);
}
