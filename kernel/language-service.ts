/**
 * Completion and inspection for the kernel's TypeScript cells, from the TypeScript language
 * service over a virtual project: every cell that ran is a module that exports its top-level names
 * to the cells after it, which import each name from the cell that declared it last (see
 * language-service/cells.ts); the cell being edited is one more module, and the library and
 * node_modules files are read once and kept for the session — each request only bumps the edited
 * cell's version. The engine builds it on a worker thread once the kernel is idle after its start
 * (language-service/worker.ts), so parsing the declarations (≈ 1–3 s) is paid before the first
 * request, while the kernel is idle rather than beside or in front of the cells.
 *
 * Offsets: Jupyter sends and expects code points (protocol ≥ 5.2); TypeScript works in UTF-16.
 */
import path from "node:path";
import type * as TS from "typescript";
import { ts } from "./language-service/typescript.js";
import { KERNEL_GLOBALS, KERNEL_GLOBALS_FILE } from "./language-service/ambient.js";
import { CellHistory } from "./language-service/cells.js";
import { COMPLETION_OPTIONS, describeEntries, selectEntries, type TypedMatch } from "./language-service/completion.js";
import { CellProjectHost, statarbRoot } from "./language-service/host.js";
import { definitionAt, hoverAt, hoverBundle } from "./language-service/inspection.js";
import { maskMagics } from "./language-service/magics.js";
import { codePointToUtf16, utf16ToCodePoint } from "./language-service/offsets.js";

export interface CompletionResult {
  matches: string[];
  cursorStart: number;
  cursorEnd: number;
  metadata: Record<string, unknown>;
}

export interface InspectionResult {
  found: boolean;
  data: Record<string, string>;
}

export class CellLanguageService {
  readonly #root: string;
  readonly #history: CellHistory;
  readonly #host: CellProjectHost;
  readonly #service: TS.LanguageService;

  constructor(options: { cwd: string }) {
    const cwd = path.resolve(options.cwd);
    this.#root = statarbRoot();
    this.#history = new CellHistory(cwd);
    this.#host = new CellProjectHost(cwd, this.#root);
    this.#host.setFile(path.join(cwd, KERNEL_GLOBALS_FILE), KERNEL_GLOBALS, true);
    for (const slot of this.#history.initialFiles()) this.#host.setFile(slot.fileName, slot.text, false);
    this.#service = ts.createLanguageService(this.#host, ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, cwd));
  }

  /** Records a cell that ran successfully (its TypeScript source, magics removed). */
  addCell(source: string): void {
    for (const file of this.#history.add(source)) this.#host.setFile(file.fileName, file.text, false);
    this.#host.cellRan();
  }

  complete(code: string, cursorPos: number): CompletionResult {
    const cursor = codePointToUtf16(code, cursorPos);
    const empty: CompletionResult = { matches: [], cursorStart: utf16ToCodePoint(code, cursor), cursorEnd: utf16ToCodePoint(code, cursor), metadata: {} };
    const masked = maskMagics(code);
    if (masked === undefined) return empty;
    const { fileName, offset, text } = this.#edit(masked);
    const position = offset + cursor;
    const info = this.#service.getCompletionsAtPosition(fileName, position, COMPLETION_OPTIONS);
    if (!info) return empty;
    const selected = selectEntries(info, text, position);
    const program = this.#service.getProgram();
    const described = program ? describeEntries(program, fileName, position, info, selected.entries) : selected.entries.map((e) => ({ type: e.kind, signature: "" }));
    const start = utf16ToCodePoint(code, Math.max(0, selected.start - offset));
    const end = utf16ToCodePoint(code, Math.max(0, selected.end - offset));
    const typed: TypedMatch[] = selected.entries.map((e, i) => ({ text: e.name, type: described[i]?.type ?? e.kind, start, end, signature: described[i]?.signature ?? "" }));
    return { matches: typed.map((m) => m.text), cursorStart: start, cursorEnd: end, metadata: { _jupyter_types_experimental: typed } };
  }

  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): InspectionResult {
    const masked = maskMagics(code);
    if (masked === undefined) return { found: false, data: {} };
    const { fileName, offset } = this.#edit(masked);
    const position = offset + codePointToUtf16(code, cursorPos);
    const hover = hoverAt(this.#service, fileName, position);
    if (!hover) return { found: false, data: {} };
    const definition = detailLevel === 1 ? definitionAt(this.#service, fileName, position, this.#root) : undefined;
    return { found: true, data: hoverBundle(hover, definition) };
  }

  /** Puts the edited cell into the project; returns its file and where the user's code starts in it. */
  #edit(source: string): { fileName: string; offset: number; text: string } {
    const cell = this.#history.current(source);
    this.#host.setFile(cell.fileName, cell.text, true);
    return { fileName: cell.fileName, offset: cell.sourceStart, text: cell.text };
  }
}
