/**
 * lib/portfolio: scores → target weights. Dollar- and beta-neutral long/short, top-k/bottom-k,
 * constrained mean-variance (own ADMM QP, checked against cvxpy), risk parity, Kelly fraction and
 * volatility targeting, plus trailing risk inputs (covariance, volatilities, betas) from a view.
 */
export type { ConstructionContext, PortfolioConstruction } from "./construction.js";
export { DollarNeutral, dollarNeutral } from "./dollar-neutral.js";
export type { DollarNeutralOptions } from "./dollar-neutral.js";
export { BetaNeutral, betaNeutral } from "./beta-neutral.js";
export type { BetaNeutralOptions } from "./beta-neutral.js";
export { TopKBottomK, topKBottomK } from "./top-k.js";
export type { TopKBottomKOptions } from "./top-k.js";
export { MeanVariance, meanVariance } from "./mean-variance.js";
export type { MeanVarianceOptions, MeanVarianceDiagnostics } from "./mean-variance.js";
export { RiskParity, riskParity, equalRiskContribution } from "./risk-parity.js";
export type { RiskParityOptions } from "./risk-parity.js";
export { KellyFraction, kellyFraction } from "./kelly.js";
export type { KellyFractionOptions } from "./kelly.js";
export { VolatilityTarget, volatilityTarget, portfolioVolatility, scaleToVolatility } from "./volatility-target.js";
export type { VolatilityTargetOptions } from "./volatility-target.js";
export { trailingRiskModel } from "./covariance.js";
export type { TrailingRiskOptions, TrailingRisk } from "./covariance.js";
export { solveQP } from "./internal/qp.js";
export type { QPProblem, QPOptions, QPSolution } from "./internal/qp.js";
export { backtestPortfolio } from "./backtest-portfolio.js";
export type { BacktestPortfolioOptions } from "./backtest-portfolio.js";
export type { Rebalancer } from "./rebalancer.js";
export { NoTradeBand, noTradeBand } from "./no-trade-band.js";
export type { NoTradeBandOptions } from "./no-trade-band.js";
export { TurnoverPenalty, turnoverPenalty } from "./turnover-penalty.js";
export type { TurnoverPenaltyOptions } from "./turnover-penalty.js";
export { MinimumHolding, minimumHolding } from "./minimum-holding.js";
export type { MinimumHoldingOptions } from "./minimum-holding.js";
