/**
 * Adapter from a {@link PortfolioConstruction} to the backtester's `portfolio` option
 * (`(scores, { date, row, assets }) => weights`): at each rebalance the risk inputs (trailing
 * covariance, volatilities, betas) are estimated from the prices up to that date only, through a
 * view cut at the decision date. Before `riskWindow` dates exist the book is flat.
 */
import { opt, type Panel, PanelView, readOptions } from "../data/index.js";
import type { PortfolioConstruction } from "./construction.js";
import { trailingRiskModel } from "./covariance.js";

/** Options of {@link backtestPortfolio}. */
export interface BacktestPortfolioOptions {
  /** Days of returns behind the risk inputs (default 252). */
  riskWindow?: number;
  /** Shrinkage of the covariance towards its diagonal (default 0). */
  shrinkage?: number;
  /** Sector label per asset, passed through as context.sectors (default none). */
  sectors?: readonly (string | number)[];
}

const isLabels = (x: unknown): x is readonly (string | number)[] => Array.isArray(x) && x.every((v) => typeof v === "string" || typeof v === "number");

const BACKTEST_PORTFOLIO_OPTIONS = {
  riskWindow: opt.positiveInteger(252),
  shrinkage: opt.numberIn(0, 0, 1),
  sectors: opt.optional(opt.custom("an array of sector labels (strings or numbers), one per asset", () => undefined, isLabels)),
} satisfies Record<keyof BacktestPortfolioOptions, opt.OptionRule<unknown>>;

export function backtestPortfolio(construction: PortfolioConstruction, prices: Panel, options: BacktestPortfolioOptions = {}): (scores: Float64Array, context: { date: number; row: number }) => Float64Array {
  if (typeof construction?.weights !== "function") throw new TypeError("backtestPortfolio: construction must be a PortfolioConstruction (weights(scores, context))");
  const { riskWindow: window, shrinkage, sectors } = readOptions("backtestPortfolio", options, BACKTEST_PORTFOLIO_OPTIONS);
  if (sectors !== undefined && sectors.length !== prices.nAssets) throw new RangeError(`backtestPortfolio: sectors has ${sectors.length} labels for ${prices.nAssets} assets`);
  return (scores, ctx) => {
    const view = new PanelView(prices, ctx.date);
    if (view.nDates <= window) return new Float64Array(scores.length);
    const risk = trailingRiskModel(view, { window, shrinkage });
    return construction.weights(scores, sectors === undefined ? risk : { ...risk, sectors });
  };
}
