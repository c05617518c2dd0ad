/**
 * Completion and inspection for the kernel's TypeScript cells, from the TypeScript language
 * service over a virtual project: every cell that ran is a module that exports its top-level names
 * to the cells after it, which import each name from the cell that declared it last (see
 * language-service/cells.ts); the cell being edited is one more module, and the library and
 * node_modules files are read once and kept for the session — each request only bumps the edited
 * cell's version. A completion is asked in the module of its edit context (the code without the word
 * being typed; the last few contexts keep theirs), so asking again as the word grows changes nothing
 * and TypeScript keeps its program and checker. The engine builds it on a worker thread once the kernel is idle after its start
 * (language-service/worker.ts), so parsing the declarations (≈ 1–3 s) is paid before the first
 * request, while the kernel is idle rather than beside or in front of the cells.
 *
 * Offsets: Jupyter sends and expects code points (protocol ≥ 5.2); TypeScript works in UTF-16.
 */
import path from "node:path";
import type * as TS from "typescript";
import { ts } from "./language-service/typescript.js";
import { KERNEL_GLOBALS, KERNEL_GLOBALS_FILE } from "./language-service/ambient.js";
import { CellHistory, type VirtualCell } from "./language-service/cells.js";
import { COMPLETION_OPTIONS, describeEntries, identifierStart, selectEntries, type TypedMatch } from "./language-service/completion.js";
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

/** How many edit contexts keep their module in the project (see #contextCell). */
const CONTEXT_SLOTS = 4;

/** The module of one edit context: the cell's code without the word being completed. */
interface ContextSlot {
  readonly label: string;
  /** The context's code; undefined while the slot is unused. */
  context: string | undefined;
  /** The history's length when the module was written (its imports depend on it). */
  cells: number;
  /** When it last served a request (least recently used slots are rewritten first). */
  used: number;
  cell: VirtualCell;
}

export class CellLanguageService {
  readonly #root: string;
  readonly #history: CellHistory;
  readonly #host: CellProjectHost;
  readonly #service: TS.LanguageService;
  readonly #slots: ContextSlot[] = [];
  #requests = 0;

  constructor(options: { cwd: string }) {
    const cwd = path.resolve(options.cwd);
    this.#root = statarbRoot();
    this.#history = new CellHistory(cwd);
    this.#host = new CellProjectHost(cwd, this.#root);
    this.#host.setFile(path.join(cwd, KERNEL_GLOBALS_FILE), KERNEL_GLOBALS, true);
    for (const slot of this.#history.initialFiles()) this.#host.setFile(slot.fileName, slot.text, false);
    for (let i = 0; i < CONTEXT_SLOTS; i++) {
      const cell = this.#history.current("", `context${i}`);
      this.#host.setFile(cell.fileName, cell.text, true);
      this.#slots.push({ label: `context${i}`, context: undefined, cells: 0, used: 0, cell });
    }
    this.#service = ts.createLanguageService(this.#host, ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, cwd));
  }

  /** Records a cell that ran successfully (its TypeScript source, magics removed). */
  addCell(source: string): void {
    for (const file of this.#history.add(source)) this.#host.setFile(file.fileName, file.text, false);
    this.#host.cellRan();
  }

  /**
   * Completions at code point `cursorPos`. TypeScript is asked at the start of the word being typed in the
   * module of the cell's code without that word (its edit context), and the word is put back for the
   * selection: the entries there do not depend on the word, and a context asked about again — Tab pressed
   * again as the word grows, a front end that asks at every keystroke — keeps its module, so TypeScript
   * needs no new program and checker (most of a request's time otherwise). With the cursor inside a word,
   * or after a number, the cell's whole code is asked about as it is.
   */
  complete(code: string, cursorPos: number): CompletionResult {
    const cursor = codePointToUtf16(code, cursorPos);
    const empty: CompletionResult = { matches: [], cursorStart: utf16ToCodePoint(code, cursor), cursorEnd: utf16ToCodePoint(code, cursor), metadata: {} };
    const masked = maskMagics(code);
    if (masked === undefined) return empty;
    const start0 = identifierStart(masked, cursor);
    const asIs = (cursor < masked.length && ts.isIdentifierPart(masked.codePointAt(cursor) ?? 0, ts.ScriptTarget.ES2022)) ||
      (start0 < cursor && !ts.isIdentifierStart(masked.codePointAt(start0) ?? 0, ts.ScriptTarget.ES2022));
    const wordStart = asIs ? cursor : start0;
    const word = masked.slice(wordStart, cursor);
    const edited = asIs ? this.#history.current(masked) : this.#contextCell(masked.slice(0, wordStart) + masked.slice(cursor));
    if (asIs) this.#host.setFile(edited.fileName, edited.text, true);
    const { fileName, sourceStart: offset, text: contextText } = edited;
    const at = offset + wordStart;
    const info = this.#service.getCompletionsAtPosition(fileName, at, COMPLETION_OPTIONS);
    if (!info) return empty;
    const text = contextText.slice(0, at) + word + contextText.slice(at);
    const selected = selectEntries(withWord(info, at, word.length), text, at + word.length);
    const program = this.#service.getProgram();
    const described = program ? describeEntries(program, fileName, at, info, selected.entries) : selected.entries.map((e) => ({ type: e.kind, signature: "" }));
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

  /**
   * The module of an edit context: the slot that holds it (written for the current history), else the
   * least recently used slot rewritten with it. Only a rewritten slot changes the project.
   */
  #contextCell(context: string): VirtualCell {
    const cells = this.#history.length;
    let slot = this.#slots.find((s) => s.context === context && s.cells === cells);
    if (!slot) {
      slot = this.#slots.reduce((a, b) => (b.used < a.used ? b : a));
      slot.cell = this.#history.current(context, slot.label);
      slot.context = context;
      slot.cells = cells;
      this.#host.setFile(slot.cell.fileName, slot.cell.text, true);
    }
    slot.used = ++this.#requests;
    return slot.cell;
  }

  /** Puts the edited cell into the project; returns its file and where the user's code starts in it. */
  #edit(source: string): { fileName: string; offset: number; text: string } {
    const cell = this.#history.current(source);
    this.#host.setFile(cell.fileName, cell.text, true);
    return { fileName: cell.fileName, offset: cell.sourceStart, text: cell.text };
  }
}

/**
 * `info` as TypeScript would give it with `length` characters (the word being typed) inserted at `at`:
 * replacement spans that reach `at` grow by them, spans after it move.
 */
function withWord(info: TS.CompletionInfo, at: number, length: number): TS.CompletionInfo {
  if (length === 0) return info;
  const move = (span: TS.TextSpan | undefined): TS.TextSpan | undefined => {
    if (!span) return span;
    const start = span.start <= at ? span.start : span.start + length;
    const end = span.start + span.length < at ? span.start + span.length : span.start + span.length + length;
    return { start, length: end - start };
  };
  const entries = info.entries.map((e) => (e.replacementSpan ? { ...e, replacementSpan: move(e.replacementSpan) } : e));
  return { ...info, entries, optionalReplacementSpan: move(info.optionalReplacementSpan) };
}
