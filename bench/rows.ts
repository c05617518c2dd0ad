/**
 * bench/rows: the one place a bench records its rows for `npm run bench`'s per-row summary (issue 16:
 * "prints one line per row: statarb, peer, ratio, target, met/missed").
 *
 * A bench's summariser calls `writeRows(area, rows)` once, at the end of its run. The rows go to
 * bench/results/<area>.rows.json (or <area>.<part>.rows.json when an area has several scripts, e.g.
 * signals' pca), written atomically (a temporary file renamed over the old one), so a run that dies
 * half-way leaves the previous file whole. scripts/bench prints them with bench/rows-print.ts.
 *
 * Ratio direction, everywhere: `ratio` is statarb's lead — above 1× statarb is ahead. For a time
 * (lower is better) it is peer time / statarb time; for a rate (higher is better) statarb rate / peer
 * rate. `lead(statarb, peer, "time" | "rate")` computes it so no bench has to remember. A row may carry
 * the same figures per CPU-second in `cpu` beside the wall-clock ones.
 *
 * The same schema is written by bench/rows.py for the benches whose summariser is Python.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export type Verdict = "met" | "missed" | "info";
export const VERDICTS: readonly Verdict[] = ["met", "missed", "info"];

/** The same measurement per CPU-second (statarb's and the peer's CPU figures and statarb's lead). */
export interface CpuFigures {
  statarb: number | null;
  peer: number | null;
  ratio: number | null;
}

/** One row of a bench section, as a bench records it. */
export interface BenchRow {
  /** What is measured (the section's row label; short). */
  row: string;
  /** statarb's figure, in `unit` (wall clock unless the row says otherwise). */
  statarb: number | null;
  /** The peer's figure in the same run, in `unit`; null when the row has no peer (a target only). */
  peer: number | null;
  /** Which peer (e.g. "statsmodels OLS.fit"). */
  peerName?: string;
  /** statarb's lead: above 1 = statarb ahead (see `lead`); null without a peer. */
  ratio: number | null;
  /** Unit of `statarb` and `peer`, e.g. "ms", "M ops/s". */
  unit: string;
  /** The target as the issue states it, e.g. "≥ 1×", "≤ 5 ms"; null when the row has none. */
  target: string | null;
  verdict: Verdict;
  /** Load average (1, 5, 15 min) during the measurement, as text. */
  load: string;
  cpu?: CpuFigures;
  /** A short qualifier printed beside the verdict, e.g. "missed on wall only". */
  note?: string;
}

export interface RowsFile {
  area: string;
  part?: string;
  /** ISO time the file was written. */
  written: string;
  command?: string;
  rows: (BenchRow & { area: string })[];
}

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const RESULTS_DIR = join(ROOT, "bench/results");

/** statarb's lead over the peer: peer/statarb for a time (lower is better), statarb/peer for a rate. */
export function lead(statarb: number, peer: number, kind: "time" | "rate"): number {
  if (kind !== "time" && kind !== "rate") throw new TypeError(`lead: kind must be "time" or "rate", got ${JSON.stringify(kind)}`);
  for (const [name, v] of [["statarb", statarb], ["peer", peer]] as const)
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`lead: ${name} must be a finite number > 0, got ${v}`);
  return kind === "time" ? peer / statarb : statarb / peer;
}

/** The machine's load average now, as the rows record it ("8.82 9.15 8.47"). */
export function loadNow(): string {
  return loadavg().map((v) => v.toFixed(2)).join(" ");
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

function checkNumber(where: string, v: unknown): void {
  if (v !== null && (typeof v !== "number" || !Number.isFinite(v)))
    throw new TypeError(`${where} must be a finite number or null, got ${JSON.stringify(v)}`);
}

function checkString(where: string, v: unknown, nullable: boolean): void {
  if (v === undefined || (v === null && !nullable) || (v !== null && (typeof v !== "string" || v.trim() === "")))
    throw new TypeError(`${where} must be a non-empty string${nullable ? " or null" : ""}, got ${JSON.stringify(v)}`);
}

/** Checks one row; throws a TypeError naming the row, the field, the value and what is allowed. */
export function checkRow(row: BenchRow, i = 0): void {
  const at = `row ${i} (${typeof row?.row === "string" ? JSON.stringify(row.row) : "?"})`;
  if (row === null || typeof row !== "object") throw new TypeError(`${at} must be an object, got ${JSON.stringify(row)}`);
  const known = new Set(["row", "statarb", "peer", "peerName", "ratio", "unit", "target", "verdict", "load", "cpu", "note"]);
  for (const k of Object.keys(row)) if (!known.has(k)) throw new TypeError(`${at}: unknown field ${JSON.stringify(k)} (allowed: ${[...known].join(", ")})`);
  checkString(`${at}.row`, row.row, false);
  checkString(`${at}.unit`, row.unit, false);
  checkString(`${at}.load`, row.load, false);
  checkString(`${at}.target`, row.target, true);
  for (const k of ["peerName", "note"] as const) if (row[k] !== undefined) checkString(`${at}.${k}`, row[k], false);
  for (const k of ["statarb", "peer", "ratio"] as const) checkNumber(`${at}.${k}`, row[k]);
  if (row.cpu !== undefined) for (const k of ["statarb", "peer", "ratio"] as const) checkNumber(`${at}.cpu.${k}`, row.cpu?.[k]);
  if (!VERDICTS.includes(row.verdict)) throw new TypeError(`${at}.verdict must be one of ${VERDICTS.join(", ")}, got ${JSON.stringify(row.verdict)}`);
}

/** The rows file's path for an area (and part). */
export function rowsPath(area: string, part?: string, dir = RESULTS_DIR): string {
  return join(dir, `${part === undefined ? area : `${area}.${part}`}.rows.json`);
}

/**
 * Records an area's rows: checks every row, then writes bench/results/<area>[.<part>].rows.json
 * atomically (tmp + rename). Nothing is written when a row is bad. Returns the file's path.
 */
export function writeRows(area: string, rows: readonly BenchRow[], options: { part?: string; command?: string; dir?: string } = {}): string {
  if (typeof area !== "string" || !NAME.test(area)) throw new TypeError(`writeRows: area must match ${NAME}, got ${JSON.stringify(area)}`);
  if (options.part !== undefined && (typeof options.part !== "string" || !NAME.test(options.part)))
    throw new TypeError(`writeRows: options.part must match ${NAME}, got ${JSON.stringify(options.part)}`);
  if (!Array.isArray(rows)) throw new TypeError(`writeRows: rows must be an array, got ${typeof rows}`);
  rows.forEach((r, i) => checkRow(r, i));
  const file: RowsFile = {
    area,
    ...(options.part === undefined ? {} : { part: options.part }),
    written: new Date().toISOString(),
    ...(options.command === undefined ? {} : { command: options.command }),
    rows: rows.map((r) => ({ area, ...r })),
  };
  const dir = options.dir ?? RESULTS_DIR;
  mkdirSync(dir, { recursive: true });
  const path = rowsPath(area, options.part, dir);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 1)}\n`);
  renameSync(tmp, path);
  return path;
}

/** Every rows file in `dir`, sorted by name (area, then part); a malformed file throws naming it. */
export function readRows(dir = RESULTS_DIR): RowsFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".rows.json")).sort();
  } catch {
    return [];
  }
  return names.map((n) => {
    const f = JSON.parse(readFileSync(join(dir, n), "utf8")) as RowsFile;
    if (typeof f?.area !== "string" || typeof f.written !== "string" || !Array.isArray(f.rows)) throw new TypeError(`${join(dir, n)}: not a rows file (area, written, rows)`);
    f.rows.forEach((r, i) => {
      const { area, ...row } = r;
      checkRow(row, i);
      if (area !== f.area) throw new TypeError(`${join(dir, n)}: row ${i} has area ${JSON.stringify(area)}, the file ${JSON.stringify(f.area)}`);
    });
    return f;
  });
}
