/**
 * A data generator: a seeded synthetic equity market with known structure, for tests and demos of
 * the signal models and constructions — a market factor, `nFactors` sector factors, idiosyncratic
 * noise, and one planted cointegrated pair (asset B's log-price is asset A's plus a stationary AR(1)
 * spread) among assets that share factors but are not cointegrated with each other (their
 * idiosyncratic parts are random walks). It sits beside the seeded generator it draws from: lib/data,
 * the bottom folder, imports no other folder.
 */
import { opt, Panel } from "../data/index.js";
import { createRng } from "./random.js";

/** Options of {@link syntheticPairsMarket}. */
export interface SyntheticMarketOptions {
  /** Assets (default 30). */
  nAssets?: number;
  /** Trading days (default 600). */
  nDays?: number;
  /** Seed (default 1). */
  seed?: number;
  /** Columns of the planted pair (default [3, 17], wrapped into range). */
  pair?: readonly [number, number];
  /** AR(1) coefficient of the pair's log spread (default 0.9: half-life ≈ 6.6 days). */
  spreadPersistence?: number;
  /** Daily std of the spread's innovations (default 0.01). */
  spreadVolatility?: number;
  /** Daily idiosyncratic volatility of the other assets (default 0.012). */
  idiosyncraticVolatility?: number;
}

export interface SyntheticMarket {
  readonly prices: Panel;
  /** Names of the planted pair. */
  readonly pair: readonly [string, string];
}

const SYNTHETIC_KEYS = opt.optionKeys<SyntheticMarketOptions>()(["nAssets", "nDays", "seed", "pair", "spreadPersistence", "spreadVolatility", "idiosyncraticVolatility"]);

export function syntheticPairsMarket(options: SyntheticMarketOptions = {}): SyntheticMarket {
  const W = "syntheticPairsMarket";
  opt.checkKeys(W, options, SYNTHETIC_KEYS);
  const n = opt.positiveInt(W, "nAssets", options.nAssets, 30);
  const T = opt.positiveInt(W, "nDays", options.nDays, 600);
  if (n < 2) throw new RangeError(`${W}: nAssets must be at least 2`);
  const phi = opt.finiteIn(W, "spreadPersistence", options.spreadPersistence, 0.9, 0, 1, true);
  const sv = opt.finiteIn(W, "spreadVolatility", options.spreadVolatility, 0.01, 0, 1);
  const iv = opt.finiteIn(W, "idiosyncraticVolatility", options.idiosyncraticVolatility, 0.012, 0, 1);
  const [pa0, pb0] = options.pair ?? [3, 17];
  const pa = pa0 % n;
  let pb = pb0 % n;
  if (pb === pa) pb = (pa + 1) % n;
  const rng = createRng((options.seed ?? 1) >>> 0);
  const sectors = 4;
  const dates = new Int32Array(T);
  let d = Date.UTC(2015, 0, 5) / 86_400_000;
  for (let i = 0; i < T; i++) {
    while ((((d + 3) % 7) + 7) % 7 >= 5) d++;
    dates[i] = d++;
  }
  const mkt = Float64Array.from({ length: T }, () => 0.01 * rng.normal());
  const sec = Array.from({ length: sectors }, () => Float64Array.from({ length: T }, () => 0.006 * rng.normal()));
  const logp: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const beta = 0.7 + 0.6 * rng.next();
    const s = sec[j % sectors] as Float64Array;
    const x = new Float64Array(T);
    let v = Math.log(20 + 80 * rng.next());
    for (let t = 0; t < T; t++) {
      v += 0.0002 + beta * (mkt[t] as number) + (s[t] as number) + iv * rng.normal();
      x[t] = v;
    }
    logp.push(x);
  }
  // B = A + level + stationary spread
  const a = logp[pa] as Float64Array;
  const b = new Float64Array(T);
  let e = 0;
  const level = 0.2;
  for (let t = 0; t < T; t++) {
    e = phi * e + sv * rng.normal();
    b[t] = (a[t] as number) + level + e;
  }
  logp[pb] = b;
  const assets = Array.from({ length: n }, (_, j) => `S${String(j).padStart(3, "0")}`);
  const prices = new Panel(dates, assets, logp.map((x) => x.map(Math.exp)));
  return Object.freeze({ prices, pair: Object.freeze([assets[pa] as string, assets[pb] as string]) as readonly [string, string] });
}
