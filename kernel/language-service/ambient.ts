/**
 * What the kernel puts in scope of every cell (`display`, `prompt`, …), declared by the kernel's
 * display module. It is a global script, so it goes in a `.d.ts` (which `moduleDetection: force`
 * leaves global) rather than in a virtual cell module.
 */
export { DISPLAY_DTS as KERNEL_GLOBALS } from "../display/display-api.js";

export const KERNEL_GLOBALS_FILE = "__statarb_kernel_globals__.d.ts";
