/**
 * Kernel magics for the bridges: `%%R`, `%%octave`, `%%q` run a cell in that language's live
 * session (started on first use, kept between cells), `%put x --to R`, `%get y --from octave`,
 * and `-i`/`-o` on the cell magics to move variables in and out around the cell.
 *
 * The magic types are declared here structurally (the kernel's registry in kernel/magics/types.ts has
 * the same shape); bridges/ never imports kernel/ (the arrow is kernel → bridges).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PlotCapture } from "./core/session.js";
import { type BridgeTable, tableDisplay } from "./core/table.js";
import { OctaveSession } from "./octave/session.js";
import { QSession } from "./q/session.js";
import { RSession } from "./r/session.js";
import { opt, readOptions } from "../lib/data/index.js";

/** What a running magic can do (structurally the kernel's `MagicContext`). */
export interface BridgeMagicContext {
  stdout(text: string): void;
  stderr(text: string): void;
  display(bundle: Record<string, unknown>, metadata?: Record<string, unknown>): void;
  getVariable(name: string): unknown;
  setVariable(name: string, value: unknown): void;
  signal: AbortSignal;
  cwd: string;
}

/** A `%%name args` cell magic (structurally the kernel's `CellMagic`). */
export interface BridgeCellMagic {
  name: string;
  help?: string;
  run(args: string, body: string, ctx: BridgeMagicContext): Promise<unknown>;
}

/** A `%name args` line magic (structurally the kernel's `LineMagic`). */
export interface BridgeLineMagic {
  name: string;
  help?: string;
  run(args: string, ctx: BridgeMagicContext): Promise<unknown>;
}

/** The live sessions the magics share (one per language, created lazily). */
export interface BridgeSessions {
  R(): RSession;
  octave(): OctaveSession;
  q(): QSession;
  /** Closes every session that was started. */
  closeAll(): Promise<void>;
}

/** Options of {@link bridgeMagics}. */
export interface BridgeMagicsOptions {
  /** Sessions to use (default: new ones, started on first use). */
  sessions?: BridgeSessions;
}

type Lang = "R" | "octave" | "q";

/** Creates the lazily-started session set. */
export function bridgeSessions(): BridgeSessions {
  let r: RSession | undefined;
  let o: OctaveSession | undefined;
  let q: QSession | undefined;
  return {
    R: () => (r ??= new RSession()),
    octave: () => (o ??= new OctaveSession()),
    q: () => (q ??= new QSession()),
    async closeAll() {
      await Promise.all([r?.close(), o?.close(), q?.close()]);
    },
  };
}

/** Parsed options of a cell magic line. */
export interface CellArgs {
  inputs: string[];
  outputs: string[];
  timeoutMs: number | undefined;
  width: number;
  height: number;
  format: "png" | "svg";
  panelAs: "data.frame" | "xts" | undefined;
}

const CELL_USAGE = "usage: %%LANG [-i var[,var…]] [-o var[,var…]] [--timeout ms] [-w px] [-h px] [--svg|--png] [--xts]";

/** Parses `-i x,y -o z --timeout 5000 -w 800 -h 600 --svg --xts`. */
export function parseCellArgs(args: string, lang: string): CellArgs {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  const out: CellArgs = { inputs: [], outputs: [], timeoutMs: undefined, width: 640, height: 480, format: lang === "octave" ? "svg" : "png", panelAs: undefined };
  const usage = CELL_USAGE.replace("LANG", lang);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    const next = (): string => {
      const v = tokens[++i];
      if (v === undefined) throw new SyntaxError(`%%${lang}: ${t} needs a value; ${usage}`);
      return v;
    };
    const num = (): number => {
      const v = next();
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new SyntaxError(`%%${lang}: ${t} needs a positive number, got ${JSON.stringify(v)}; ${usage}`);
      return n;
    };
    if (t === "-i" || t === "--input") out.inputs.push(...next().split(",").filter(Boolean));
    else if (t === "-o" || t === "--output") out.outputs.push(...next().split(",").filter(Boolean));
    else if (t === "--timeout") out.timeoutMs = num();
    else if (t === "-w" || t === "--width") out.width = num();
    else if (t === "-h" || t === "--height") out.height = num();
    else if (t === "--svg") out.format = "svg";
    else if (t === "--png") out.format = "png";
    else if (t === "--xts") out.panelAs = "xts";
    else throw new SyntaxError(`%%${lang}: unknown option ${JSON.stringify(t)}; ${usage}`);
  }
  if (lang === "octave" && out.format === "png") out.format = "svg"; // headless gnuplot here prints svg only
  return out;
}

const LANG_ALIASES: Record<string, Lang> = { r: "R", octave: "octave", matlab: "octave", q: "q", kdb: "q" };

function langOf(word: string | undefined, magic: string): Lang {
  const l = word === undefined ? undefined : LANG_ALIASES[word.toLowerCase()];
  if (!l) throw new SyntaxError(`%${magic}: unknown language ${JSON.stringify(word)}; use R, octave or q`);
  return l;
}

function requireVariable(ctx: BridgeMagicContext, name: string, where: string): unknown {
  const v = ctx.getVariable(name);
  if (v === undefined) throw new ReferenceError(`${where}: there is no TypeScript variable ${name}`);
  return v;
}

function displayPlots(files: readonly string[], ctx: BridgeMagicContext): void {
  for (const f of files) {
    if (f.endsWith(".svg")) ctx.display({ "image/svg+xml": readFileSync(f, "utf8"), "text/plain": `<${f}>` });
    else ctx.display({ "image/png": readFileSync(f).toString("base64"), "text/plain": `<${f}>` });
  }
}

/** How much of a table-like last value a cell shows (the rest is counted: "… N more rows"). */
export const CELL_TABLE = { maxRows: 50, maxCols: 50 } as const;

/**
 * `%%R` / `%%octave`: the cell runs in the live R or Octave session, streaming its output; plots come
 * back as images; a last value that is a data.frame / matrix (R) or a matrix (Octave) is the cell's
 * result, shown as an HTML table (text/plain beside it) instead of the language's printout.
 */
function stdioCellMagic(sessions: BridgeSessions, name: string, lang: "R" | "octave", help: string): BridgeCellMagic {
  return {
    name,
    help,
    async run(args, body, ctx) {
      const a = parseCellArgs(args, name);
      const s = lang === "R" ? sessions.R() : sessions.octave();
      for (const v of a.inputs) await s.put(v, requireVariable(ctx, v, `%%${name} -i`), { signal: ctx.signal, ...(a.panelAs ? { panelAs: a.panelAs } : {}) });
      const dir = mkdtempSync(join(tmpdir(), "statarb-plots-"));
      const plots: PlotCapture = { dir, format: a.format, width: a.width, height: a.height };
      let table: BridgeTable | undefined;
      try {
        const r = await s.eval(body, {
          echo: true,
          plots,
          table: CELL_TABLE,
          signal: ctx.signal,
          onStdout: (t) => ctx.stdout(t),
          onStderr: (t) => ctx.stderr(t),
          ...(a.timeoutMs ? { timeoutMs: a.timeoutMs } : {}),
        });
        if (r.restartNotice) ctx.stderr(`[statarb] ${r.restartNotice}\n`);
        displayPlots(r.plots, ctx);
        table = r.table;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      for (const v of a.outputs) ctx.setVariable(v, await s.get(v, { signal: ctx.signal }));
      return table ? tableDisplay(table, s.language) : undefined;
    },
  };
}

/** `%%q`: the cell runs in the live q session; its printed value comes back as text. */
function qCellMagic(sessions: BridgeSessions): BridgeCellMagic {
  return {
    name: "q",
    help: "%%q [-i var] [-o var]: runs the cell in the live q session (kdb+ IPC; see QSession for how to point it at kdb+)",
    async run(args, body, ctx) {
      const a = parseCellArgs(args, "q");
      const s = sessions.q();
      for (const v of a.inputs) await s.put(v, requireVariable(ctx, v, "%%q -i"));
      const r = await s.eval(body, { signal: ctx.signal, ...(a.timeoutMs ? { timeoutMs: a.timeoutMs } : {}) });
      if (r.stdout) ctx.stdout(r.stdout);
      if (r.text) ctx.stdout(r.text.endsWith("\n") ? r.text : `${r.text}\n`);
      for (const v of a.outputs) ctx.setVariable(v, await s.get(v));
      return undefined;
    },
  };
}

/** Parsed `%put x y --to R [--xts]` / `%get y --from octave`. */
export interface TransferArgs {
  readonly lang: Lang;
  readonly names: readonly string[];
  readonly xts: boolean;
}

/** Parses the arguments of `%put` (`--to LANG`, `--xts`) or `%get` (`--from LANG`). */
export function parseTransferArgs(args: string, magic: "put" | "get"): TransferArgs {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  const flag = magic === "put" ? "--to" : "--from";
  const at = tokens.indexOf(flag);
  if (at < 0) throw new SyntaxError(magic === "put" ? "%put: say where to: %put x --to R (or octave, q)" : "%get: say where from: %get y --from octave (or R, q)");
  const lang = langOf(tokens[at + 1], magic);
  const xts = magic === "put" && tokens.includes("--xts");
  const names = tokens.filter((t, i) => i !== at && i !== at + 1 && !(xts && t === "--xts"));
  if (names.length === 0) throw new SyntaxError(magic === "put" ? "%put: name the variables to copy: %put x --to R" : "%get: name the variables to copy: %get y --from R");
  return { lang, names, xts };
}

/** `%put x [y …] --to R|octave|q [--xts]`. */
function putMagic(sessions: BridgeSessions): BridgeLineMagic {
  return {
    name: "put",
    help: "%put x [y …] --to R|octave|q [--xts]: copies TypeScript variables into the other language's session",
    async run(args, ctx) {
      const { lang, names, xts } = parseTransferArgs(args, "put");
      for (const n of names) {
        const v = requireVariable(ctx, n, "%put");
        if (lang === "q") await sessions.q().put(n, v);
        else await (lang === "R" ? sessions.R() : sessions.octave()).put(n, v, { signal: ctx.signal, ...(xts ? { panelAs: "xts" as const } : {}) });
      }
      return undefined;
    },
  };
}

/** `%get y [z …] --from R|octave|q`. */
function getMagic(sessions: BridgeSessions): BridgeLineMagic {
  return {
    name: "get",
    help: "%get y [z …] --from R|octave|q: copies variables of the other language's session into TypeScript",
    async run(args, ctx) {
      const { lang, names } = parseTransferArgs(args, "get");
      for (const n of names) {
        const v = lang === "q" ? await sessions.q().get(n) : await (lang === "R" ? sessions.R() : sessions.octave()).get(n, { signal: ctx.signal });
        ctx.setVariable(n, v);
      }
      return undefined;
    },
  };
}

/** The bridge magics, ready for the kernel's registry. */
export function bridgeMagics(options: BridgeMagicsOptions = {}): { cell: BridgeCellMagic[]; line: BridgeLineMagic[]; sessions: BridgeSessions } {
  const o = readOptions("bridgeMagics", options, { sessions: opt.optional(opt.custom<BridgeSessions>("a BridgeSessions (bridgeSessions())", () => bridgeSessions(), isSessions)) });
  const sessions = o.sessions ?? bridgeSessions();
  return {
    cell: [
      stdioCellMagic(sessions, "R", "R", "%%R [-i x] [-o y] [--timeout ms] [-w px -h px] [--svg]: runs the cell in the live R session; plots come back as images"),
      stdioCellMagic(sessions, "octave", "octave", "%%octave [-i x] [-o y] [--timeout ms] [-w px -h px]: runs the cell in the live Octave session; figures come back as SVG"),
      qCellMagic(sessions),
    ],
    line: [putMagic(sessions), getMagic(sessions)],
    sessions,
  };
}

function isSessions(v: unknown): v is BridgeSessions {
  const s = v as Partial<BridgeSessions> | null;
  return typeof s === "object" && s !== null && typeof s.R === "function" && typeof s.octave === "function" && typeof s.q === "function" && typeof s.closeAll === "function";
}
