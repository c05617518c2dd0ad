export * from "./dates.js";
export * from "./panel.js";
