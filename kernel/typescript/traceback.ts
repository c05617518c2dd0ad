/**
 * Turns errors thrown by cell code into Jupyter error content: `ename`, `evalue` and a traceback whose
 * positions are the cells' own TypeScript lines (through each compiled cell's source map), with the
 * failing line shown, and the kernel's own frames left out.
 */
import { SourceMap } from "node:module";
import { inspect } from "node:util";

export interface CellRecord {
  /** The execution count shown as `In[n]`. */
  label: number;
  source: string;
  map: SourceMap | undefined;
  /** 1-based line of the compiled script that calls the cell's wrapper (not a user frame). */
  wrapperLine?: number;
}

const RED = "\x1b[31m";
const GREEN = "\x1b[32m";
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";

/** Compiled cells by script file name (`statarb-cell-<id>.ts`, or the cell's file while a debugger is attached). */
export class CellRegistry {
  readonly #cells = new Map<string, CellRecord>();
  #next = 0;

  register(label: number, source: string, mapText: string, js = "", name?: string): string {
    const fileName = name ?? `statarb-cell-${++this.#next}.ts`;
    let map: SourceMap | undefined;
    try {
      map = mapText ? new SourceMap(JSON.parse(mapText) as ConstructorParameters<typeof SourceMap>[0]) : undefined;
    } catch {
      map = undefined;
    }
    const wrapperLine = js.trimEnd().split("\n").length;
    this.#cells.set(fileName, { label, source, map, wrapperLine });
    return fileName;
  }

  /** 1-based cell line/column of a 1-based script position. */
  original(fileName: string, line: number, column: number): { cell: CellRecord; line: number; column: number } | undefined {
    const cell = this.#cells.get(fileName);
    if (!cell) return undefined;
    if (line === cell.wrapperLine) return undefined;
    const entry = cell.map?.findEntry(line - 1, column - 1) as { originalLine?: number; originalColumn?: number } | undefined;
    if (!entry || entry.originalLine === undefined) return { cell, line, column };
    return { cell, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }
}

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** A frame in a cell: `statarb-cell-<id>.ts`, or a cell file of the debugger (kernel/debugger/cell-files.ts). */
const FRAME = /\(?(statarb-cell-\d+\.ts|[^\s()]*statarb_debug_\d+[\\/]\d+(?:-\d+)?\.ts):(\d+):(\d+)\)?/;

/** ename/evalue/traceback of anything a cell threw. */
export function errorContent(err: unknown, cells: CellRegistry): ErrorContent {
  if (!isErrorLike(err)) {
    const evalue = typeof err === "string" ? err : inspect(err, { depth: 2 });
    return { ename: "Uncaught", evalue, traceback: [`${RED}${BOLD}Uncaught${RESET} ${evalue}`] };
  }
  const ename = errorName(err);
  const evalue = String(err.message ?? "");
  const { frames, cellFrames } = userFrames(String(err.stack ?? ""), cells);
  const traceback = [`${RED}${BOLD}${ename}${RESET}: ${evalue}`, ...frames];
  // like IPython: every cell frame with its lines, outermost first (the failing line last)
  const shown = cellFrames.length > MAX_EXCERPTS ? [...cellFrames.slice(0, 2), ...cellFrames.slice(-(MAX_EXCERPTS - 2))] : cellFrames;
  for (const f of [...shown].reverse()) traceback.push("", ...excerpt(f.cell, f.line, f.fn));
  return { ename, evalue, traceback };
}

const MAX_EXCERPTS = 6;
type CellFrame = { cell: CellRecord; line: number; column: number; fn: string | undefined };

/** The stack's frames with cell positions mapped to the cells' lines; the kernel's and Node's own left out. */
function userFrames(stack: string, cells: CellRegistry): { frames: string[]; cellFrames: CellFrame[] } {
  const frames: string[] = [];
  const cellFrames: CellFrame[] = [];
  for (const line of stack.split("\n")) {
    if (!/^\s+at /.test(line)) continue;
    const m = FRAME.exec(line);
    if (m) {
      const pos = cells.original(m[1] as string, Number(m[2]), Number(m[3]));
      if (!pos) continue;
      const where = `Cell In[${pos.cell.label}], line ${pos.line}:${pos.column}`;
      const name = /^\s+at (?:async )?([^\s(]+) \(/.exec(line)?.[1];
      const fn = name && !name.startsWith("statarb-cell-") ? name : undefined;
      cellFrames.push({ ...pos, fn });
      frames.push(fn ? `    at ${fn} (${where})` : `    at ${where}`);
      continue;
    }
    if (isKernelFrame(line)) continue;
    frames.push(line);
  }
  return { frames, cellFrames };
}

/** Error content for a syntax error at a 0-based cell position. */
export function syntaxErrorContent(label: number, source: string, message: string, line0: number, column0: number): ErrorContent {
  const cell: CellRecord = { label, source, map: undefined };
  return {
    ename: "SyntaxError",
    evalue: message,
    traceback: [`${RED}${BOLD}SyntaxError${RESET}: ${message}`, `    at Cell In[${label}], line ${line0 + 1}:${column0 + 1}`, "", ...excerpt(cell, line0 + 1)],
  };
}

/** The cell's lines around `line` (1-based), the failing one marked (`fn`: the function it is in). */
export function excerpt(cell: CellRecord, line: number, fn?: string): string[] {
  const src = cell.source.split("\n");
  const from = Math.max(1, line - 2);
  const to = Math.min(src.length, line + 2);
  const width = String(to).length;
  const out = [`${GREEN}Cell In[${cell.label}], line ${line}${fn ? `, in ${fn}` : ""}${RESET}`];
  for (let i = from; i <= to; i++) {
    const mark = i === line ? `${GREEN}---> ` : "     ";
    out.push(`${mark}${String(i).padStart(width)}${i === line ? RESET : ""} ${src[i - 1] ?? ""}`);
  }
  return out;
}

function isErrorLike(e: unknown): e is { name?: unknown; message?: unknown; stack?: unknown } {
  return typeof e === "object" && e !== null && "message" in e && "stack" in e;
}

function errorName(e: { name?: unknown }): string {
  const n = typeof e.name === "string" && e.name ? e.name : "Error";
  const ctor = (e as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== n && ctor !== "Object" && n === "Error" ? ctor : n;
}

const KERNEL_DIR = new URL("../", import.meta.url).pathname;

/** The kernel's own frames and Node's (any `node:` module, `<anonymous>`, native code): never the user's. */
function isKernelFrame(line: string): boolean {
  return (
    line.includes(KERNEL_DIR) ||
    line.includes("statarb-guard.js") ||
    line.includes("statarb-timeit.js") ||
    /[( ]node:[\w/]+:\d+/.test(line) ||
    /\(node:[\w/]+\)/.test(line) ||
    /\((<anonymous>|native)\)$/.test(line.trim()) ||
    /^\s*at (?:async )?<anonymous>$/.test(line) ||
    /\bat new Promise \(<anonymous>\)/.test(line)
  );
}
