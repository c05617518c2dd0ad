/**
 * lib/features: look-ahead-free features, O(n) per asset — returns over horizons, rolling z-scores,
 * volatility, volume signals, RSI/MACD, cross-sectional ranks, a volatility-regime label.
 */
export * from "./returns.js";
export * from "./zscore.js";
export * from "./volatility.js";
export * from "./volume.js";
export * from "./indicators.js";
export * from "./ranks.js";
export * from "./regime.js";
export * from "./rolling.js";
export * from "./ewm.js";
