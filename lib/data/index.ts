export * from "./dates.js";
export * from "./panel.js";
export * from "./csv.js";
export * from "./datasets.js";
export * from "./frames.js";
