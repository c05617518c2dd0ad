/**
 * Adapter from a {@link PortfolioConstruction} to the backtester's `portfolio` option
 * (`(scores, { date, row, assets }) => weights`): at each rebalance the risk inputs (trailing
 * covariance, volatilities, betas) are estimated from the prices up to that date only, through a
 * view cut at the decision date. Before `riskWindow` dates exist the book is flat.
 */
import { opt, type Panel, PanelView } from "../data/index.js";
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

export function backtestPortfolio(construction: PortfolioConstruction, prices: Panel, options: BacktestPortfolioOptions = {}): (scores: Float64Array, context: { date: number; row: number }) => Float64Array {
  if (typeof construction?.weights !== "function") throw new TypeError("backtestPortfolio: construction must be a PortfolioConstruction (weights(scores, context))");
  const window = opt.positiveInt("backtestPortfolio", "riskWindow", options.riskWindow, 252);
  const shrinkage = opt.finiteIn("backtestPortfolio", "shrinkage", options.shrinkage, 0, 0, 1);
  const sectors = options.sectors;
  if (sectors !== undefined && sectors.length !== prices.nAssets) throw new RangeError(`backtestPortfolio: sectors has ${sectors.length} labels for ${prices.nAssets} assets`);
  return (scores, ctx) => {
    const view = new PanelView(prices, ctx.date);
    if (view.nDates <= window) return new Float64Array(scores.length);
    const risk = trailingRiskModel(view, { window, shrinkage });
    return construction.weights(scores, sectors === undefined ? risk : { ...risk, sectors });
  };
}
