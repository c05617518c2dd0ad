/**
 * `reproduceAvellanedaLee`: what `npx statarb reproduce avellaneda-lee` runs — loads sp500-2003-2007
 * (back-adjusted closes, GICS sectors), runs the paper's strategies under both execution conventions
 * (lib/backtest's `runAvellanedaLee`), trades the 15-factor targets once more through lib/portfolio's
 * cost-aware rebalancers (a no-trade band and two turnover penalties), and writes summary.json,
 * daily.csv and report.html (./avellaneda-lee.ts). Timings of each stage are returned.
 */
import { type AvellanedaLeeOptions, type AvellanedaLeeRun, type AvellanedaLeeStudy, type AvellanedaLeeVariant, backtestWeights, describeRebalancer, runAvellanedaLee } from "../backtest/index.js";
import { datasetInfo, loadDataset, opt, type Panel, readOptions } from "../data/index.js";
import { noTradeBand, type Rebalancer, turnoverPenalty } from "../portfolio/index.js";
import { type AvellanedaLeeSummary, avellanedaLeeSummary, writeAvellanedaLee } from "./avellaneda-lee.js";

/** Options of {@link reproduceAvellanedaLee}. */
export interface ReproduceAvellanedaLeeOptions {
  /** Output folder (default "out/avellaneda-lee"). */
  out?: string;
  /** Strategies (default all four: "pca-15", "pca-55", "etf", "pca-15-library"). */
  variants?: readonly AvellanedaLeeVariant[];
  /** Also trade the pca-15 targets through the cost-aware rebalancers (default true). */
  constructions?: boolean;
  /** Dataset cache folder (default as loadDataset). */
  cacheDir?: string;
  /** Footer timestamp of the report (default now). */
  generatedAt?: string;
}

/** Result of {@link reproduceAvellanedaLee}. */
export interface ReproduceAvellanedaLeeResult {
  readonly study: AvellanedaLeeStudy;
  readonly summary: AvellanedaLeeSummary;
  readonly paths: { readonly summary: string; readonly daily: string; readonly report: string };
  /** Wall-clock seconds of each stage. */
  readonly seconds: { readonly load: number; readonly strategies: number; readonly constructions: number; readonly write: number; readonly total: number };
}

/** The cost-aware rebalancers the reproduction compares with trading straight to the target. */
export const REPRODUCTION_REBALANCERS: readonly (() => Rebalancer)[] = Object.freeze([
  () => noTradeBand({ band: 0.002 }),
  () => turnoverPenalty({ penalty: 0.002 }),
  () => turnoverPenalty({ penalty: 0.004 }),
]);

const VARIANTS = ["pca-15", "pca-55", "etf", "pca-15-library"] as const;

/** Runs the reproduction and writes its files. */
export async function reproduceAvellanedaLee(options?: ReproduceAvellanedaLeeOptions): Promise<ReproduceAvellanedaLeeResult> {
  const o = readOptions("reproduceAvellanedaLee", options, {
    out: opt.string("out/avellaneda-lee", { nonEmpty: true }),
    variants: opt.custom(`a non-empty array of ${VARIANTS.map((v) => `"${v}"`).join(", ")}`, () => [...VARIANTS] as readonly AvellanedaLeeVariant[], (v): v is readonly AvellanedaLeeVariant[] => Array.isArray(v) && v.length > 0 && v.every((x) => (VARIANTS as readonly unknown[]).includes(x)), "range"),
    constructions: opt.boolean(true),
    cacheDir: opt.optional(opt.string("", { nonEmpty: true })),
    generatedAt: opt.optional(opt.string("", { nonEmpty: true })),
  });
  const t0 = performance.now();
  const prices = await loadDataset("sp500-2003-2007", o.cacheDir === undefined ? {} : { cacheDir: o.cacheDir });
  const sectorOf = datasetInfo("sp500-2003-2007").sectors as Readonly<Record<string, string>>;
  const sectors = prices.assets.map((a) => sectorOf[a] as string);
  const t1 = performance.now();
  const base: AvellanedaLeeOptions = { variants: o.variants, sectors };
  const study = runAvellanedaLee(prices, base);
  const t2 = performance.now();
  const extra = o.constructions ? constructionRuns(prices, study) : [];
  const all: AvellanedaLeeStudy = Object.freeze({ ...study, runs: Object.freeze([...study.runs, ...extra]) });
  const t3 = performance.now();
  const paths = await writeAvellanedaLee(o.out, all, o.generatedAt === undefined ? {} : { generatedAt: o.generatedAt });
  const t4 = performance.now();
  const s = (a: number, b: number): number => Math.round((b - a) / 10) / 100;
  return Object.freeze({ study: all, summary: avellanedaLeeSummary(all), paths, seconds: { load: s(t0, t1), strategies: s(t1, t2), constructions: s(t2, t3), write: s(t3, t4), total: s(t0, t4) } });
}

/** The first variant's targets traded through each reproduction rebalancer, under each convention. */
function constructionRuns(prices: Panel, study: AvellanedaLeeStudy): AvellanedaLeeRun[] {
  const baseRuns = study.runs.filter((r) => r.variant === study.runs[0]?.variant);
  const out: AvellanedaLeeRun[] = [];
  for (const make of REPRODUCTION_REBALANCERS) {
    for (const r of baseRuns) {
      const rebalancer = make();
      const result = backtestWeights(prices, r.targets, { fillAt: r.fillAt, costs: study.params.costPerSide as number, rebalancer, start: prices.dates[study.startRow] as number });
      out.push(Object.freeze({ ...r, construction: describeRebalancer(rebalancer), result }));
    }
  }
  return out;
}
