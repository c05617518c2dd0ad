export * from "../../lib/index.js";
export * from "../../lib/plot/index.js";
export * from "../../lib/analytics/factor-attribution.js";
export * from "../../lib/analytics/sector-attribution.js";
export * from "../../lib/analytics/tearsheet.js";
export * from "../../lib/analytics/brinson.js";
