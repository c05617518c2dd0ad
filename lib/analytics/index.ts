/**
 * lib/analytics: performance metrics (empyrical definitions), attribution and reports.
 */
export * from "./metrics.js";
export * from "./performance-summary.js";
