/**
 * bench/rows-print: prints the rows every bench recorded (bench/rows.ts) as one aligned line per row —
 * area, row, statarb, peer, ratio (statarb's lead: above 1× statarb is ahead), target, verdict — and a
 * count of met / missed / info. scripts/bench runs it after the areas:
 *   npx tsx bench/rows-print.ts [--dir D] [--areas "a b …"] [--ran "a …"] [--failed "a …"] [--since ISO]
 * --areas: every area (its rows file missing is reported); --ran: the areas this run ran; --failed:
 * those that failed (their rows are from an earlier run, marked so); --since: when this run started
 * (a ran area's rows file older than that was not rewritten by this run, marked so). When some areas ran,
 * the rows of the others are marked with their date.
 */
import { pathToFileURL } from "node:url";
import { readRows, RESULTS_DIR, type BenchRow, type RowsFile } from "./rows.js";

export interface PrintContext {
  areas?: readonly string[];
  ran?: readonly string[];
  failed?: readonly string[];
  since?: string;
}

/** A figure with about three significant digits ("1.80", "0.0232", "8.43e-3", "13,400"). */
export function figure(v: number | null): string {
  if (v === null) return "";
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString("en");
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a >= 0.01 || a === 0) return v.toFixed(3);
  return v.toExponential(2);
}

const times = (r: number | null): string => (r === null ? "" : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`);

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** Why a file's rows are not from this run, or "" when they are (or nothing says otherwise). */
export function staleness(f: RowsFile, ctx: PrintContext): string {
  if (ctx.failed?.includes(f.area)) return `NOT rerun (failed), rows of ${f.written.slice(0, 16)}Z`;
  if (ctx.ran?.includes(f.area) && ctx.since !== undefined && f.written < ctx.since) return `not rewritten by this run, rows of ${f.written.slice(0, 16)}Z`;
  if (ctx.ran?.length && !ctx.ran.includes(f.area)) return `not run now, rows of ${f.written.slice(0, 16)}Z`;
  return "";
}

function cells(area: string, r: BenchRow, stale: string): string[] {
  const unit = (v: number | null): string => (v === null ? "" : `${figure(v)} ${r.unit}`);
  const peer = r.peer === null ? "(no peer)" : `${unit(r.peer)}${r.peerName ? ` ${clip(r.peerName, 28)}` : ""}`;
  const ratio = r.cpu?.ratio != null ? `${times(r.ratio) || "–"} wall, ${times(r.cpu.ratio)} CPU` : times(r.ratio);
  const verdict = [r.verdict, r.note ? `(${r.note})` : "", stale ? `[${stale}]` : ""].filter(Boolean).join(" ");
  const cpuOnly = r.cpu?.statarb != null && r.cpu.ratio == null ? `, CPU ${figure(r.cpu.statarb)}` : "";
  return [area, clip(r.row, 56), `${unit(r.statarb)}${cpuOnly}`, peer, ratio, r.target ?? "", verdict];
}

/** The aligned lines: a header, one line per row, then the counts and what is missing or stale. */
export function formatRows(files: readonly RowsFile[], ctx: PrintContext = {}): string[] {
  const table: string[][] = [["area", "row", "statarb", "peer", "ratio (statarb's lead)", "target", "verdict"]];
  const count = { met: 0, missed: 0, info: 0 };
  const staleAreas = new Set<string>();
  for (const f of files) {
    const stale = staleness(f, ctx);
    if (stale) staleAreas.add(f.area);
    for (const r of f.rows) {
      count[r.verdict]++;
      table.push(cells(f.part ? `${f.area}/${f.part}` : f.area, r, stale));
    }
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const lines = table.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ").trimEnd());
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const withRows = new Set(files.map((f) => f.area));
  const missing = (ctx.areas ?? []).filter((a) => !withRows.has(a));
  const n = count.met + count.missed + count.info;
  lines.push(
    `[bench] ${n} rows: ${count.met} met, ${count.missed} missed, ${count.info} info` +
      (ctx.failed?.length ? `; FAILED (rows not rerun): ${ctx.failed.join(", ")}` : "") +
      (staleAreas.size ? `; rows not from this run: ${[...staleAreas].join(", ")}` : "") +
      (missing.length ? `; no rows recorded: ${missing.join(", ")}` : ""),
  );
  return lines;
}

function parseArgs(argv: readonly string[]): PrintContext & { dir: string } {
  const out: PrintContext & { dir: string } = { dir: RESULTS_DIR };
  const list = (v: string): string[] => v.split(/[\s,]+/).filter(Boolean);
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i]!, argv[i + 1]];
    if (v === undefined) throw new TypeError(`bench/rows-print: ${k} needs a value`);
    if (k === "--dir") out.dir = v;
    else if (k === "--areas") out.areas = list(v);
    else if (k === "--ran") out.ran = list(v);
    else if (k === "--failed") out.failed = list(v);
    else if (k === "--since") out.since = v;
    else throw new TypeError(`bench/rows-print: unknown option ${JSON.stringify(k)} (allowed: --dir, --areas, --ran, --failed, --since)`);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const ctx = parseArgs(process.argv.slice(2));
  console.log(formatRows(readRows(ctx.dir), ctx).join("\n"));
}
