/**
 * Corporate actions and the back-adjustment of raw closes.
 *
 * A table of actions (asset, ex-date, kind, ratio, amount, evidence) turns raw closes into adjusted
 * ones: every close before an action's ex-date t is multiplied by
 *
 *     m = (1 / ratio) · (1 − amount · ratio / P(t−1))
 *
 * where `ratio` is new shares per old share (2 for a 2:1 split, 0.1 for a 1:10 reverse split, 1 for a
 * distribution) and `amount` the cash or value paid per post-action share (0 for a split). Several
 * actions of one asset on one date combine (ratios multiply, amounts add). The last day keeps its raw
 * close; a genuine crash is untouched because only tabled actions adjust.
 *
 * - Splits and reverse splits divide earlier prices by the ratio (the CRSP/Yahoo convention).
 * - Special dividends and spin-offs are treated as the same thing — value leaving the share on the
 *   ex-date — with the proportional adjustment above, as CRSP and Yahoo do: the ex-date's adjusted
 *   return is (P(t) + amount) / P(t−1) − 1, so a holder's wealth is continuous and the distribution
 *   is reinvested in the stock. For a spin-off, `amount` is the value of the distributed shares; when
 *   the spun-off company's price is not known, the table says so and uses the observed close-to-close
 *   drop, which sets that day's adjusted return to zero.
 * - Regular dividends are not adjusted (the sp500-2003-2007 data carries none).
 *
 * {@link jumpCandidates} lists large one-day moves for a human to classify; it never adjusts anything:
 * a price-only rule misses splits whose day also moved and catches crashes that land near a ratio.
 */
import { fromEpochDay, toEpochDay } from "./dates.js";
import { number, readOptions } from "../options/index.js";
import { Panel } from "./panel.js";

/** What happened on the ex-date. */
export type CorporateActionKind = "split" | "reverse split" | "spin-off" | "special dividend";

const KINDS: readonly CorporateActionKind[] = ["split", "reverse split", "spin-off", "special dividend"];

/** One row of a corporate-actions table. */
export interface CorporateAction {
  readonly asset: string;
  /** Ex-date, ISO `YYYY-MM-DD`: the first close quoted after the action. */
  readonly date: string;
  readonly kind: CorporateActionKind;
  /** New shares per old share (2 = 2:1 split, 0.1 = 1:10 reverse split, 1 = none). */
  readonly ratio: number;
  /** Cash or value distributed per post-action share (0 for splits). */
  readonly amount: number;
  /** Why the row is believed: observed ratio, non-reversion, known event, or "price series only". */
  readonly evidence: string;
}

/** A large one-day move, for a human to classify. */
export interface JumpCandidate {
  readonly asset: string;
  /** The day of the move (the second of the two closes), ISO. */
  readonly date: string;
  /** log(P(t) / P(t−1)). */
  readonly logReturn: number;
  /** P(t−1) / P(t): 2 for a clean 2:1 split. */
  readonly priceRatio: number;
}

function isIsoDate(s: string): boolean {
  try {
    return /^\d{4}-\d{2}-\d{2}$/.test(s) && fromEpochDay(toEpochDay(s)) === s;
  } catch {
    return false;
  }
}

/** Splits one CSV line, honouring double-quoted fields. */
export function splitCSVLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k] as string;
    if (quoted) {
      if (ch === '"' && line[k + 1] === '"') (cur += '"'), k++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") out.push(cur), (cur = "");
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * Parses a corporate-actions CSV with header `asset,date,kind,ratio,amount,evidence` (lines starting
 * with `#` are comments). Every row is checked: a known kind, a positive ratio, a non-negative amount,
 * ratio ≠ 1 for splits (> 1) and reverse splits (< 1), ratio = 1 and amount > 0 for distributions,
 * an ISO date and non-empty evidence.
 */
export function parseCorporateActions(text: string, source = "corporate actions"): CorporateAction[] {
  const lines = text.split(/\r?\n/).map((l, i) => [l, i + 1] as const).filter(([l]) => l.trim() !== "" && !l.startsWith("#"));
  const header = lines.shift()?.[0];
  if (header !== "asset,date,kind,ratio,amount,evidence") throw new RangeError(`${source}: the header must be "asset,date,kind,ratio,amount,evidence", got ${JSON.stringify(header)}`);
  return lines.map(([line, n]) => {
    const f = splitCSVLine(line);
    const bad = (what: string): never => {
      throw new RangeError(`${source}: line ${n}: ${what}`);
    };
    if (f.length !== 6) bad(`${f.length} fields, expected 6`);
    const [asset, date, kind, ratioText, amountText, evidence] = f as [string, string, string, string, string, string];
    if (!isIsoDate(date)) bad(`date ${JSON.stringify(date)} is not a YYYY-MM-DD calendar date`);
    if (!(KINDS as readonly string[]).includes(kind)) bad(`kind ${JSON.stringify(kind)} is not one of ${KINDS.join(", ")}`);
    const ratio = Number(ratioText);
    const amount = Number(amountText);
    if (!(ratio > 0) || !Number.isFinite(ratio)) bad(`ratio ${JSON.stringify(ratioText)} must be a positive number`);
    if (!(amount >= 0) || !Number.isFinite(amount)) bad(`amount ${JSON.stringify(amountText)} must be a number ≥ 0`);
    if (kind === "split" && !(ratio > 1 && amount === 0)) bad(`a split has ratio > 1 and amount 0`);
    if (kind === "reverse split" && !(ratio < 1 && amount === 0)) bad(`a reverse split has ratio < 1 and amount 0`);
    if ((kind === "spin-off" || kind === "special dividend") && !(ratio === 1 && amount > 0)) bad(`a ${kind} has ratio 1 and amount > 0`);
    if (asset.trim() === "" || evidence.trim() === "") bad("asset and evidence must not be empty");
    return Object.freeze({ asset, date, kind: kind as CorporateActionKind, ratio, amount, evidence });
  });
}

/** The ex-date multiplier of earlier closes for the actions of one asset on one date. */
export function adjustmentMultiplier(actions: readonly CorporateAction[], previousClose: number): number {
  let ratio = 1;
  let amount = 0;
  for (const a of actions) (ratio *= a.ratio), (amount += a.amount);
  const m = (1 / ratio) * (1 - (amount * ratio) / previousClose);
  if (!(m > 0) || !Number.isFinite(m)) {
    throw new RangeError(`adjustPrices: ${actions[0]?.asset} on ${actions[0]?.date}: a distribution of ${amount} against a previous close of ${previousClose} (ratio ${ratio}) leaves no positive price`);
  }
  return m;
}

/** Groups actions by asset, then by ex-date row index in `panel`; refuses unknown assets or dates. */
function actionsByRow(panel: Panel, actions: readonly CorporateAction[]): Map<number, Map<number, CorporateAction[]>> {
  const out = new Map<number, Map<number, CorporateAction[]>>();
  for (const a of actions) {
    const j = panel.assetIndex(a.asset);
    if (j < 0) throw new RangeError(`adjustPrices: corporate action for ${a.asset} on ${a.date}, an asset the panel does not hold`);
    const i = panel.indexOfDate(a.date);
    if (i <= 0) throw new RangeError(`adjustPrices: corporate action for ${a.asset} on ${a.date}, which is ${i === 0 ? "the panel's first date (no earlier close to adjust)" : "not a date of the panel"}`);
    const byRow = out.get(j) ?? new Map<number, CorporateAction[]>();
    byRow.set(i, [...(byRow.get(i) ?? []), a]);
    out.set(j, byRow);
  }
  return out;
}

/**
 * Back-adjusts a panel of raw closes for `actions`: closes before each ex-date are multiplied by the
 * action's multiplier, accumulated from the last day backwards, so the last day equals the raw close.
 * Assets without actions share their column with the input.
 */
export function adjustPrices(panel: Panel, actions: readonly CorporateAction[]): Panel {
  const grouped = actionsByRow(panel, actions);
  const columns = panel.columns.map((raw, j) => {
    const byRow = grouped.get(j);
    if (byRow === undefined) return raw;
    const out = new Float64Array(raw.length);
    let m = 1;
    for (let i = raw.length - 1; i >= 0; i--) {
      out[i] = raw[i]! * m;
      const acts = byRow.get(i);
      if (acts !== undefined) {
        const prev = raw[i - 1]!;
        if (!(prev > 0)) throw new RangeError(`adjustPrices: ${panel.assets[j]} has no close before its action on ${fromEpochDay(panel.dates[i]!)}`);
        m *= adjustmentMultiplier(acts, prev);
      }
    }
    return out;
  });
  return new Panel(panel.dates, panel.assets, columns, { validate: false });
}

/** Thresholds of {@link jumpCandidates}, on the one-day log return. */
export interface JumpCandidateOptions {
  /** A fall of at least this much in log terms is a candidate (default 0.15, i.e. −13.9 %: below every split ratio ≥ 6:5 with room for the day's own move). */
  down?: number;
  /** A rise of at least this much is a candidate (default 0.35, i.e. +42 %: below every reverse split ≥ 1:2 with room for the day's own move). */
  up?: number;
}

/** Every one-day move of at least `down` (falls) or `up` (rises) in log terms, by asset then date. */
export function jumpCandidates(panel: Panel, options: JumpCandidateOptions = {}): JumpCandidate[] {
  const { down, up } = readOptions("jumpCandidates", options, { down: number(0.15, { min: 0, open: "min" }), up: number(0.35, { min: 0, open: "min" }) });
  const out: JumpCandidate[] = [];
  panel.columns.forEach((col, j) => {
    for (let i = 1; i < col.length; i++) {
      const r = Math.log(col[i]! / col[i - 1]!);
      if (r <= -down || r >= up) {
        out.push({ asset: panel.assets[j] as string, date: fromEpochDay(panel.dates[i]!), logReturn: r, priceRatio: col[i - 1]! / col[i]! });
      }
    }
  });
  return out;
}
