/**
 * The option rules of the bridge sessions and their calls, read with the one option helper of
 * lib/data (`readOptions`: unknown keys are errors with a "did you mean", each value read once).
 */
import { opt, type OptionRule } from "../../lib/data/index.js";

const isSignal = (v: unknown): v is AbortSignal => {
  const s = v as Partial<AbortSignal> | null;
  return typeof s === "object" && s !== null && typeof s.aborted === "boolean" && typeof s.addEventListener === "function";
};

/** A time limit in ms (0 = none); absent is `undefined` (the session's or the default applies). */
export const TIMEOUT_MS: OptionRule<number | undefined> = opt.optional(opt.number(0, { min: 0 }));

/** The options every call takes (eval, put, get, call). */
export const CALL_RULES = {
  timeoutMs: TIMEOUT_MS,
  signal: opt.optional(opt.custom<AbortSignal>("an AbortSignal", () => new AbortController().signal, isSignal)),
  onStdout: opt.callback<(text: string) => void>(),
  onStderr: opt.callback<(text: string) => void>(),
};

/** How a Panel lands in R (put's `panelAs`). */
export const PANEL_AS = opt.optional(opt.custom<"data.frame" | "xts">('"data.frame" or "xts"', () => "data.frame", (v): v is "data.frame" | "xts" => v === "data.frame" || v === "xts", "range"));
