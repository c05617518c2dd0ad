export * from "./dates.js";
export * from "./panel.js";
export { PanelView, asPanelView } from "./panel-view.js";
export type { PanelViewOptions } from "./panel-view.js";
export * from "./csv.js";
export * from "./datasets.js";
export * from "./frames.js";
export { readOptions, checkKeys, unknownOption, describeValue } from "../options/index.js";
export type { OptionRule, OptionSpec, ResolvedOptions } from "../options/index.js";
/** Option rules and single-value checkers: `readOptions(where, options, { window: opt.integer(60, { min: 1 }) })`. */
export { opt } from "../options/index.js";
export * from "./calendar.js";
export * from "./corporate-actions.js";
export { INSPECT, attachText, describeFields, fieldLines, formatCell, headTail, summarizeValue, textTable } from "./text.js";
export type { TextColumn, TextTableSpec } from "./text.js";
export { progressBar, progressText, reportProgress } from "./progress.js";
export type { Progress, ProgressBar, ProgressCallback, ProgressSink } from "./progress.js";
